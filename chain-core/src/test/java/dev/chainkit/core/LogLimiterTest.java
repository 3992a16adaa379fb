package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.time.VirtualTime;
import org.junit.jupiter.api.Test;

/** {@link LogLimiter}: one line per peer and kind per interval, the held-back count reported, a fixed table. */
class LogLimiterTest {

    private final VirtualTime time = new VirtualTime();
    private final LogLimiter limiter = new LogLimiter(SecretHash.random(), time);

    @Test
    void letsOneLineThroughPerIntervalAndReportsHowManyWereHeldBack() {
        NodeId a = NodeId.of("a");
        assertEquals(0, limiter.admit(a, 1));
        for (int i = 0; i < 999; i++) {
            assertEquals(-1, limiter.admit(a, 1));
        }
        time.advanceTo(LogLimiter.INTERVAL_NS - 1);
        assertEquals(-1, limiter.admit(a, 1));
        time.advanceTo(LogLimiter.INTERVAL_NS);
        assertEquals(1000, limiter.admit(a, 1), "the next line says how many were held back");
        assertEquals(-1, limiter.admit(a, 1));
    }

    @Test
    void aMillionPeersGetAtMostOneLinePerBucketAndLoseNoCount() {
        int through = 0;
        long reported = 0;
        for (int p = 0; p < 1_000_000; p++) {
            long held = limiter.admit(NodeId.of("p" + p), 3);
            if (held >= 0) {
                through++;
                reported += held;
            }
        }
        assertTrue(through <= LogLimiter.SLOTS, through + " lines got through");
        time.advanceTo(LogLimiter.INTERVAL_NS);
        for (int p = 0; p < 1_000_000; p++) {
            long held = limiter.admit(NodeId.of("p" + p), 3);
            if (held >= 0) {
                through++;
                reported += held;
            }
        }
        assertTrue(through <= 2 * LogLimiter.SLOTS, through + " lines got through");
        assertTrue(reported >= 1_000_000 - LogLimiter.SLOTS,
                "what the first interval held back is reported in the second: " + reported);
    }

    @Test
    void differentKindsAndPeersAreLimitedApart() {
        // a fixed key under which these eight keys fall in eight buckets (a random one shares a bucket now and then)
        LogLimiter limiter = new LogLimiter(new SecretHash(3, 4), time);
        int through = 0;
        for (int kind = 0; kind < 4; kind++) {
            for (String p : new String[] {"a", "b"}) {
                if (limiter.admit(NodeId.of(p), kind) >= 0) {
                    through++;
                }
            }
        }
        assertEquals(8, through, "each peer and kind has its own budget");
    }
}
