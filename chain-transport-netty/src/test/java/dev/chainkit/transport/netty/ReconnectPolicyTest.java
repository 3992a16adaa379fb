package dev.chainkit.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    private static final long MS = 1_000_000L;

    @Test
    void windowsDoubleUpToTheCap() {
        ReconnectPolicy p = ReconnectPolicy.defaults();
        assertEquals(500 * MS, p.windowNs(0));
        assertEquals(1000 * MS, p.windowNs(1));
        assertEquals(16_000 * MS, p.windowNs(5));
        assertEquals(30_000 * MS, p.windowNs(6));
        assertEquals(30_000 * MS, p.windowNs(62));
        assertEquals(3000 * MS, ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(60)).withMultiplier(3)
                .windowNs(1));
    }

    @Test
    void delaysAreFullJitterWithinTheWindow() {
        ReconnectPolicy p = ReconnectPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(1));
        SplittableRandom random = new SplittableRandom(1);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = p.delayNs(0, random);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 0 && min < 2 * MS, "full jitter reaches down to 0, got min " + min);
        assertTrue(max <= 100 * MS && max > 98 * MS, "and up to the window, got max " + max);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.of(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.of(Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.defaults().withMultiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.defaults().windowNs(-1));
    }

    /**
     * 200 clients lose their server at time 0; it is back 300 ms later. Each client follows the policy with its own
     * seeded random source: an attempt before the server is back fails at once and the client waits again. Their
     * first successful attempts spread over the jitter window instead of arriving together.
     */
    @Test
    void twoHundredClientsReconnectingAfterAServerRestartSpreadOverTheJitterWindow() {
        long seed = Long.getLong("chainkit.seed", System.nanoTime());
        System.out.println("ReconnectPolicyTest seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")");
        ReconnectPolicy p = ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long downNs = 300 * MS;
        long[] arrivals = new long[200];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int c = 0; c < arrivals.length; c++) {
            SplittableRandom random = seeds.split();
            long t = 0;
            int attempt = 0;
            do {
                t += p.delayNs(attempt++, random);
            } while (t < downNs);
            arrivals[c] = t;
        }
        Arrays.sort(arrivals);
        int densest = 0;
        for (int i = 0, j = 0; i < arrivals.length; i++) {
            while (arrivals[i] - arrivals[j] > 50 * MS) {
                j++;
            }
            densest = Math.max(densest, i - j + 1);
        }
        long p10 = arrivals[20];
        long p90 = arrivals[180];
        assertTrue(densest <= 30, "seed " + seed + ": " + densest + " of 200 clients within 50 ms");
        assertTrue(p90 - p10 >= 800 * MS, "seed " + seed + ": 80% of the clients within " + (p90 - p10) / MS + " ms");
        assertTrue(arrivals[0] >= downNs);
    }
}
