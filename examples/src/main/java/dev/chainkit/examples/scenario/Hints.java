package dev.chainkit.examples.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * How the store's hints travel between servers that share it (a scenario with several servers), from the line
 * {@code hints loss=0.2 delay=1ms..50ms poll=2s}: after a commit that appends ops or moves a client to another
 * server, each other server gets a hint (the log's id and size) after a delay drawn from the range, or, with
 * probability {@code loss}, none; a server whose hint was lost finds the change at its next poll of the logs'
 * heads, at most {@code poll} later. {@code calm} stops hint loss with the network's random faults.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param loss the probability in [0, 1] that a hint is lost
 * @param delayMin the shortest delay of a hint, 0 or more
 * @param delayMax the longest delay of a hint, at least {@code delayMin}
 * @param poll how often each server polls the heads of the logs, more than 0
 */
public record Hints(double loss, Duration delayMin, Duration delayMax, Duration poll) {

    /** No loss, 1 ms, a poll every 5 s: what a scenario without a {@code hints} line gets. */
    public static final Hints DEFAULT = new Hints(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5));

    /**
     * Validates the settings.
     *
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if the loss is not a probability, the delay range is negative or empty, or
     *     the poll interval is not positive
     */
    public Hints {
        if (!(loss >= 0.0 && loss <= 1.0)) {
            throw new IllegalArgumentException("hints loss must be a probability from 0 to 1 but was " + loss);
        }
        ScenarioSyntax.requireNonNegative(delayMin, "hints delay min");
        Objects.requireNonNull(delayMax, "hints delay max must not be null");
        if (delayMax.compareTo(delayMin) < 0) {
            throw new IllegalArgumentException("hints delay min " + ScenarioSyntax.formatDuration(delayMin)
                    + " is above max " + ScenarioSyntax.formatDuration(delayMax)
                    + ": expected delay=MIN..MAX with MIN <= MAX");
        }
        Objects.requireNonNull(poll, "hints poll must not be null");
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("hints poll must be more than 0ms but was "
                    + ScenarioSyntax.formatDuration(poll.isNegative() ? Duration.ZERO : poll));
        }
    }

    /**
     * Returns the scenario line for these settings, e.g. {@code hints loss=0.2 delay=1ms..50ms poll=2s}.
     *
     * @return the line, without a line break
     */
    public String text() {
        return "hints loss=" + ScenarioSyntax.formatDecimal(loss)
                + " delay=" + ScenarioSyntax.formatDuration(delayMin) + ".." + ScenarioSyntax.formatDuration(delayMax)
                + " poll=" + ScenarioSyntax.formatDuration(poll);
    }
}
