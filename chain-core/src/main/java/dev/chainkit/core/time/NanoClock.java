package dev.chainkit.core.time;

/**
 * A monotonic clock in nanoseconds. Injected everywhere time is read, so that tests and the simulator can run
 * on virtual time (the idea of Agrona's {@code NanoClock}).
 *
 * <p>Only differences between readings are meaningful; compare deadlines overflow-safely
 * ({@code deadlineNs - nowNs <= 0}). Thread safety: implementations document it; the engine reads the clock only
 * on its node's thread.
 */
@FunctionalInterface
public interface NanoClock {

    /** The current time in nanoseconds; never decreases. */
    long nanoTime();

    /** The JVM's {@link System#nanoTime()}. Thread-safe. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
