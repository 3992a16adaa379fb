package dev.chainkit.sim.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * The random behaviour of every link of a network, simulated or behind a {@link FaultInjectingTransport}: the
 * probability that a message is lost, the probability that it is delivered twice, and the range its latency is
 * drawn from (a range wider than a point reorders messages). The scenario line
 * {@code network loss=0.1 duplicate=0.05 latency=5ms..80ms} is one of these.
 *
 * <p>Loss and duplication are the random faults that {@link NetworkFaults#calm()} stops; latency stays.
 *
 * <p>Thread safety: immutable; every {@code withX} returns a changed copy.
 */
public final class NetworkConfig {

    private static final long MS = 1_000_000L;
    private static final NetworkConfig RELIABLE = new NetworkConfig(0, 0, MS, MS);

    private final double lossProbability;
    private final double duplicateProbability;
    private final long latencyMinNs;
    private final long latencyMaxNs;

    private NetworkConfig(double lossProbability, double duplicateProbability, long latencyMinNs, long latencyMaxNs) {
        this.lossProbability = lossProbability;
        this.duplicateProbability = duplicateProbability;
        this.latencyMinNs = latencyMinNs;
        this.latencyMaxNs = latencyMaxNs;
    }

    /** No loss, no duplicates, a latency of exactly 1 ms: the default. */
    public static NetworkConfig reliable() {
        return RELIABLE;
    }

    /** The probability in [0, 1] that a message is lost. */
    public double lossProbability() {
        return lossProbability;
    }

    /** The probability in [0, 1] that a message that was not lost is delivered twice. */
    public double duplicateProbability() {
        return duplicateProbability;
    }

    /** The shortest latency of a link. */
    public Duration latencyMin() {
        return Duration.ofNanos(latencyMinNs);
    }

    /** The longest latency of a link. */
    public Duration latencyMax() {
        return Duration.ofNanos(latencyMaxNs);
    }

    /** {@link #latencyMin()} in nanoseconds. */
    public long latencyMinNs() {
        return latencyMinNs;
    }

    /** {@link #latencyMax()} in nanoseconds. */
    public long latencyMaxNs() {
        return latencyMaxNs;
    }

    /**
     * @param probability the probability that a message is lost
     * @throws IllegalArgumentException if {@code probability} is NaN or outside [0, 1]
     */
    public NetworkConfig withLoss(double probability) {
        return new NetworkConfig(checkProbability(probability, "loss"), duplicateProbability, latencyMinNs,
                latencyMaxNs);
    }

    /**
     * @param probability the probability that a message is delivered twice
     * @throws IllegalArgumentException if {@code probability} is NaN or outside [0, 1]
     */
    public NetworkConfig withDuplicate(double probability) {
        return new NetworkConfig(lossProbability, checkProbability(probability, "duplicate"), latencyMinNs,
                latencyMaxNs);
    }

    /**
     * Sets the latency range; each message's latency is drawn uniformly from it, so messages sent in one order may
     * arrive in another. A latency too long for a {@code long} of nanoseconds counts as {@link Long#MAX_VALUE}
     * nanoseconds: never.
     *
     * @param min the shortest latency, 0 or more
     * @param max the longest latency, at least {@code min}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code min} is negative or {@code max} is below {@code min}
     */
    public NetworkConfig withLatency(Duration min, Duration max) {
        Objects.requireNonNull(min, "latency min");
        Objects.requireNonNull(max, "latency max");
        if (min.isNegative()) {
            throw new IllegalArgumentException("latency min must be 0 or more, got " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency max must be at least latency min (" + min + "), got " + max);
        }
        return new NetworkConfig(lossProbability, duplicateProbability, Durations.saturatedNanos(min),
                Durations.saturatedNanos(max));
    }

    /**
     * Sets a fixed latency: messages on one link keep their order.
     *
     * @throws NullPointerException if {@code latency} is null
     * @throws IllegalArgumentException if {@code latency} is negative
     */
    public NetworkConfig withLatency(Duration latency) {
        return withLatency(latency, latency);
    }

    private static double checkProbability(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(what + " probability must be in [0, 1], got " + p);
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkConfig c
                && lossProbability == c.lossProbability
                && duplicateProbability == c.duplicateProbability
                && latencyMinNs == c.latencyMinNs
                && latencyMaxNs == c.latencyMaxNs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lossProbability, duplicateProbability, latencyMinNs, latencyMaxNs);
    }

    /** The scenario form: {@code loss=0.1 duplicate=0.05 latency=5ms..80ms}. */
    @Override
    public String toString() {
        return "loss=" + lossProbability + " duplicate=" + duplicateProbability + " latency="
                + Durations.format(latencyMinNs) + ".." + Durations.format(latencyMaxNs);
    }
}
