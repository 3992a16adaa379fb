package dev.chainkit.core.time;

/**
 * A handle to a scheduled task.
 *
 * <p>Thread safety: call {@link #cancel()} on the thread that owns the scheduler.
 */
@FunctionalInterface
public interface Cancellable {

    /** Stops the task from running if it has not run yet; does nothing otherwise. Idempotent. */
    void cancel();
}
