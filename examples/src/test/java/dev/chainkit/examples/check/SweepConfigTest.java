package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SweepConfigTest {

    @Test
    void theDefaultsAreTheIssuesRange() {
        SweepConfig c = SweepConfig.defaults();
        assertEquals(1, c.minClients());
        assertEquals(4, c.maxClients());
        assertEquals(30, c.maxOps());
        assertEquals(0.4, c.maxLoss());
        assertEquals(0.2, c.maxDuplicate());
        assertEquals(Duration.ofMillis(100), c.maxLatency());
        assertTrue(c.partitions() && c.crashes());
    }

    @Test
    void withersChangeOneValue() {
        SweepConfig c = SweepConfig.defaults().withClients(3).withMaxOps(7).withMaxLoss(0).withMaxDuplicate(0.5)
                .withMaxLatency(Duration.ofMillis(5)).withPartitions(false).withCrashes(false);
        assertEquals(new SweepConfig(3, 3, 7, 0, 0.5, Duration.ofMillis(5), false, false), c);
        assertEquals("clients=3 ops<=7 loss<=0.0 duplicate<=0.5 latency=1ms..5ms partitions=off crashes=off",
                c.toString());
    }

    @Test
    void outOfRangeValuesAreRefusedWithWhatWasExpected() {
        SweepConfig d = SweepConfig.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withClients(0)).getMessage()
                .contains("1 <= min <= max <= 8"));
        assertThrows(IllegalArgumentException.class, () -> d.withClients(3, 2));
        assertThrows(IllegalArgumentException.class, () -> d.withClients(9));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxOps(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxOps(SweepConfig.MAX_OPS + 1));
        assertEquals(2000, d.withMaxOps(2000).maxOps(), "a sweep may make 2,000 ops per seed (issue 16)");
        assertThrows(IllegalArgumentException.class, () -> d.withMaxLoss(1.5));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxDuplicate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxLatency(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> d.withMaxLatency(null));
    }
}
