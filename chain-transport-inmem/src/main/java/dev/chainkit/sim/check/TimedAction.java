package dev.chainkit.sim.check;

import dev.chainkit.sim.fault.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * An {@link Action} at a virtual time from the start of the run.
 *
 * <p>Thread safety: immutable.
 *
 * @param at when the action happens, 0 or more
 * @param action what happens
 * @param <W> the user's workload type
 */
public record TimedAction<W>(Duration at, Action<W> action) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code at} is negative
     */
    public TimedAction {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        if (at.isNegative()) {
            throw new IllegalArgumentException("action time must be 0 or more, got " + at);
        }
    }

    /** The scenario line: {@code at 120ms drop 2 OpSync a -> hq}. */
    public String render() {
        return "at " + Durations.format(at.toNanos()) + " " + action.render();
    }

    @Override
    public String toString() {
        return render();
    }
}
