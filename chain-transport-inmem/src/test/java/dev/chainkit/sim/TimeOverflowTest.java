package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A delay so long that adding it to the virtual clock overflows means never, in the simulator's network and its
 * timers: before, a sum that wrapped into the past delivered a message at once, and a timer at the end of time ran
 * on the next step, moving the clock there.
 */
class TimeOverflowTest {

    private static final Duration LIMIT = Duration.ofMinutes(1);

    @Test
    void aLatencyTooLongForTheClockMeansTheMessageNeverArrives() {
        Simulation sim = Simulation.builder()
                .network(NetworkConfig.reliable().withLatency(Duration.ofNanos(Long.MAX_VALUE))).build();
        PingPong.Pair p = new PingPong.Pair(sim);
        p.pings(1);
        RunResult r = sim.runUntilQuiet(LIMIT);
        assertFalse(r.quiet());
        assertTrue(r.pending().contains("message(s) in transit"), r.pending());
        assertEquals(0, sim.counters().delivered(), "not even a retransmission, sent later, arrives");
        assertTrue(sim.counters().of("Ping").retransmitted() > 0);
        assertFalse(sim.step(), "no event left will ever run");
        assertEquals(0, sim.counters().delivered());
    }

    @Test
    void aLatencyBeyondWhatNanosecondsHoldMeansNeverToo() {
        NetworkConfig forever = NetworkConfig.reliable().withLatency(Duration.ofDays(365L * 1000));
        assertEquals(Long.MAX_VALUE, forever.latencyMaxNs());
        Simulation sim = Simulation.builder().network(forever).build();
        PingPong.Pair p = new PingPong.Pair(sim);
        sim.runFor(Duration.ofSeconds(1));
        p.pings(1);
        assertFalse(sim.runUntilQuiet(LIMIT).quiet());
        assertEquals(0, sim.counters().delivered());
    }

    @Test
    void aRuleDelayTooLongForTheClockMeansTheCopyNeverArrives() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.runFor(Duration.ofSeconds(1));
        p.sim.addRule(FaultRule.delay(1, "Ping", p.a.id(), p.b.id(), Duration.ofNanos(Long.MAX_VALUE - 1)));
        p.pings(1);
        RunResult r = p.sim.runUntilQuiet(LIMIT);
        assertFalse(r.quiet(), "the held copy is still in transit");
        assertEquals(1, p.sim.trace().count(TraceEvent.Type.DELAYED));
        assertEquals(1, p.a.app().completed(), "the retransmission, not held, completes the chain");
        assertEquals(1, p.sim.counters().of("Ping").delivered(), "the held ping never arrives");
    }

    @Test
    void aTimerTooLongForTheClockNeverRuns() {
        Simulation sim = Simulation.builder().build();
        int[] fired = {0};
        sim.addNode("n", ctx -> {
            ctx.scheduler().schedule(Long.MAX_VALUE, () -> fired[0]++);
            return null;
        });
        assertFalse(sim.step(), "nothing is due, ever");
        assertEquals(0, sim.nowNs(), "and the clock did not jump to the end of time");
        sim.runFor(Duration.ofDays(365));
        assertEquals(0, fired[0]);
        assertTrue(sim.pending().contains("application timer(s) pending"), sim.pending());
    }
}
