package dev.chainkit.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioGenerator;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.fault.NetworkConfig;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.Simulation;
import io.vavr.control.Either;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The safety invariants are checked after every simulated event, and "each state is the replay of its log" must
 * not replay whole logs to do so: the rules are applied a bounded number of times per op and node, whatever the
 * run's length. Counted, not timed: the check used to replay every changed log in full, which made a run's work
 * grow with the square of its ops (and, with the old tournament state, the cube).
 */
class InvariantCostTest {

    @Test
    void checkingEveryEventAppliesTheRulesABoundedNumberOfTimesPerOpAndNode() throws Exception {
        Counting rules = new Counting();
        int ops = 400;
        int clients = 3;
        Scenario scenario = ScenarioParser.parse("g.scn", ScenarioGenerator.generate(clients, ops, 5));
        Simulation sim = Simulation.builder().seed(5).network(NetworkConfig.reliable()
                .withLoss(scenario.network().loss()).withLatency(scenario.network().latencyMin(),
                        scenario.network().latencyMax())).tracing(false).build();
        TournamentCluster cluster = new TournamentCluster(sim, scenario.servers(), scenario.clients(), rules,
                ClusterStores.inMemory(), scenario.hints());
        for (Event e : scenario.events()) {
            Event.LocalOp op = (Event.LocalOp) e;
            sim.at(op.at(), () -> cluster.submit(op.node(), null, op.op()));
        }
        scenario.calmAt().ifPresent(sim::calmAt);
        String[] broken = {null};
        long[] checks = {0};
        sim.afterEachEvent(s -> {
            checks[0]++;
            Optional<String> v = cluster.invariantViolation();
            if (v.isPresent() && broken[0] == null) {
                broken[0] = v.get();
            }
        });

        RunResult result = sim.runUntilQuiet(scenario.limit());

        assertTrue(result.quiet(), result.pending());
        assertEquals(null, broken[0]);
        assertEquals(Optional.empty(), cluster.divergence());
        int logged = cluster.log(cluster.serverName()).size();
        int nodes = clients + 1;
        assertTrue(checks[0] > 10L * ops, "the invariants ran after every one of " + checks[0] + " events");
        // Each node applies each op of its log once (a rebase again); the check adds at most as much again.
        long bound = 4L * logged * nodes;
        System.out.println("InvariantCostTest: " + rules.calls + " applications of the rules for " + logged
                + " ops on " + nodes + " nodes, " + checks[0] + " events");
        assertTrue(rules.calls <= bound, rules.calls + " applications of the rules for " + logged + " ops on "
                + nodes + " nodes, above " + bound);
    }

    /** The tournament rules, counting how often they are applied. */
    private static final class Counting implements Domain<TournamentState, TournamentOp> {
        private final Tournament rules = new Tournament();
        long calls;

        @Override
        public TournamentState empty() {
            return rules.empty();
        }

        @Override
        public PayloadCodec<TournamentOp> payloads() {
            return rules.payloads();
        }

        @Override
        public Either<OpError, TournamentState> apply(TournamentState state, Operation<TournamentOp> op) {
            calls++;
            return rules.apply(state, op);
        }
    }
}
