package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.RejectReason;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final long MS = 1_000_000L;

    private static List<TraceEvent> events(Simulation sim, TraceEvent.Type type, String detail) {
        return sim.trace().ofType(type).filter(e -> e.detail().equals(detail)).collect(Collectors.toList());
    }

    @Test
    void randomLossDropsMessagesAndRetransmissionRecoversThem() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().seed(3)
                .network(NetworkConfig.reliable().withLoss(0.3)).build());
        p.pings(200);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        NetworkCounters c = p.sim.counters();
        double share = (double) c.dropped() / c.sent();
        assertTrue(share > 0.2 && share < 0.4, "about 30% lost, got " + share);
        assertTrue(c.retransmitted() > 0);
        assertEquals(c.dropped(), events(p.sim, TraceEvent.Type.DROPPED, "loss").size());
        assertEquals(200, p.a.app().completed(), "every chain completes despite loss");
        assertEquals(200, p.b.app().handled, "and each ping is handled once");
    }

    @Test
    void randomDuplicatesAreAnsweredFromTheReplyCacheNotHandledAgain() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().seed(4)
                .network(NetworkConfig.reliable().withDuplicate(0.5)).build());
        p.pings(100);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        NetworkCounters c = p.sim.counters();
        assertTrue(c.duplicated() > 20, "about half duplicated, got " + c.duplicated());
        assertEquals(c.sent() + c.duplicated(), c.delivered());
        assertTrue(p.b.chainNode().stats().count(ChainEventType.DUPLICATE_ANSWERED) > 0);
        assertEquals(100, p.b.app().handled);
        assertEquals(100, p.a.app().completed());
    }

    @Test
    void latencyRangeReordersMessages() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().seed(5)
                .network(NetworkConfig.reliable().withLatency(Duration.ofMillis(1), Duration.ofMillis(50))).build());
        p.pings(30);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        List<Long> arrival = p.sim.trace().ofType(TraceEvent.Type.DELIVERED).filter(e -> e.step() == 0)
                .map(e -> e.chainId().sequence()).distinct().collect(Collectors.toList());
        assertEquals(30, arrival.size());
        assertNotEquals(arrival.stream().sorted().collect(Collectors.toList()), arrival,
                "pings sent in order 1..30 arrive in another order");
    }

    @Test
    void dropRuleDropsOnlyTheNextNMessagesOfItsKindOnItsLink() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.addRule(FaultRule.drop(2, "Ping", p.a.id(), p.b.id()));
        p.sim.addRule(FaultRule.drop(5, "Ping", p.b.id(), p.a.id()));
        p.pings(3);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        List<TraceEvent> dropped = events(p.sim, TraceEvent.Type.DROPPED, "rule");
        assertEquals(2, dropped.size());
        assertTrue(dropped.stream().allMatch(e -> e.messageKind().equals("Ping") && e.chainId().sequence() <= 2));
        assertEquals(0, p.sim.counters().of("Pong").dropped(), "the rule matches Ping only");
        assertEquals(3, p.a.app().completed());
    }

    @Test
    void rulesApplyToRetransmissions() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.addRule(FaultRule.drop(3, "Ping", p.a.id(), p.b.id()));
        p.pings(1);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        NetworkCounters.Counts ping = p.sim.counters().of("Ping");
        assertEquals(4, ping.sent());
        assertEquals(3, ping.retransmitted());
        assertEquals(3, ping.dropped());
        assertEquals(3, events(p.sim, TraceEvent.Type.SENT, "retransmission").size());
        assertEquals(1, p.a.app().completed());
    }

    @Test
    void duplicateRuleDeliversTheNextMessageTwice() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.addRule(FaultRule.duplicate(1, "Ping", p.a.id(), p.b.id()));
        p.pings(2);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        assertEquals(3, p.sim.counters().of("Ping").delivered());
        assertEquals(1, events(p.sim, TraceEvent.Type.DELIVERED, "duplicate").size());
        assertEquals(2, p.b.app().handled, "the copy is answered from the cache");
        assertEquals(3, p.sim.counters().of("Pong").sent());
    }

    @Test
    void delayRuleHoldsTheNextMessageForItsDelay() {
        NodeSettings slowRetry = NodeSettings.defaults().withRetryPolicy(
                RetryPolicy.builder().withInitialDelay(Duration.ofSeconds(1)).withJitter(0).build());
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().settings(slowRetry).build());
        p.sim.addRule(FaultRule.delay(1, FaultRule.ANY_KIND, p.a.id(), p.b.id(), Duration.ofMillis(300)));
        p.pings(2);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        List<Long> arrivals = p.sim.trace().ofType(TraceEvent.Type.DELIVERED).filter(e -> e.to().equals(p.b.id()))
                .map(TraceEvent::timeNs).collect(Collectors.toList());
        assertEquals(List.of(1 * MS, 301 * MS), arrivals, "the second ping overtakes the delayed first");
        assertEquals(1, p.sim.trace().count(TraceEvent.Type.DELAYED));
    }

    @Test
    void ruleForAnyKindMatchesEngineRepliesToo() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.addRule(FaultRule.drop(1, FaultRule.ANY_KIND, p.b.id(), p.a.id()));
        p.pings(1);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        assertEquals(1, p.sim.counters().of("Pong").dropped());
        assertEquals(1, p.a.app().completed());
        assertEquals(1, p.b.app().handled, "the retransmitted ping is answered from the tombstone");
    }

    @Test
    void partitionCutsBothDirectionsUntilHeal() {
        Simulation sim = Simulation.builder().build();
        SimNode<PingPong.Client> a = sim.addNode("a", ctx -> {
            PingPong.Server.on(ctx, 1);
            return new PingPong.Client(ctx);
        });
        SimNode<PingPong.Client> b = sim.addNode("b", ctx -> {
            PingPong.Server.on(ctx, 1);
            return new PingPong.Client(ctx);
        });
        sim.partition(Set.of(a.id()), Set.of(b.id()));
        a.app().ping(b.id(), 1);
        b.app().ping(a.id(), 2);
        sim.at(Duration.ofMillis(500), sim::heal);
        assertTrue(sim.runUntilQuiet(LIMIT).quiet());
        List<TraceEvent> cut = events(sim, TraceEvent.Type.DROPPED, "partition");
        assertTrue(cut.stream().anyMatch(e -> e.from().equals(a.id())));
        assertTrue(cut.stream().anyMatch(e -> e.from().equals(b.id())));
        assertTrue(cut.stream().allMatch(e -> e.timeNs() < 500 * MS));
        assertTrue(sim.trace().ofType(TraceEvent.Type.DELIVERED).allMatch(e -> e.timeNs() > 500 * MS));
        assertEquals(1, a.app().completed());
        assertEquals(1, b.app().completed());
    }

    @Test
    void calmStopsRandomFaultsButNotLatency() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder()
                .network(NetworkConfig.reliable().withLoss(1.0).withLatency(Duration.ofMillis(7))).build());
        p.pings(5);
        p.sim.calmAt(Duration.ofSeconds(1));
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        assertTrue(events(p.sim, TraceEvent.Type.DROPPED, "loss").stream().allMatch(e -> e.timeNs() <= 1000 * MS));
        assertEquals(5, p.a.app().completed());
        assertTrue(p.sim.trace().ofType(TraceEvent.Type.DELIVERED).findFirst().orElseThrow().timeNs() > 1000 * MS);
    }

    @Test
    void crashLosesVolatileStateButKeepsTheDurableStore() {
        Simulation sim = Simulation.builder().build();
        SimNode<int[]> n = sim.addNode("n", ctx -> {
            ctx.durable().get("boots", () -> new int[1])[0]++;
            return new int[] {42};
        });
        n.app()[0] = 7;
        sim.crash(n.id());
        assertNull(n.app());
        assertNull(n.chainNode());
        assertTrue(!n.isUp());
        sim.restart(n.id());
        assertEquals(2, n.incarnation());
        assertEquals(2, n.chainNode().incarnation());
        assertEquals(42, n.app()[0], "volatile state starts over");
        assertEquals(2, n.durable().<int[]>find("boots").orElseThrow()[0], "the durable store survived");
        assertEquals(List.of("crashed", "restarted"), sim.trace().events().stream()
                .map(e -> e.type().name().toLowerCase()).collect(Collectors.toList()));
    }

    @Test
    void timersOfACrashedIncarnationNeverRun() {
        Simulation sim = Simulation.builder().build();
        int[] fired = {0};
        SimNode<Object> n = sim.addNode("n", ctx -> {
            ctx.scheduler().schedule(100 * MS, () -> fired[0]++);
            return null;
        });
        sim.at(Duration.ofMillis(50), () -> sim.crash(n.id()));
        sim.at(Duration.ofMillis(60), () -> sim.restart(n.id()));
        assertTrue(sim.runUntilQuiet(LIMIT).quiet());
        sim.runFor(Duration.ofSeconds(1));
        assertEquals(1, fired[0], "only the second incarnation's timer ran");
        assertEquals(160 * MS, sim.trace().ofType(TraceEvent.Type.TIMER).findFirst().orElseThrow().timeNs());
    }

    @Test
    void messagesReachingADownNodeAreDropped() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.crash(p.b.id());
        p.pings(1);
        p.sim.at(Duration.ofMillis(250), () -> p.sim.restart(p.b.id()));
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        assertTrue(events(p.sim, TraceEvent.Type.DROPPED, "node down").size() >= 2);
        assertEquals(1, p.a.app().completed(), "the restarted responder answers the retransmission");
    }

    @Test
    void restartedResponderAbortsTheChainsOfItsOldIncarnation() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build(), 2);
        p.pings(1);
        // b answers step 0 at 1ms; a's step 2 (addressed to b's incarnation 1) arrives at 3ms, after b restarted.
        p.sim.at(Duration.ofNanos(1_500_000), () -> p.sim.crash(p.b.id()));
        p.sim.at(Duration.ofNanos(2_500_000), () -> p.sim.restart(p.b.id()));
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        Outcome<Integer> outcome = p.a.app().outcomes.get(0);
        assertInstanceOf(Outcome.Failed.class, outcome);
        assertTrue(((Outcome.Failed<Integer>) outcome).reason().contains("restarted"), outcome.toString());
        assertEquals(1, p.b.chainNode().stats().rejected(RejectReason.STALE_RECEIVER));
        p.pings(1);
        assertTrue(p.sim.runUntilQuiet(LIMIT).quiet());
        assertEquals(1, p.a.app().completed(), "a new chain with the new incarnation completes");
    }
}
