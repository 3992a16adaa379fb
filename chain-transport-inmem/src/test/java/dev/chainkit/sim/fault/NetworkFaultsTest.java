package dev.chainkit.sim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The fault decisions on their own: messages described only as a network proxy would after decoding a frame's
 * header (sender, receiver, protocol, kind, size), no envelope, no simulator.
 */
class NetworkFaultsTest {

    private static final long MS = 1_000_000L;
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");

    private static MessageInfo frame(NodeId from, NodeId to, String kind) {
        return new MessageInfo(from, to, "oplog", kind, 512);
    }

    @Test
    void aRuleMatchesFramesByLinkAndKindAndIsUsedUpAfterItsCount() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLatency(Duration.ofMillis(3)));
        faults.addRule(FaultRule.drop(2, "OpSync", A, B));
        RandomGenerator random = new SplittableRandom(1);
        assertEquals(FaultDecision.Drop.NONE, faults.decide(frame(A, B, "ForwardAck"), 0, random).drop());
        assertEquals(FaultDecision.Drop.NONE, faults.decide(frame(B, A, "OpSync"), 0, random).drop());
        assertEquals(FaultDecision.Drop.RULE, faults.decide(frame(A, B, "OpSync"), 0, random).drop());
        assertEquals(List.of(FaultRule.drop(1, "OpSync", A, B)), faults.rules(), "one count left");
        assertEquals(FaultDecision.Drop.RULE, faults.decide(frame(A, B, "OpSync"), 0, random).drop());
        assertEquals(List.of(), faults.rules(), "used up and gone");
        FaultDecision delivered = faults.decide(frame(A, B, "OpSync"), 7 * MS, random);
        assertEquals(new FaultDecision(7 * MS, FaultDecision.Drop.NONE, false, 0, false, 3 * MS, 0, 0), delivered);
        assertEquals(1, delivered.copies());
        assertEquals(10 * MS, delivered.dueNs(0));
    }

    @Test
    void aDropRuleWinsAndOnlyItIsUsedUp() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable());
        faults.addRule(FaultRule.duplicate(1, FaultRule.ANY_KIND, A, B));
        faults.addRule(FaultRule.delay(1, "OpSync", A, B, Duration.ofSeconds(1)));
        faults.addRule(FaultRule.drop(1, "OpSync", A, B));
        FaultDecision d = faults.decide(frame(A, B, "OpSync"), 0, new SplittableRandom(2));
        assertEquals(FaultDecision.Drop.RULE, d.drop());
        assertFalse(d.ruleDuplicated());
        assertEquals(0, d.copies());
        assertEquals(2, faults.rules().size(), "the duplicate and delay rules are untouched");
    }

    @Test
    void duplicateAndDelayRulesApplyOnceEachAndHoldEveryCopy() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable()
                .withLatency(Duration.ofMillis(1), Duration.ofMillis(9)));
        faults.addRule(FaultRule.duplicate(1, "OpSync", A, B));
        faults.addRule(FaultRule.duplicate(1, FaultRule.ANY_KIND, A, B));
        faults.addRule(FaultRule.delay(1, "OpSync", A, B, Duration.ofMillis(300)));
        FaultDecision d = faults.decide(frame(A, B, "OpSync"), 0, new SplittableRandom(3));
        assertTrue(d.ruleDuplicated());
        assertEquals(300 * MS, d.ruleDelayNs());
        assertEquals(2, d.copies());
        for (int copy = 0; copy < 2; copy++) {
            assertTrue(d.delayNs(copy) >= 301 * MS && d.delayNs(copy) <= 309 * MS, "copy " + copy + ": " + d);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> d.delayNs(2));
        assertEquals(List.of(FaultRule.duplicate(1, FaultRule.ANY_KIND, A, B)), faults.rules(),
                "only the oldest matching duplicate rule was used");
    }

    @Test
    void aPartitionCutsBothWaysUntilHealAndDrawsNothing() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLoss(0.5)
                .withLatency(Duration.ofMillis(1), Duration.ofMillis(5)));
        faults.addRule(FaultRule.drop(1, FaultRule.ANY_KIND, A, C));
        faults.partition(Set.of(A), Set.of(B, C));
        SplittableRandom random = new SplittableRandom(4);
        SplittableRandom untouched = new SplittableRandom(4);
        assertEquals(FaultDecision.Drop.PARTITION, faults.decide(frame(A, C, "OpSync"), 0, random).drop());
        assertEquals(FaultDecision.Drop.PARTITION, faults.decide(frame(B, A, "OpSync"), 0, random).drop());
        assertTrue(faults.isCut(C, A) && !faults.isCut(B, C));
        assertEquals(untouched.nextLong(), random.nextLong(), "a partitioned message makes no random draw");
        assertEquals(1, faults.rules().size(), "nor uses up a rule");
        faults.heal();
        assertFalse(faults.isCut(A, B));
        assertEquals(FaultDecision.Drop.RULE, faults.decide(frame(A, C, "OpSync"), 0, random).drop());
    }

    @Test
    void calmStopsRandomLossAndDuplicationButNotLatency() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLoss(1).withDuplicate(1)
                .withLatency(Duration.ofMillis(4)));
        RandomGenerator random = new SplittableRandom(5);
        assertEquals(FaultDecision.Drop.LOSS, faults.decide(frame(A, B, "x"), 0, random).drop());
        faults.calm();
        assertTrue(faults.isCalm());
        FaultDecision d = faults.decide(frame(A, B, "x"), 0, random);
        assertEquals(1, d.copies());
        assertEquals(4 * MS, d.delayNs(0));
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        NetworkConfig lossy = NetworkConfig.reliable().withLoss(0.3).withDuplicate(0.2)
                .withLatency(Duration.ofMillis(1), Duration.ofMillis(80));
        assertEquals(decisions(lossy, 42), decisions(lossy, 42));
        assertFalse(decisions(lossy, 42).equals(decisions(lossy, 43)));
    }

    private static List<FaultDecision> decisions(NetworkConfig config, long seed) {
        NetworkFaults faults = new NetworkFaults(config);
        faults.addRule(FaultRule.duplicate(3, "OpSync", A, B));
        RandomGenerator random = new SplittableRandom(seed);
        List<FaultDecision> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(faults.decide(frame(i % 2 == 0 ? A : B, i % 2 == 0 ? B : A, "OpSync"), i * MS, random));
        }
        return out;
    }

    /** A delay too long for the clock means never: latency plus rule delay saturate, and so do due times. */
    @Test
    void delaysAndDueTimesSaturateAtNever() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLatency(Duration.ofNanos(Long.MAX_VALUE
                - 5)));
        faults.addRule(FaultRule.delay(1, FaultRule.ANY_KIND, A, B, Duration.ofDays(365L * 10_000)));
        RandomGenerator random = new SplittableRandom(6);
        FaultDecision held = faults.decide(frame(A, B, "x"), 10, random);
        assertEquals(FaultDecision.NEVER, held.delayNs(0));
        assertEquals(FaultDecision.NEVER, held.dueNs(0));
        FaultDecision late = faults.decide(frame(A, B, "x"), 10, random);
        assertEquals(Long.MAX_VALUE - 5, late.delayNs(0));
        assertEquals(FaultDecision.NEVER, late.dueNs(0), "10 ns + (MAX - 5) ns overflows: never");
        assertEquals(Long.MAX_VALUE - 5 - 10, new FaultDecision(-10, FaultDecision.Drop.NONE, false, 0, false,
                Long.MAX_VALUE - 5, 0, 0).dueNs(0), "a clock below 0 has room");
        NetworkFaults wide = new NetworkFaults(NetworkConfig.reliable().withLatency(Duration.ZERO,
                Duration.ofNanos(Long.MAX_VALUE)));
        long drawn = wide.decide(frame(A, B, "x"), 0, random).delayNs(0);
        assertTrue(drawn >= 0, "a range as wide as a long draws without overflowing: " + drawn);
    }

    /** Nodes on several threads share one instance: a rule of count n affects exactly n messages. */
    @Test
    void aRuleIsUsedUpExactlyItsCountAcrossThreads() throws Exception {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable());
        faults.addRule(FaultRule.drop(1_000, FaultRule.ANY_KIND, A, B));
        AtomicLong dropped = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                RandomGenerator random = new SplittableRandom(seed);
                for (int i = 0; i < 5_000; i++) {
                    if (faults.decide(frame(A, B, "x"), i, random).dropped()) {
                        dropped.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1_000, dropped.get());
        assertEquals(List.of(), faults.rules());
    }

    @Test
    void badPartitionsAndContradictoryDecisionsAreRefused() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> faults.partition(Set.of(A), Set.of(A, B)));
        assertTrue(both.getMessage().contains("node a is on both sides"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> faults.partition(Set.of(), Set.of(B)));
        assertThrows(IllegalArgumentException.class, () -> new FaultDecision(0, FaultDecision.Drop.PARTITION, true,
                0, false, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FaultDecision(0, FaultDecision.Drop.LOSS, false, 0,
                true, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FaultDecision(0, FaultDecision.Drop.NONE, false, 0,
                false, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new FaultDecision(0, FaultDecision.Drop.NONE, false, 5,
                false, 4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MessageInfo(A, B, "p", "k", -2));
    }
}
