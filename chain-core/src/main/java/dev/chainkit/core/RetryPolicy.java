package dev.chainkit.core;

import dev.chainkit.core.time.Nanos;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How the side awaiting a reply retransmits: exponential backoff with a cap and jitter, bounded by a number of
 * attempts per step and a deadline per chain.
 *
 * <p>The delay after the {@code n}-th send of a step ({@code n >= 1}) is
 * {@code min(initialDelay * multiplier^(n-1), maxDelay)}, reduced by a random fraction of at most {@code jitter}
 * of itself, so it never exceeds {@code maxDelay}. A step is sent at most {@code maxAttempts} times; when the last
 * send goes unanswered for its delay, or the chain's {@code deadline} passes, the chain times out.
 *
 * <p>Thread safety: immutable; build with {@link #builder()}. The policy carries no runtime state.
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = new Builder().build();

    private final long initialDelayNs;
    private final double multiplier;
    private final long maxDelayNs;
    private final double jitter;
    private final int maxAttempts;
    private final long deadlineNs;

    private RetryPolicy(Builder b) {
        this.initialDelayNs = b.initialDelayNs;
        this.multiplier = b.multiplier;
        this.maxDelayNs = b.maxDelayNs;
        this.jitter = b.jitter;
        this.maxAttempts = b.maxAttempts;
        this.deadlineNs = b.deadlineNs;
    }

    /** Initial delay 100 ms, multiplier 2, max delay 2 s, jitter 0.2, 16 attempts per step, deadline 30 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.initialDelayNs = initialDelayNs;
        b.multiplier = multiplier;
        b.maxDelayNs = maxDelayNs;
        b.jitter = jitter;
        b.maxAttempts = maxAttempts;
        b.deadlineNs = deadlineNs;
        return b;
    }

    /** Delay before the first retransmission. */
    public Duration initialDelay() {
        return Duration.ofNanos(initialDelayNs);
    }

    /** {@link #initialDelay()} in nanoseconds. */
    public long initialDelayNs() {
        return initialDelayNs;
    }

    /** Growth factor of the delay per attempt, at least 1. */
    public double multiplier() {
        return multiplier;
    }

    /** The largest delay between two sends. */
    public Duration maxDelay() {
        return Duration.ofNanos(maxDelayNs);
    }

    /** {@link #maxDelay()} in nanoseconds. */
    public long maxDelayNs() {
        return maxDelayNs;
    }

    /** Fraction in [0, 1) by which each delay is randomly shortened, so that peers do not resend in lockstep. */
    public double jitter() {
        return jitter;
    }

    /** The most times one step is sent, the first send included; at least 1. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** How long a chain may take from its start to its terminal message. */
    public Duration deadline() {
        return Duration.ofNanos(deadlineNs);
    }

    /** {@link #deadline()} in nanoseconds. */
    public long deadlineNs() {
        return deadlineNs;
    }

    /**
     * The delay after the {@code attempt}-th send of a step, in nanoseconds.
     *
     * @param attempt 1 for the first send
     * @param random source of jitter (the node's seeded generator)
     * @throws IllegalArgumentException if {@code attempt} is below 1
     */
    public long delayNs(int attempt, RandomGenerator random) {
        return delayNs(attempt, initialDelayNs, random);
    }

    /**
     * The delay after the {@code attempt}-th send of a step when its first delay is {@code firstDelayNs} instead
     * of the initial delay (the engine adapts it to the measured round-trip time): {@code min(firstDelay *
     * multiplier^(attempt-1), maxDelay)}, shortened by the jitter.
     *
     * @param attempt 1 for the first send
     * @param firstDelayNs the delay after the first send, in nanoseconds, between the initial and the max delay
     * @param random source of jitter
     * @throws IllegalArgumentException if {@code attempt} is below 1 or {@code firstDelayNs} is not positive
     */
    public long delayNs(int attempt, long firstDelayNs, RandomGenerator random) {
        if (firstDelayNs <= 0) {
            throw new IllegalArgumentException("firstDelayNs must be positive, got " + firstDelayNs);
        }
        long base = backoffNs(attempt, firstDelayNs);
        if (jitter == 0) {
            return base;
        }
        return base - (long) (base * jitter * random.nextDouble());
    }

    /**
     * The longest one step can keep being retransmitted, in nanoseconds: the sum of the un-jittered delays over
     * all attempts, bounded by the deadline. Duplicates of a step can be sent this long after its first send;
     * the responder's dedup window is derived from it.
     */
    public long retransmissionSpanNs() {
        long span = 0;
        int attempts = Math.min(maxAttempts, 10_000);
        for (int n = 1; n <= attempts && span < deadlineNs; n++) {
            span = Nanos.addSaturated(span, backoffNs(n, initialDelayNs));
        }
        return Math.min(span, deadlineNs);
    }

    /**
     * The delay after the {@code attempt}-th send before jitter: {@code min(firstDelay * multiplier^(attempt-1),
     * maxDelay)}, in nanoseconds.
     *
     * @throws IllegalArgumentException if {@code attempt} is below 1
     */
    public long backoffNs(int attempt, long firstDelayNs) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
        }
        double d = firstDelayNs * Math.pow(multiplier, attempt - 1);
        return d >= maxDelayNs ? maxDelayNs : (long) d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p
                && initialDelayNs == p.initialDelayNs
                && multiplier == p.multiplier
                && maxDelayNs == p.maxDelayNs
                && jitter == p.jitter
                && maxAttempts == p.maxAttempts
                && deadlineNs == p.deadlineNs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelayNs, multiplier, maxDelayNs, jitter, maxAttempts, deadlineNs);
    }

    @Override
    public String toString() {
        return "RetryPolicy[initial=" + initialDelay() + ", multiplier=" + multiplier + ", max=" + maxDelay()
                + ", jitter=" + jitter + ", maxAttempts=" + maxAttempts + ", deadline=" + deadline() + "]";
    }

    /**
     * Builds a {@link RetryPolicy}. Not thread-safe; each {@code withX} checks its argument at once.
     */
    public static final class Builder {
        private long initialDelayNs = Duration.ofMillis(100).toNanos();
        private double multiplier = 2.0;
        private long maxDelayNs = Duration.ofSeconds(2).toNanos();
        private double jitter = 0.2;
        private int maxAttempts = 16;
        private long deadlineNs = Duration.ofSeconds(30).toNanos();

        private Builder() { }

        /** @throws IllegalArgumentException if {@code delay} is not positive */
        public Builder withInitialDelay(Duration delay) {
            this.initialDelayNs = positiveNs(delay, "initialDelay");
            return this;
        }

        /** @throws IllegalArgumentException if {@code multiplier} is below 1 or not finite */
        public Builder withMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number of at least 1, got " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** @throws IllegalArgumentException if {@code maxDelay} is not positive */
        public Builder withMaxDelay(Duration maxDelay) {
            this.maxDelayNs = positiveNs(maxDelay, "maxDelay");
            return this;
        }

        /** @throws IllegalArgumentException if {@code jitter} is outside [0, 1) */
        public Builder withJitter(double jitter) {
            if (!(jitter >= 0.0 && jitter < 1.0)) {
                throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** @throws IllegalArgumentException if {@code maxAttempts} is below 1 */
        public Builder withMaxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** @throws IllegalArgumentException if {@code deadline} is not positive */
        public Builder withDeadline(Duration deadline) {
            this.deadlineNs = positiveNs(deadline, "deadline");
            return this;
        }

        /**
         * @throws IllegalStateException if the initial delay exceeds the max delay
         */
        public RetryPolicy build() {
            if (initialDelayNs > maxDelayNs) {
                throw new IllegalStateException("initialDelay (" + Duration.ofNanos(initialDelayNs)
                        + ") must not exceed maxDelay (" + Duration.ofNanos(maxDelayNs) + ")");
            }
            return new RetryPolicy(this);
        }

        private static long positiveNs(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return Nanos.of(d); // longer than 292 years: never, in effect
        }
    }
}
