package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Decide;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.check.Action;
import dev.chainkit.sim.check.PropertyRunner;
import dev.chainkit.sim.check.Schedule;
import dev.chainkit.sim.check.TimedAction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the seeds of a sweep draw: the clusters, the workloads and the faults, within the config's ranges. */
class ClusterShapeTest {

    private final TournamentSyncCheck check = new TournamentSyncCheck(SweepConfig.defaults());

    @Test
    void aSeedAlwaysNamesTheSameClusterAndSchedule() {
        for (long seed = 1; seed <= 20; seed++) {
            assertEquals(check.shape(seed), check.shape(seed));
            assertEquals(PropertyRunner.schedule(check, seed), PropertyRunner.schedule(check, seed));
        }
    }

    @Test
    void theSeedsCoverTheConfigsRanges() {
        Set<Integer> clients = new HashSet<>();
        Set<Duration> spans = new HashSet<>();
        int slowSeeds = 0;
        Set<String> outages = new HashSet<>();
        Set<String> roles = new HashSet<>();
        Set<Decide> decides = new HashSet<>();
        Set<String> faults = new HashSet<>();
        Set<String> ops = new HashSet<>();
        boolean server = false;
        for (long seed = 1; seed <= 300; seed++) {
            ClusterShape shape = check.shape(seed);
            clients.add(shape.clients().size());
            spans.add(shape.span());
            assertEquals("hq", shape.server().name());
            int slow = 0;
            for (ClientSpec c : shape.clients()) {
                roles.add(c.role() instanceof Role.Player ? "player" : c.role().toString());
                decides.add(c.decide());
                long think = c.think().toMillis();
                if (think > ClusterShape.MAX_THINK_MS) {
                    slow++;
                    assertTrue(think >= ClusterShape.MIN_SLOW_THINK_MS && think <= ClusterShape.MAX_SLOW_THINK_MS
                            && think > 30_000, "a slow user thinks longer than a chain's deadline: " + c);
                }
            }
            assertTrue(slow <= 1, "at most one slow user per seed");
            slowSeeds += slow;
            String quiet = shape.outage().map(ClusterShape.Outage::quietClient).orElse(null);
            shape.outage().ifPresent(o -> {
                outages.add(o.crash() ? (o.down().equals("hq") ? "server crash" : "client crash") : "partition");
                assertTrue(o.length().compareTo(ClusterShape.MIN_OUTAGE) >= 0
                        && o.length().compareTo(ClusterShape.MAX_OUTAGE) <= 0, o.toString());
                assertTrue(o.start().compareTo(shape.span()) < 0, o.toString());
                assertEquals(o.end(), shape.horizon());
            });
            if (shape.outage().isEmpty()) {
                assertEquals(shape.span(), shape.horizon());
            }
            Schedule<SyncWork> s = PropertyRunner.schedule(check, seed);
            assertTrue(s.network().lossProbability() <= 0.4 && s.network().duplicateProbability() <= 0.2);
            assertTrue(s.network().latencyMax().toMillis() <= 100);
            assertEquals(shape.horizon(), s.calmAt());
            int work = 0;
            Set<String> labels = new HashSet<>();
            for (TimedAction<SyncWork> ta : s.actions()) {
                assertTrue(ta.at().compareTo(shape.horizon()) <= 0, ta.toString());

                faults.add(ta.action().getClass().getSimpleName());
                if (ta.action() instanceof Action.Workload<SyncWork> w) {
                    work++;
                    assertTrue(labels.add(w.work().label()), "labels are unique: " + w.work());
                    assertTrue(shape.nodeNames().contains(w.work().node()));
                    assertTrue(ta.at().compareTo(shape.span()) < 0, "ops are made within the span: " + ta);
                    assertTrue(!w.work().node().equals(quiet), "the quiet client makes no ops: " + ta);
                    ops.add(w.work().op().text().split(" ")[0]);
                    server |= w.work().node().equals("hq");
                }
            }
            assertTrue(work >= 1 && work <= 30, "1 to 30 ops, got " + work);
            shape.outage().ifPresent(o -> {
                // the long outage is the only fault of its kind, so no other heal or restart ends it early
                Class<?> kind = o.crash() ? Action.Crash.class : Action.Partition.class;
                Class<?> end = o.crash() ? Action.Restart.class : Action.Heal.class;
                assertEquals(List.of(o.start()), s.actions().stream().filter(ta -> kind.isInstance(ta.action()))
                        .map(TimedAction::at).toList(), s.render());
                assertEquals(List.of(o.end()), s.actions().stream().filter(ta -> end.isInstance(ta.action()))
                        .map(TimedAction::at).toList(), s.render());
            });
        }
        assertEquals(Set.of(1, 2, 3, 4), clients);
        assertEquals(Set.of(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(40)), spans);
        assertTrue(slowSeeds >= 8 && slowSeeds <= 40, "about 7 seeds in 100 have a slow user: " + slowSeeds);
        assertEquals(Set.of("partition", "client crash", "server crash"), outages);
        assertEquals(Set.of("judge", "player"), roles);
        assertEquals(Set.of(Decide.SKIP, Decide.PURGE), decides);
        assertEquals(Set.of("Workload", "Fault", "Partition", "Heal", "Crash", "Restart"), faults);
        assertTrue(ops.containsAll(List.of("register", "drop", "start", "pair", "result", "confirm")), ops.toString());
        assertTrue(server, "the server's user makes ops too");
    }

    @Test
    void mostOpsAreValidWhereTheyAreMadeAndSomeConflictOnPurpose() {
        int valid = 0;
        int total = 0;
        for (long seed = 1; seed <= 200; seed++) {
            ClusterShape shape = check.shape(seed);
            List<TimedAction<SyncWork>> work = TournamentWorkload.draw(new SplittableRandom(seed), shape, 30);
            var model = ModelReplay.of(shape);
            for (TimedAction<SyncWork> ta : work) {
                SyncWork w = ((Action.Workload<SyncWork>) ta.action()).work();
                total++;
                if (model.apply(w)) {
                    valid++;
                }
            }
        }
        double share = (double) valid / total;
        assertTrue(share > 0.6 && share < 0.95, "valid in a sequential replay: " + share);
    }

    /** Applies ops in time order on one tournament, as if every node saw every op at once. */
    private static final class ModelReplay {
        private final ClusterShape shape;
        private dev.chainkit.oplog.tournament.TournamentState state;

        private ModelReplay(ClusterShape shape) {
            this.shape = shape;
            this.state = dev.chainkit.examples.cluster.TournamentCluster.domain().apply(
                    dev.chainkit.examples.cluster.TournamentCluster.domain().empty(),
                    new dev.chainkit.oplog.Operation<>(dev.chainkit.oplog.OpId.of("o0"),
                            new dev.chainkit.oplog.Author("hq", Role.organizer()), 0,
                            new TournamentOp.Create("tournament", "hq"))).get();
        }

        static ModelReplay of(ClusterShape shape) {
            return new ModelReplay(shape);
        }

        boolean apply(SyncWork w) {
            var next = dev.chainkit.examples.cluster.TournamentCluster.domain().apply(state,
                    new dev.chainkit.oplog.Operation<>(dev.chainkit.oplog.OpId.of(w.label()),
                            new dev.chainkit.oplog.Author(w.node(), shape.roleOf(w.node())), 0, w.op()));
            if (next.isRight()) {
                state = next.get();
            }
            return next.isRight();
        }
    }
}
