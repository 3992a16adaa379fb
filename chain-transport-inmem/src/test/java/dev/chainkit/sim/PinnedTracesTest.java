package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded runs whose whole trace is pinned: every fault path of the simulated network (partition, each kind of
 * targeted rule, random loss, random duplication, latency draws, calm, crash and restart) in one run each, so that a
 * change to how the network decides (the order of its random draws, which rule wins, what the trace records) shows
 * up here even when every behavioural test still passes.
 *
 * <p>The digests were taken on the simulator as it was before its fault logic moved out of the core (into
 * {@code dev.chainkit.sim.fault}), and must not change with a refactoring. The retry policy is fixed (initial delay
 * equal to the max delay, no jitter), so the engine's RTT adaptation cannot move a retransmission: a change to the
 * engine's timers leaves these digests alone, a change to the network's decisions does not. When a digest changes on
 * purpose, the test prints the new trace: check it, then pin the new digest.
 */
class PinnedTracesTest {

    private static final NodeSettings FIXED_RETRY = NodeSettings.defaults().withRetryPolicy(RetryPolicy.builder()
            .withInitialDelay(Duration.ofMillis(200)).withMaxDelay(Duration.ofMillis(200)).withMultiplier(1)
            .withJitter(0).withMaxAttempts(100).withDeadline(Duration.ofSeconds(60)).build());

    @Test
    void randomLossDuplicationAndLatencyGiveThePinnedTrace() {
        Simulation sim = Simulation.builder().seed(11).settings(FIXED_RETRY)
                .network(NetworkConfig.reliable().withLoss(0.25).withDuplicate(0.15)
                        .withLatency(Duration.ofMillis(1), Duration.ofMillis(30)))
                .build();
        PingPong.Pair p = new PingPong.Pair(sim, 2);
        p.pings(40);
        sim.calmAt(Duration.ofSeconds(5));
        assertTrue(sim.runUntilQuiet(Duration.ofMinutes(2)).quiet(), sim.pending());
        assertEquals(40, p.a.app().completed());
        assertPinned("8e89f976896ce7a3", sim);
    }

    @Test
    void rulesPartitionsAndCrashesGiveThePinnedTrace() {
        Simulation sim = Simulation.builder().seed(5).settings(FIXED_RETRY)
                .network(NetworkConfig.reliable().withLoss(0.1).withDuplicate(0.1)
                        .withLatency(Duration.ofMillis(2), Duration.ofMillis(12)))
                .build();
        SimNode<PingPong.Server> b = sim.addNode("b", ctx -> PingPong.Server.on(ctx, 2));
        SimNode<PingPong.Client> a = sim.addNode("a", PingPong.Client::new);
        SimNode<PingPong.Client> c = sim.addNode("c", PingPong.Client::new);
        sim.addRule(FaultRule.drop(2, "Ping", a.id(), b.id()));
        sim.addRule(FaultRule.duplicate(3, "Pong", b.id(), a.id()));
        sim.addRule(FaultRule.delay(2, FaultRule.ANY_KIND, c.id(), b.id(), Duration.ofMillis(150)));
        sim.addRule(FaultRule.drop(1, FaultRule.ANY_KIND, b.id(), c.id()));
        sim.addRule(FaultRule.duplicate(10, FaultRule.ANY_KIND, c.id(), b.id()));
        for (int i = 0; i < 12; i++) {
            int n = i;
            sim.at(Duration.ofMillis(40L * i), "pings " + n, () -> {
                a.app().ping(b.id(), n);
                c.app().ping(b.id(), 100 + n);
            });
        }
        sim.at(Duration.ofMillis(300), "cut a", () -> sim.partition(Set.of(a.id()), Set.of(b.id(), c.id())));
        sim.at(Duration.ofMillis(700), "more rules", () -> {
            sim.addRule(FaultRule.drop(3, "Pong", b.id(), c.id()));
            sim.addRule(FaultRule.delay(1, "Ping", a.id(), b.id(), Duration.ofMillis(500)));
        });
        sim.at(Duration.ofMillis(900), "heal", sim::heal);
        sim.at(Duration.ofMillis(1195), "pings before the crash", () -> {
            c.app().ping(b.id(), 500);
            c.app().ping(b.id(), 501);
            c.app().ping(b.id(), 502);
        });
        sim.at(Duration.ofMillis(1200), "crash c", () -> sim.crash(c.id()));
        sim.at(Duration.ofMillis(1500), "restart c", () -> sim.restart(c.id()));
        sim.at(Duration.ofMillis(1600), "pings after restart", () -> c.app().ping(b.id(), 999));
        sim.calmAt(Duration.ofSeconds(3));
        assertTrue(sim.runUntilQuiet(Duration.ofMinutes(2)).quiet(), sim.pending());
        assertPinned("e076ffb3b0020b7e", sim);
    }

    private static void assertPinned(String digest, Simulation sim) {
        String text = sim.trace().render() + sim.counters().render();
        String actual = sha256(text).substring(0, 16);
        if (!actual.equals(digest)) {
            System.out.println("Trace of seed " + sim.seed() + " (digest " + actual + "):\n" + text);
        }
        assertEquals(digest, actual, "the trace of seed " + sim.seed() + " changed (printed above)");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is part of every JDK", e);
        }
    }
}
