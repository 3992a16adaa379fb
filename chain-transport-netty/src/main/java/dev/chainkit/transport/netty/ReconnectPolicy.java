package dev.chainkit.transport.netty;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a dialing node tries again after a failed connection or a lost link: exponential backoff with full jitter
 * ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015). Before attempt {@code n} (from 0) the node waits
 * a uniformly random time in {@code [0, min(max, initial * multiplier^n)]}, so that many clients that lost the same
 * server spread their reconnects over the window instead of arriving together. The attempt count restarts from 0
 * once a link completes its handshake.
 *
 * <p>Thread safety: immutable; the random source is the caller's.
 */
public final class ReconnectPolicy {

    private static final ReconnectPolicy DEFAULTS = new ReconnectPolicy(500_000_000L, 30_000_000_000L, 2.0);

    private final long initialNs;
    private final long maxNs;
    private final double multiplier;

    private ReconnectPolicy(long initialNs, long maxNs, double multiplier) {
        this.initialNs = initialNs;
        this.maxNs = maxNs;
        this.multiplier = multiplier;
    }

    /** Initial window 500 ms, doubling, capped at 30 s. */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A policy whose first window is {@code initial}, doubling up to {@code max}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is below it
     */
    public static ReconnectPolicy of(Duration initial, Duration max) {
        long i = Objects.requireNonNull(initial, "initial").toNanos();
        long m = Objects.requireNonNull(max, "max").toNanos();
        if (i <= 0) {
            throw new IllegalArgumentException("initial reconnect window must be positive, got " + initial);
        }
        if (m < i) {
            throw new IllegalArgumentException("max reconnect window (" + max + ") must be at least the initial one ("
                    + initial + ")");
        }
        return new ReconnectPolicy(i, m, DEFAULTS.multiplier);
    }

    /**
     * This policy with another growth factor per attempt.
     *
     * @throws IllegalArgumentException if {@code multiplier} is below 1 or not finite
     */
    public ReconnectPolicy withMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("reconnect multiplier must be at least 1, got " + multiplier);
        }
        return new ReconnectPolicy(initialNs, maxNs, multiplier);
    }

    /** The first window. */
    public Duration initial() {
        return Duration.ofNanos(initialNs);
    }

    /** The cap of the window. */
    public Duration max() {
        return Duration.ofNanos(maxNs);
    }

    /** The growth factor per attempt. */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The window before attempt {@code attempt}: {@code min(max, initial * multiplier^attempt)}, in nanoseconds.
     *
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public long windowNs(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 or more, got " + attempt);
        }
        double w = initialNs * Math.pow(multiplier, attempt);
        return w >= maxNs ? maxNs : (long) w;
    }

    /**
     * How long to wait before attempt {@code attempt}: uniform in {@code [0, windowNs(attempt)]}, in nanoseconds.
     *
     * @param attempt the attempt number, from 0 after a lost link
     * @param random the jitter's source
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public long delayNs(int attempt, RandomGenerator random) {
        return random.nextLong(windowNs(attempt) + 1);
    }

    @Override
    public String toString() {
        return "ReconnectPolicy[initial=" + initial() + ", max=" + max() + ", multiplier=" + multiplier + "]";
    }
}
