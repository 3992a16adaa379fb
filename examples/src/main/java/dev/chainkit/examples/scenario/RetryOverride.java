package dev.chainkit.examples.scenario;

import dev.chainkit.core.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * A change to the retransmission schedule of every node, from the scenario line
 * {@code retry initial=100ms multiplier=2 max=2s jitter=0.2}. Each setting is optional; a missing one keeps
 * the engine's default (see {@code dev.chainkit.core.RetryPolicy#defaults()}).
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param initial the delay before the first retransmission, more than 0
 * @param multiplier the growth factor of the delay per attempt, finite and at least 1
 * @param max the largest delay between two sends, more than 0
 * @param jitter the fraction in [0, 1) by which each delay is randomly shortened
 */
public record RetryOverride(Optional<Duration> initial, OptionalDouble multiplier, Optional<Duration> max,
        OptionalDouble jitter) {

    /**
     * Validates the settings.
     *
     * @param initial the delay before the first retransmission, more than 0
     * @param multiplier the growth factor of the delay per attempt, finite and at least 1
     * @param max the largest delay between two sends, more than 0
     * @param jitter the fraction in [0, 1) by which each delay is randomly shortened
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no setting is present, a present one is out of range, or the initial
     *     delay is above the maximum delay (the engine's default for a setting not given)
     */
    public RetryOverride {
        Objects.requireNonNull(initial, "retry initial must not be null");
        Objects.requireNonNull(multiplier, "retry multiplier must not be null");
        Objects.requireNonNull(max, "retry max must not be null");
        Objects.requireNonNull(jitter, "retry jitter must not be null");
        if (initial.isEmpty() && multiplier.isEmpty() && max.isEmpty() && jitter.isEmpty()) {
            throw new IllegalArgumentException(
                    "retry needs at least one of initial=, multiplier=, max=, jitter=");
        }
        initial.ifPresent(d -> requirePositive(d, "initial"));
        max.ifPresent(d -> requirePositive(d, "max"));
        multiplier.ifPresent(m -> {
            if (!(m >= 1.0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("retry multiplier must be a number of at least 1 but was " + m);
            }
        });
        jitter.ifPresent(j -> {
            if (!(j >= 0.0 && j < 1.0)) {
                throw new IllegalArgumentException("retry jitter must be at least 0 and below 1 but was " + j);
            }
        });
        Duration first = initial.orElse(RetryPolicy.defaults().initialDelay());
        Duration cap = max.orElse(RetryPolicy.defaults().maxDelay());
        if (first.compareTo(cap) > 0) {
            throw new IllegalArgumentException("retry initial " + ScenarioSyntax.formatDuration(first)
                    + " is above max " + ScenarioSyntax.formatDuration(cap)
                    + (max.isEmpty() ? " (the engine's default)" : "") + ": expected initial <= max");
        }
    }

    /**
     * Returns {@code base} with the settings this line names changed; the others keep {@code base}'s values.
     *
     * @param base the policy to start from, usually {@link RetryPolicy#defaults()}
     * @return the changed policy
     * @throws IllegalArgumentException if the initial delay ends up above the maximum delay
     * @throws NullPointerException if {@code base} is null
     */
    public RetryPolicy applyTo(RetryPolicy base) {
        RetryPolicy.Builder b = base.toBuilder();
        initial.ifPresent(b::withInitialDelay);
        multiplier.ifPresent(b::withMultiplier);
        max.ifPresent(b::withMaxDelay);
        jitter.ifPresent(b::withJitter);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("retry: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the scenario line for this override, naming only the present settings, e.g.
     * {@code retry initial=100ms jitter=0}.
     *
     * @return the line, without a line break
     */
    public String text() {
        StringJoiner line = new StringJoiner(" ");
        line.add("retry");
        initial.ifPresent(d -> line.add("initial=" + ScenarioSyntax.formatDuration(d)));
        multiplier.ifPresent(m -> line.add("multiplier=" + ScenarioSyntax.formatDecimal(m)));
        max.ifPresent(d -> line.add("max=" + ScenarioSyntax.formatDuration(d)));
        jitter.ifPresent(j -> line.add("jitter=" + ScenarioSyntax.formatDecimal(j)));
        return line.toString();
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("retry " + what + " must be more than 0ms but was "
                    + (d.isZero() ? "0ms" : d.toString()));
        }
    }
}
