package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;

/**
 * What a client persists: its log (synced ops followed by its pending ops), the last op it knows the server has,
 * and the counter it names its ops with. Pending ops therefore survive a crash.
 *
 * <p>Thread safety: called on the client's node thread only.
 *
 * @param <P> the domain's op payload type
 */
public interface ClientStore<P> {

    /** The persisted log. */
    OpLog<P> log();

    /** The last op of {@link #log()} known to be on the server. */
    OpId syncedTip();

    /** Persists the log and the synced tip together. */
    void save(OpLog<P> log, OpId syncedTip);

    /** Returns the next op number and persists its successor. */
    long nextOpNumber();

    /** A store kept in memory, starting synced at the last op of {@code initial}. */
    static <P> ClientStore<P> inMemory(OpLog<P> initial) {
        return new InMemoryClientStore<>(initial);
    }
}
