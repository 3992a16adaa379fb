package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ValidationTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    private static void fails(String expected, Executable call) {
        Exception e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void networkRejectsProbabilitiesOutsideTheUnitInterval() {
        NetworkConfig n = NetworkConfig.reliable();
        fails("loss probability must be in [0, 1], got -0.1", () -> n.withLoss(-0.1));
        fails("loss probability must be in [0, 1], got 1.5", () -> n.withLoss(1.5));
        fails("loss probability must be in [0, 1], got NaN", () -> n.withLoss(Double.NaN));
        fails("duplicate probability must be in [0, 1], got 2.0", () -> n.withDuplicate(2));
        assertEquals(1.0, n.withLoss(1).lossProbability());
    }

    @Test
    void networkRejectsNegativeLatencyAndMaxBelowMin() {
        NetworkConfig n = NetworkConfig.reliable();
        fails("latency min must be 0 or more", () -> n.withLatency(Duration.ofMillis(-1), Duration.ofMillis(5)));
        fails("latency max must be at least latency min", () -> n.withLatency(Duration.ofMillis(5),
                Duration.ofMillis(2)));
        assertEquals("loss=0.0 duplicate=0.0 latency=5ms..80ms",
                n.withLatency(Duration.ofMillis(5), Duration.ofMillis(80)).toString());
    }

    @Test
    void ruleRejectsBadCountKindLinkAndDelay() {
        fails("rule count must be at least 1, got 0", () -> FaultRule.drop(0, "OpSync", A, B));
        fails("rule message kind must be a word", () -> FaultRule.drop(1, "Op Sync", A, B));
        fails("rule link must join two different nodes", () -> FaultRule.duplicate(1, "any", A, A));
        fails("rule delay must be 0 or more", () -> FaultRule.delay(1, "any", A, B, Duration.ofMillis(-5)));
        fails("only a delay rule has a delay", () -> new FaultRule(FaultRule.Action.DROP, 1, "any", A, B,
                Duration.ofMillis(5)));
    }

    @Test
    void ruleNamingAnUnknownNodeFailsFast() {
        Simulation sim = Simulation.builder().build();
        sim.addNode("a", ctx -> null);
        fails("rule 'drop next OpSync a -> zz' names unknown node 'zz'; nodes are [a]",
                () -> sim.addRule(FaultRule.drop(1, "OpSync", A, NodeId.of("zz"))));
    }

    @Test
    void partitionRejectsUnknownOverlappingAndEmptyGroups() {
        Simulation sim = Simulation.builder().build();
        sim.addNode("a", ctx -> null);
        sim.addNode("b", ctx -> null);
        fails("partition: unknown node 'c'", () -> sim.partition(Set.of(A), Set.of(NodeId.of("c"))));
        fails("node a is on both sides", () -> sim.partition(Set.of(A), Set.of(A, B)));
        fails("two non-empty groups", () -> sim.partition(Set.of(), Set.of(B)));
    }

    @Test
    void crashAndRestartRefuseTheWrongState() {
        Simulation sim = Simulation.builder().build();
        sim.addNode("a", ctx -> null);
        fails("cannot restart node a: it is up", () -> sim.restart(A));
        sim.crash(A);
        fails("cannot crash node a: it is already down", () -> sim.crash(A));
        fails("crash: unknown node 'b'", () -> sim.crash(B));
    }

    @Test
    void nodesNeedUniqueValidNamesAndTimesMustNotBeNegative() {
        Simulation sim = Simulation.builder().build();
        sim.addNode("a", ctx -> null);
        fails("node 'a' already exists", () -> sim.addNode("a", ctx -> null));
        fails("node name '1x' is invalid", () -> sim.addNode("1x", ctx -> null));
        fails("action time must be 0 or more", () -> sim.at(Duration.ofMillis(-1), () -> { }));
        fails("run limit must be 0 or more", () -> sim.runUntilQuiet(Duration.ofMillis(-1)));
    }
}
