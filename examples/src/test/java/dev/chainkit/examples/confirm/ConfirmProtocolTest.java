package dev.chainkit.examples.confirm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.confirm.MatchDevice.DisputePolicy;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import io.vavr.control.Option;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The match-result confirmation protocol on the simulator: each report is settled exactly once, on both phones
 * alike, whatever the network loses or duplicates and whichever phone crashes.
 */
class ConfirmProtocolTest {

    /** The phones of one simulated event, each keeping its ledger in its node's durable store. */
    private static final class Phones {
        final Simulation sim;
        final Map<String, SimNode<MatchDevice>> nodes = new LinkedHashMap<>();

        Phones(Simulation sim, Map<String, DisputePolicy> players) {
            this.sim = sim;
            players.forEach((name, policy) -> nodes.put(name, sim.addNode(name, ctx -> new MatchDevice(ctx.node(),
                    ctx.scheduler(), ctx.durable().get("ledger", Ledger::new), policy))));
            sim.quietWhen(() -> nodes.values().stream().allMatch(n -> n.isUp() && n.app().isIdle()));
        }

        Ledger ledger(String name) {
            return nodes.get(name).durable().<Ledger>find("ledger").orElseThrow();
        }

        void report(Duration at, String reporter, String match, String opponent, Score score) {
            sim.at(at, reporter + " reports " + match, () -> nodes.get(reporter).app().report(match,
                    NodeId.of(opponent), score));
        }

        void saw(String player, String match, Score score) {
            ledger(player).saw(match, score);
        }

        /** Checks that {@code match} is settled exactly once on both phones, as {@code expected}. */
        void assertSettledOnce(String match, String reporter, String opponent, Settlement expected) {
            for (String phone : List.of(reporter, opponent)) {
                assertEquals(Integer.valueOf(1), ledger(phone).settleCounts().get(match), phone + " settles " + match
                        + " once; counts " + ledger(phone).settleCounts());
                assertEquals(Option.some(expected), Option.ofOptional(ledger(phone).settlement(match)),
                        phone + "'s settlement of " + match);
            }
            assertTrue(ledger(reporter).unsettled().isEmpty(), reporter + " has nothing left to report");
        }
    }

    private static Simulation sim(long seed, NetworkConfig network) {
        return Simulation.builder().seed(seed).network(network).build();
    }

    private static Settlement agreed(String match, String reporter, Score score) {
        return new Settlement(match, reporter, Settlement.How.AGREED, Option.some(score));
    }

    @Test
    void agreedReportIsConfirmedInOneRoundTrip() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable()),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 0));

        RunResult r = p.sim.runUntilQuiet(Duration.ofMinutes(1));

        assertTrue(r.quiet(), r.pending());
        p.assertSettledOnce("r1-alice-bob", "alice", "bob", agreed("r1-alice-bob", "alice", Score.of(2, 0)));
        assertEquals(1, p.sim.counters().of("ResultReport").sent());
        assertEquals(1, p.sim.counters().of("Confirmed").sent());
        assertEquals(2, p.sim.counters().sent());
    }

    @Test
    void disputeSettlesWithTheCounterScoreWhenTheReporterAccepts() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable()),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.saw("bob", "r1-alice-bob", new Score(1, 1, 1));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 1));

        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());

        p.assertSettledOnce("r1-alice-bob", "alice", "bob", new Settlement("r1-alice-bob", "alice",
                Settlement.How.COUNTER_ACCEPTED, Option.some(new Score(1, 1, 1))));
        assertEquals(List.of("Disputed", "Resolution", "ResultReport", "Settled"),
                List.copyOf(p.sim.counters().byKind().keySet()));
    }

    @Test
    void disputeGoesToAJudgeWhenTheReporterEscalates() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable()),
                Map.of("alice", DisputePolicy.ESCALATE, "bob", DisputePolicy.ACCEPT));
        p.saw("bob", "r1-alice-bob", Score.of(2, 0));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 0));

        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());

        p.assertSettledOnce("r1-alice-bob", "alice", "bob", new Settlement("r1-alice-bob", "alice",
                Settlement.How.ESCALATED, Option.none()));
    }

    @Test
    void lostConfirmationIsAnsweredFromTheReplyCacheNotSettledAgain() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable()),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.sim.addRule(FaultRule.drop(2, "Confirmed", NodeId.of("bob"), NodeId.of("alice")));
        p.sim.addRule(FaultRule.duplicate(3, "ResultReport", NodeId.of("alice"), NodeId.of("bob")));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 0));

        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());

        p.assertSettledOnce("r1-alice-bob", "alice", "bob", agreed("r1-alice-bob", "alice", Score.of(2, 0)));
        assertTrue(p.sim.counters().of("ResultReport").retransmitted() >= 1);
        assertTrue(p.sim.counters().of("Confirmed").sent() >= 3, "answers to duplicates come from the reply cache");
    }

    @Test
    void opponentThatCrashesAfterConfirmingAnswersTheRepeatedReportFromItsLedger() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable().withLatency(Duration.ofMillis(20))),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.sim.addRule(FaultRule.drop(1, "Confirmed", NodeId.of("bob"), NodeId.of("alice")));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 0));
        p.sim.at(Duration.ofMillis(30), () -> p.sim.crash(NodeId.of("bob")));
        p.sim.at(Duration.ofSeconds(3), () -> p.sim.restart(NodeId.of("bob")));

        RunResult r = p.sim.runUntilQuiet(Duration.ofMinutes(5));

        assertTrue(r.quiet(), r.pending());
        p.assertSettledOnce("r1-alice-bob", "alice", "bob", agreed("r1-alice-bob", "alice", Score.of(2, 0)));
        assertTrue(p.sim.counters().of("Settled").sent() >= 1, "the new bob answers from its ledger");
    }

    @Test
    void reporterThatCrashesBeforeTheAnswerReportsAgainAndSettlesOnce() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable().withLatency(Duration.ofMillis(20))),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(2, 0));
        p.sim.at(Duration.ofMillis(30), () -> p.sim.crash(NodeId.of("alice")));
        p.sim.at(Duration.ofSeconds(1), () -> p.sim.restart(NodeId.of("alice")));

        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(5)).quiet());

        p.assertSettledOnce("r1-alice-bob", "alice", "bob", agreed("r1-alice-bob", "alice", Score.of(2, 0)));
        assertEquals(2, p.sim.counters().of("ResultReport").sent() - p.sim.counters().of("ResultReport")
                .retransmitted(), "the first report and the one after the restart");
    }

    @Test
    void crashInTheMiddleOfADisputeStillEndsInOneSettlement() {
        Phones p = new Phones(sim(1, NetworkConfig.reliable().withLatency(Duration.ofMillis(20))),
                Map.of("alice", DisputePolicy.ACCEPT, "bob", DisputePolicy.ACCEPT));
        p.saw("bob", "r1-alice-bob", Score.of(0, 2));
        p.report(Duration.ZERO, "alice", "r1-alice-bob", "bob", Score.of(1, 2));
        p.sim.at(Duration.ofMillis(30), () -> p.sim.crash(NodeId.of("bob"))); // after Disputed, before Resolution
        p.sim.at(Duration.ofSeconds(2), () -> p.sim.restart(NodeId.of("bob")));

        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(5)).quiet());

        p.assertSettledOnce("r1-alice-bob", "alice", "bob", new Settlement("r1-alice-bob", "alice",
                Settlement.How.COUNTER_ACCEPTED, Option.some(Score.of(2, 0))));
        assertTrue(p.sim.counters().of("Disputed").sent() >= 2, "disputed again after the restart");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyReportOfAnEveningSettlesExactlyOnceOnALossyNetworkWithACrash(long seed) {
        NetworkConfig venue = NetworkConfig.reliable().withLoss(0.2).withDuplicate(0.2)
                .withLatency(Duration.ofMillis(1), Duration.ofMillis(80));
        Map<String, DisputePolicy> players = new LinkedHashMap<>();
        for (int i = 1; i <= 8; i++) {
            players.put("p" + i, i % 2 == 0 ? DisputePolicy.ACCEPT : DisputePolicy.ESCALATE);
        }
        Phones p = new Phones(sim(seed, venue), players);
        List<String[]> matches = new ArrayList<>();
        Map<String, Settlement> expected = new LinkedHashMap<>();
        List<String> names = List.copyOf(players.keySet());
        for (int round = 1; round <= 3; round++) {
            for (int table = 0; table < 4; table++) {
                String reporter = names.get((2 * table + round - 1) % 8);
                String opponent = names.get((2 * table + round) % 8);
                String match = "r" + round + "-" + reporter + "-" + opponent;
                Score reported = Score.of(2, table % 2);
                boolean disputed = (round + table) % 3 == 0;
                if (disputed) {
                    p.saw(opponent, match, Score.of(2, 1)); // the opponent says it won
                }
                Settlement.How how = !disputed ? Settlement.How.AGREED
                        : players.get(reporter) == DisputePolicy.ACCEPT ? Settlement.How.COUNTER_ACCEPTED
                        : Settlement.How.ESCALATED;
                Option<Score> score = how == Settlement.How.AGREED ? Option.some(reported)
                        : how == Settlement.How.COUNTER_ACCEPTED ? Option.some(Score.of(1, 2)) : Option.none();
                expected.put(match, new Settlement(match, reporter, how, score));
                matches.add(new String[] {match, reporter, opponent});
                p.report(Duration.ofSeconds(10L * round).plusMillis(37L * table), reporter, match, opponent,
                        reported);
            }
        }
        String crashing = names.get((int) (seed % 8));
        // after the first round's reports are made, while their chains are in flight
        p.sim.at(Duration.ofSeconds(10).plusMillis(150 + seed * 3), () -> p.sim.crash(NodeId.of(crashing)));
        p.sim.at(Duration.ofSeconds(14), () -> p.sim.restart(NodeId.of(crashing)));
        p.sim.calmAt(Duration.ofSeconds(60));

        RunResult r = p.sim.runUntilQuiet(Duration.ofMinutes(10));

        assertTrue(r.quiet(), "seed " + seed + ": " + r.pending());
        for (String[] m : matches) {
            p.assertSettledOnce(m[0], m[1], m[2], expected.get(m[0]));
        }
    }
}
