package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;

/**
 * Hears what an {@link OplogServer} does that operations want to count: refusals by reason, commits with their
 * latency, membership changes. Every method has an empty default.
 *
 * <p>Threading: called on the server's node thread; must not block. An exception it throws is logged and ignored.
 */
public interface ServerListener {

    /** A listener that does nothing. */
    ServerListener NONE = new ServerListener() { };

    /**
     * A sync or subscription was refused.
     *
     * @param logId the log it named
     * @param peer the authenticated node that sent it
     * @param reason why
     */
    default void refused(String logId, NodeId peer, SyncMessage.SyncRejected.Reason reason) {
    }

    /**
     * A commit of log {@code logId} is durable.
     *
     * @param logId the log
     * @param ops how many ops it appended (0 for a commit of cursors or members only)
     * @param logSize the log's durable size now
     * @param latencyNs from the start of the commit to its result on the node thread, in nanoseconds
     */
    default void committed(String logId, int ops, int logSize, long latencyNs) {
    }

    /**
     * A commit of log {@code logId} failed; its log was rolled back to what the store holds.
     *
     * @param logId the log
     * @param why what went wrong, for people
     */
    default void commitFailed(String logId, String why) {
    }
}
