package dev.chainkit.sim.fault;

import java.time.Duration;

/**
 * Durations as the fault logic reads and writes them: in nanoseconds, saturated (a duration too long for the clock
 * means never), and as scenario files write them ({@code 250ms}, {@code 2s}), the text of fault rules and network
 * settings ({@link FaultRule#toString()}, {@link NetworkConfig#toString()}) and of the simulator's traces.
 *
 * <p>Thread safety: stateless.
 */
public final class Durations {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * A duration in the largest unit that states it exactly: {@code 2s}, {@code 250ms}, {@code 15us} or
     * {@code 7ns}.
     *
     * @param ns the duration in nanoseconds, 0 or more
     */
    public static String format(long ns) {
        if (ns != 0 && ns % S == 0) {
            return ns / S + "s";
        }
        if (ns % MS == 0) {
            return ns / MS + "ms";
        }
        if (ns % US == 0) {
            return ns / US + "us";
        }
        return ns + "ns";
    }

    /**
     * {@code d} in nanoseconds, saturated: a duration too long for a {@code long} of nanoseconds (about 292 years)
     * gives {@link Long#MAX_VALUE}, which the fault logic reads as never.
     *
     * @param d a duration, 0 or more
     */
    public static long saturatedNanos(Duration d) {
        return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    /**
     * A virtual time as milliseconds with microsecond precision, right-aligned for traces: {@code "    12.345ms"}.
     *
     * @param ns the time in nanoseconds, 0 or more
     */
    public static String timestamp(long ns) {
        long micros = ns / US;
        String frac = Long.toString(micros % 1000);
        String s = micros / 1000 + "." + "000".substring(frac.length()) + frac + "ms";
        return s.length() >= 12 ? s : "            ".substring(s.length()) + s;
    }
}
