package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;

/**
 * What a server persists: its op log and, per client, how far forwarding has reached. Everything else a server
 * holds is volatile and lost in a crash.
 *
 * <p>Thread safety: called on the server's node thread only.
 *
 * @param <P> the domain's op payload type
 */
public interface ServerStore<P> {

    /** The persisted log. */
    OpLog<P> log();

    /** Persists {@code log}, which extends the previous one. */
    void saveLog(OpLog<P> log);

    /** The position in the log up to which {@code client} has the ops or was sent them; 0 (genesis) at first. */
    int forwardCursor(NodeId client);

    /** Persists {@code client}'s forward cursor. */
    void saveForwardCursor(NodeId client, int position);

    /** A store kept in memory: survives a simulated crash when the simulator keeps the object. */
    static <P> ServerStore<P> inMemory(OpLog<P> initial) {
        return new InMemoryServerStore<>(initial);
    }
}
