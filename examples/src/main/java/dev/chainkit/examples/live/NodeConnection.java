package dev.chainkit.examples.live;

import java.util.List;

/**
 * The runner's line to one start of one node: a node process ({@link ChildNode}) or a node in the runner's JVM
 * ({@link InJvmNode}). A restart is a new connection.
 *
 * <p>Thread safety: thread-safe; {@link #kill} may race anything and wins.
 */
interface NodeConnection {

    /**
     * Waits until the node has started.
     *
     * @param timeoutNs how long to wait, in nanoseconds
     * @throws LiveRunException if it did not start in time, failed, or was killed first (the message says which)
     */
    void awaitReady(long timeoutNs);

    /** The port the node listens on (a server), once ready; 0 for a client. */
    int port();

    /** {@link LiveNode#submit}, once ready. @throws LiveRunException if the node is gone or does not answer */
    List<LiveNode.OpResult> submit(List<LiveNode.OpRequest> ops);

    /** {@link LiveNode#status}, once ready. @throws LiveRunException if the node is gone or does not answer */
    LiveNode.Status status();

    /** {@link LiveNode#snapshot}, once ready. @throws LiveRunException if the node is gone or does not answer */
    LiveNode.Snapshot snapshot();

    /** Crashes the node now: SIGKILL for a process, {@link LiveNode#crash} in the JVM. Idempotent. */
    void kill();

    /** Waits (a bounded time) until a killed node is gone, so its store may be opened again. */
    void awaitGone();

    /** Stops the node in an orderly way, killing it if it does not stop in time. Idempotent. */
    void stop();

    /** Where to look when the node misbehaves: its log file, or that it runs in this JVM. */
    String where();
}
