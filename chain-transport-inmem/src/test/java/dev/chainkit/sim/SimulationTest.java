package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static String tracedRun(long seed) {
        Simulation sim = Simulation.builder().seed(seed)
                .network(NetworkConfig.reliable().withLoss(0.2).withDuplicate(0.1)
                        .withLatency(Duration.ofMillis(1), Duration.ofMillis(20)))
                .build();
        PingPong.Pair p = new PingPong.Pair(sim, 2);
        p.pings(20);
        sim.calmAt(Duration.ofSeconds(1));
        assertTrue(sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());
        return sim.trace().render();
    }

    @Test
    void sameSeedGivesByteIdenticalTrace() {
        String first = tracedRun(7);
        assertTrue(first.lines().count() > 100, "the run should record a real trace");
        assertEquals(first, tracedRun(7));
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        assertNotEquals(tracedRun(7), tracedRun(8));
    }

    @Test
    void reliableNetworkCompletesEveryChainWithOneDeliveryPerMessage() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.pings(10);
        RunResult r = p.sim.runUntilQuiet(Duration.ofMinutes(1));
        assertTrue(r.quiet());
        assertEquals(10, p.a.app().completed());
        assertEquals(10, p.b.app().handled);
        NetworkCounters c = p.sim.counters();
        assertEquals(20, c.sent());
        assertEquals(20, c.delivered());
        assertEquals(0, c.dropped() + c.duplicated() + c.retransmitted());
        assertEquals(Duration.ofMillis(2), r.time(), "one latency there and one back");
    }

    @Test
    void actionsDueAtTheSameTimeRunInTheOrderScheduled() {
        Simulation sim = Simulation.builder().build();
        List<String> order = new ArrayList<>();
        for (String s : List.of("first", "second", "third")) {
            sim.at(Duration.ofMillis(10), () -> order.add(s));
        }
        sim.at(Duration.ofMillis(5), () -> order.add("earlier"));
        sim.runFor(Duration.ofMillis(20));
        assertEquals(List.of("earlier", "first", "second", "third"), order);
        assertEquals(Duration.ofMillis(20), sim.now());
    }

    @Test
    void quietIgnoresPendingTombstoneExpiry() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.pings(3);
        RunResult r = p.sim.runUntilQuiet(Duration.ofMinutes(5));
        assertTrue(r.quiet());
        assertTrue(r.time().compareTo(Duration.ofSeconds(1)) < 0,
                "quiet comes right after the chains end, not after the dedup window: " + r.time());
        assertTrue(p.sim.step(), "the responder's housekeeping timer is still pending");
    }

    @Test
    void runUntilQuietReportsWhatIsPendingAtTheLimit() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.partition(java.util.Set.of(p.a.id()), java.util.Set.of(p.b.id()));
        p.pings(1);
        p.sim.at(Duration.ofSeconds(5), () -> { });
        RunResult r = p.sim.runUntilQuiet(Duration.ofSeconds(1));
        assertFalse(r.quiet());
        assertEquals(Duration.ofSeconds(1), r.time());
        assertTrue(r.pending().contains("1 scripted action(s) to run"), r.pending());
        assertTrue(r.pending().contains("chains in flight on [a]"), r.pending());
    }

    @Test
    void applicationTimersAndQuietConditionsKeepTheRunGoing() {
        Simulation sim = Simulation.builder().build();
        List<Long> firedAt = new ArrayList<>();
        sim.addNode("a", ctx -> ctx.scheduler().schedule(Duration.ofMillis(500).toNanos(),
                () -> firedAt.add(ctx.clock().nanoTime())));
        boolean[] done = {false};
        sim.quietWhen(() -> done[0]);
        sim.at(Duration.ofMillis(700), () -> done[0] = true);
        RunResult r = sim.runUntilQuiet(Duration.ofMinutes(1));
        assertTrue(r.quiet());
        assertEquals(List.of(Duration.ofMillis(500).toNanos()), firedAt);
        assertEquals(Duration.ofMillis(700), r.time());
    }

    @Test
    void afterEachEventHookRunsOncePerEvent() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        long[] calls = {0};
        p.sim.afterEachEvent(s -> calls[0]++);
        p.pings(5);
        p.sim.runUntilQuiet(Duration.ofMinutes(1));
        assertEquals(10, calls[0], "five pings and five pongs delivered");
        assertEquals(p.sim.eventCount(), calls[0]);
    }

    @Test
    void stepRunsOneEventAtATime() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.pings(1);
        assertTrue(p.sim.step());
        assertEquals(1, p.b.app().handled);
        assertEquals(0, p.a.app().completed());
        assertTrue(p.sim.step());
        assertEquals(1, p.a.app().completed());
        assertTrue(p.sim.runUntil(() -> p.sim.isQuiet(), Duration.ZERO));
    }
}
