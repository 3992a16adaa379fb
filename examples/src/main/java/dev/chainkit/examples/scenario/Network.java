package dev.chainkit.examples.scenario;

import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The random faults and latency of every link, from the scenario line
 * {@code network loss=0.1 duplicate=0.05 latency=5ms..80ms}.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param loss the probability in [0, 1] that a message is lost
 * @param duplicate the probability in [0, 1] that a message is delivered twice
 * @param latencyMin the shortest latency of a link, 0 or more
 * @param latencyMax the longest latency of a link, at least {@code latencyMin}; each message's latency is
 *     drawn from {@code latencyMin..latencyMax}
 */
public record Network(double loss, double duplicate, Duration latencyMin, Duration latencyMax) {

    /** No loss, no duplicates, a latency of exactly 1 ms: what a scenario without a {@code network} line gets. */
    public static final Network DEFAULT = new Network(0, 0, Duration.ofMillis(1), Duration.ofMillis(1));

    /**
     * Validates the settings.
     *
     * @param loss the probability in [0, 1] that a message is lost
     * @param duplicate the probability in [0, 1] that a message is delivered twice
     * @param latencyMin the shortest latency of a link, 0 or more
     * @param latencyMax the longest latency of a link, at least {@code latencyMin}
     * @throws NullPointerException if a latency is null
     * @throws IllegalArgumentException if a probability is outside [0, 1] or the latency range is negative or
     *     empty
     */
    public Network {
        requireProbability(loss, "loss");
        requireProbability(duplicate, "duplicate");
        ScenarioSyntax.requireNonNegative(latencyMin, "network latency min");
        Objects.requireNonNull(latencyMax, "network latency max must not be null");
        if (latencyMax.compareTo(latencyMin) < 0) {
            throw new IllegalArgumentException("network latency min " + ScenarioSyntax.formatDuration(latencyMin)
                    + " is above max " + ScenarioSyntax.formatDuration(latencyMax)
                    + ": expected latency=MIN..MAX with MIN <= MAX");
        }
    }

    /**
     * Returns the scenario line for these settings, e.g. {@code network loss=0.1 duplicate=0 latency=5ms..80ms}.
     *
     * @return the line, without a line break
     */
    public String text() {
        return "network loss=" + ScenarioSyntax.formatDecimal(loss)
                + " duplicate=" + ScenarioSyntax.formatDecimal(duplicate)
                + " latency=" + ScenarioSyntax.formatDuration(latencyMin) + ".."
                + ScenarioSyntax.formatDuration(latencyMax);
    }

    /**
     * Returns these settings as the fault logic's configuration, which the simulator and a live run's fault proxies
     * apply alike.
     *
     * @return the configuration
     */
    public NetworkConfig config() {
        return NetworkConfig.reliable().withLoss(loss).withDuplicate(duplicate).withLatency(latencyMin, latencyMax);
    }

    private static void requireProbability(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("network " + what + " must be a probability from 0 to 1 but was "
                    + p);
        }
    }
}
