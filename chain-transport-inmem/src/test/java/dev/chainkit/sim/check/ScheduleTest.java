package dev.chainkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId HQ = NodeId.of("hq");

    private static TimedAction<String> at(long ms, Action<String> action) {
        return new TimedAction<>(Duration.ofMillis(ms), action);
    }

    @Test
    void rendersOneScenarioLinePerAction() {
        Schedule<String> s = new Schedule<>(NetworkConfig.reliable().withLoss(0.1)
                .withLatency(Duration.ofMillis(5), Duration.ofMillis(80)), Duration.ofSeconds(30), List.of(
                at(0, new Action.Workload<>("judge1: a1 = register alice")),
                at(120, new Action.Fault<>(FaultRule.drop(2, "OpSync", A, HQ))),
                at(1000, new Action.Fault<>(FaultRule.delay(1, "ForwardSync", HQ, B, Duration.ofSeconds(3)))),
                at(2000, Action.Partition.of(Set.of(HQ, B), Set.of(A))),
                at(4000, new Action.Heal<>()),
                at(5000, new Action.Crash<>(HQ)),
                at(6000, new Action.Restart<>(HQ))));
        assertEquals("""
                network loss=0.1 duplicate=0.0 latency=5ms..80ms
                at 0ms judge1: a1 = register alice
                at 120ms drop 2 OpSync a -> hq
                at 1s delay next ForwardSync hq -> b by 3s
                at 2s partition b,hq | a
                at 4s heal
                at 5s crash hq
                at 6s restart hq
                calm at 30s
                """, s.render());
    }

    @Test
    void refusesActionsOutOfTimeOrderAndBadPartitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Schedule<>(
                NetworkConfig.reliable(), Duration.ofSeconds(1), List.of(at(20, new Action.Heal<String>()),
                at(10, new Action.Heal<>()))));
        assertTrue(e.getMessage().contains("actions must be in time order"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Action.Partition.of(Set.of(A), Set.of(A, B)));
        assertThrows(IllegalArgumentException.class, () -> Action.Partition.of(Set.of(), Set.of(B)));
        assertThrows(IllegalArgumentException.class, () -> new TimedAction<>(Duration.ofMillis(-1),
                new Action.Heal<String>()));
    }

    @Test
    void aMessageKindTheProtocolsDoNotHaveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleGenerator.<String>builder((r, nodes, i) -> "w" + i).protocols(Bank.PROTOCOL)
                        .messageKinds("Deposit", "Reserv").build());
        assertEquals("message kind 'Reserv' is not a message of the run's protocols, so a rule aimed at it would"
                + " never match (known: Deposit, Receipt, Busy, Aborted, any)", e.getMessage());
    }

    @Test
    void messageKindsWithoutTheProtocolsToCheckThemAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleGenerator.<String>builder((r, nodes, i) -> "w" + i).messageKinds("Reserv").build());
        assertTrue(e.getMessage().contains("call protocols(...)"), e.getMessage());
        ScheduleGenerator.<String>builder((r, nodes, i) -> "w" + i).messageKinds("any").build();
    }

    @Test
    void generatorIsDeterministicAndKeepsItsKnobs() {
        ScheduleGenerator<String> g = ScheduleGenerator.<String>builder((r, nodes, i) -> "w" + i)
                .horizon(Duration.ofSeconds(3)).workloads(2, 4).faults(6).loss(0.3).crashes(false)
                .protocols(Bank.PROTOCOL).messageKinds("Deposit").maxRuleCount(2).build();
        List<NodeId> nodes = List.of(HQ, A, B);
        for (long seed = 0; seed < 50; seed++) {
            Schedule<String> s = g.generate(new SplittableRandom(seed), nodes);
            assertEquals(s, g.generate(new SplittableRandom(seed), nodes), "same random source, same schedule");
            assertEquals(Duration.ofSeconds(3), s.calmAt());
            assertTrue(s.network().lossProbability() <= 0.3);
            long workloads = s.actions().stream().filter(a -> a.action() instanceof Action.Workload).count();
            assertTrue(workloads >= 2 && workloads <= 4);
            long partitions = s.actions().stream().filter(a -> a.action() instanceof Action.Partition).count();
            long heals = s.actions().stream().filter(a -> a.action() instanceof Action.Heal).count();
            assertEquals(partitions, heals, "every partition is healed");
            for (TimedAction<String> a : s.actions()) {
                assertTrue(a.at().compareTo(Duration.ofSeconds(3)) <= 0);
                assertTrue(!(a.action() instanceof Action.Crash), "crashes are off");
                if (a.action() instanceof Action.Fault<String> f) {
                    assertEquals("Deposit", f.rule().messageKind());
                    assertTrue(f.rule().count() <= 2);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ScheduleGenerator.<String>builder((r, n, i) -> "")
                .loss(1.5));
        assertThrows(IllegalArgumentException.class, () -> ScheduleGenerator.<String>builder((r, n, i) -> "")
                .workloads(3, 2));
    }
}
