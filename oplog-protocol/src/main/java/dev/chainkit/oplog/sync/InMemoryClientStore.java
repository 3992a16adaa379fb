package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import java.util.Objects;

/** A {@link ClientStore} in memory. Not thread-safe; confine to the client's thread. */
final class InMemoryClientStore<P> implements ClientStore<P> {

    private OpLog<P> log;
    private OpId syncedTip;
    private long nextOpNumber = 1;

    InMemoryClientStore(OpLog<P> initial) {
        this.log = Objects.requireNonNull(initial, "initial");
        this.syncedTip = initial.last().id();
    }

    @Override
    public OpLog<P> log() {
        return log;
    }

    @Override
    public OpId syncedTip() {
        return syncedTip;
    }

    @Override
    public void save(OpLog<P> log, OpId syncedTip) {
        if (!log.contains(syncedTip)) {
            throw new IllegalArgumentException("synced tip " + syncedTip + " is not in the log " + log);
        }
        this.log = log;
        this.syncedTip = syncedTip;
    }

    @Override
    public long nextOpNumber() {
        return nextOpNumber++;
    }
}
