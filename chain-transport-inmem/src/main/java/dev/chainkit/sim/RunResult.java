package dev.chainkit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Simulation#runUntilQuiet(Duration)} ended: quiet or not, at which virtual time, and what was still
 * pending when it was not.
 *
 * <p>Thread safety: immutable.
 *
 * @param quiet whether the simulation reached quiet before the limit
 * @param timeNs the virtual time when the run stopped, in nanoseconds
 * @param pending what kept it from being quiet, for people; empty when quiet
 */
public record RunResult(boolean quiet, long timeNs, String pending) {

    /** @throws NullPointerException if {@code pending} is null */
    public RunResult {
        Objects.requireNonNull(pending, "pending");
    }

    /** {@link #timeNs()} as a duration. */
    public Duration time() {
        return Duration.ofNanos(timeNs);
    }
}
