package dev.chainkit.core.time;

import java.time.Duration;

/**
 * Saturating arithmetic for nanosecond times and delays: where a delay meets a clock, a sum that would overflow
 * stops at {@code Long.MAX_VALUE} (about 292 years from zero) instead of wrapping into the past, so a delay that
 * long means "never", not "at once". For hosts implementing a {@link Scheduler} as much as for the engine.
 *
 * <p>Thread safety: stateless.
 */
public final class Nanos {

    private Nanos() {
    }

    /**
     * {@code a + b}, or {@code Long.MAX_VALUE} / {@code Long.MIN_VALUE} where that would overflow.
     *
     * @param a nanoseconds
     * @param b nanoseconds
     */
    public static long addSaturated(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /**
     * {@code d} in nanoseconds, or {@code Long.MAX_VALUE} / {@code Long.MIN_VALUE} when it is longer than that (a
     * {@link Duration} reaches far beyond 292 years).
     *
     * @throws NullPointerException if {@code d} is null
     */
    public static long of(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
