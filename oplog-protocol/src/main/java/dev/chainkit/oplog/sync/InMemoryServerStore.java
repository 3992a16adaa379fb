package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A {@link ServerStore} in memory. Not thread-safe; confine to the server's thread. */
final class InMemoryServerStore<P> implements ServerStore<P> {

    private OpLog<P> log;
    private final Map<NodeId, Integer> cursors = new HashMap<>();

    InMemoryServerStore(OpLog<P> initial) {
        this.log = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public OpLog<P> log() {
        return log;
    }

    @Override
    public void saveLog(OpLog<P> log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public int forwardCursor(NodeId client) {
        return cursors.getOrDefault(client, 0);
    }

    @Override
    public void saveForwardCursor(NodeId client, int position) {
        cursors.put(client, position);
    }
}
