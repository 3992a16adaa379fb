package dev.chainkit.core.time;

/**
 * Runs tasks after a delay on the thread that owns a node. The engine uses it for retransmission timers and
 * its housekeeping (tombstone expiry); the host (the simulator, the threaded transport, or an application's
 * event loop) implements it.
 *
 * <p>Thread safety: the engine calls {@link #schedule} only on its node's thread, and the implementation must
 * run every task on that same thread, never concurrently with other calls into the node.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Schedules {@code task} to run once, no earlier than {@code delayNs} nanoseconds from now by the node's
     * {@link NanoClock}. Tasks due at the same instant run in the order they were scheduled.
     *
     * @param delayNs delay in nanoseconds, 0 or more
     * @param task what to run on the node's thread
     * @return a handle that cancels the task
     * @throws IllegalArgumentException if {@code delayNs} is negative
     */
    Cancellable schedule(long delayNs, Runnable task);
}
