package dev.chainkit.examples.explore;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.EngineFaultPlanting;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.examples.testing.ChildProcess;
import dev.chainkit.examples.testing.Cli;
import dev.chainkit.oplog.sync.SyncFaultPlanting;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.ExploreResult;
import dev.chainkit.sim.explore.Explorer;
import dev.chainkit.sim.explore.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer on the op-log sync, and {@code chainsim explore}: every planted fault of the engine and of the
 * protocol is found with a shortest path, in the smallest configuration that shows it, and the same configuration
 * without the fault exhausts without a violation.
 *
 * <p>The default suite exhausts one judge with a loss, a copy and a crash, and two judges with a loss (some ten
 * seconds each); with {@code -Dchainkit.explore.full=true} (the {@code explore} profile) two judges get a copy and a
 * crash instead, the configuration in which the explorer found a protocol bug (see
 * {@code scenarios/explored/stale-opsync-after-server-restart.scn}). The two-judge configuration, with a
 * loss as well, is run by hand: figures in docs/BENCHMARKS.md.
 */
class OplogExploreTest {

    private static final boolean FULL = Boolean.getBoolean("chainkit.explore.full");
    private static final ExploreBounds BOUNDS = ExploreBounds.defaults()
            .withMessageLifetime(Duration.ofMillis(300));

    @Test
    void oneJudgeExhaustsWithoutViolationUnderALossACopyAndACrash() {
        ExploreBounds bounds = BOUNDS.withLosses(1).withDuplicates(1).withCrashes(1).withThreads(2);
        ExploreResult r = Explorer.explore(new OplogExploreModel(1, 1), bounds, Explorer.Progress.NONE);
        System.out.println("oplog " + bounds + ": " + r);
        assertEquals(List.of(), r.violations());
        assertTrue(r.exhausted(), r.toString());
        assertTrue(r.terminalStates() > 0, r.toString());
    }

    @Test
    void twoJudgesExhaustWithoutViolationUnderALossOrWithTheProfileACopyAndACrash() {
        ExploreBounds bounds = (FULL ? BOUNDS.withDuplicates(1).withCrashes(1) : BOUNDS.withLosses(1))
                .withMessageLifetime(Duration.ofMillis(100)).withThreads(2);
        ExploreResult r = Explorer.explore(new OplogExploreModel(2, 1), bounds, Explorer.Progress.NONE);
        System.out.println("oplog two judges " + bounds + ": " + r);
        assertEquals(List.of(), r.violations());
        assertTrue(r.exhausted(), r.toString());
        assertTrue(r.terminalStates() > 0, r.toString());
    }

    @Test
    void theEnginesPlantedFaultIsFoundWithAShortestPathThatChainsimRunReplays(@TempDir Path dir) throws Exception {
        ExploreBounds bounds = BOUNDS.withDuplicates(1);
        try (AutoCloseable planted = EngineFaultPlanting.rerunHandlerOnDuplicate()) {
            Violation v = onlyViolation(Explorer.explore(new OplogExploreModel(1, 1), bounds, Explorer.Progress.NONE));
            assertEquals(Violation.Kind.INVARIANT, v.kind(), v.toString());
            assertTrue(v.path().stream().anyMatch(s -> s.startsWith("duplicate ")), v.path().toString());
            assertMinimal(new OplogExploreModel(1, 1), bounds, v);

            // one thread: a planted fault holds for the thread that planted it only
            Cli.Result out = chainsim("explore", "--threads", "1", "--clients", "1", "--ops", "1", "--losses", "0",
                    "--duplicates", "1", "--crashes", "0", "--out", dir.toString(), "--json");
            assertEquals(1, out.exit(), out.toString());
            assertTrue(out.out().contains("\"exhausted\" : false"), out.toString());
            assertTrue(out.out().contains("\"steps\" : " + v.path().size()), out.toString());
            Path file = dir.resolve("explore-violation-1.scn");
            Cli.Result replayed = chainsim("explore", "--replay", file.toString());
            assertEquals(1, replayed.exit(), replayed.toString());
            assertTrue(replayed.out().contains("INVARIANT"), replayed.toString());
            Cli.Result ran = chainsim("run", file.toString());
            assertEquals(1, ran.exit(), "chainsim run replays it exactly: " + ran);
            assertTrue(ran.out().contains("BROKEN INVARIANT at step " + v.path().size()), ran.toString());
        }
        Cli.Result clean = chainsim("explore", "--replay", dir.resolve("explore-violation-1.scn").toString());
        assertEquals(0, clean.exit(), "without the fault the same path shows no violation: " + clean);
        Cli.Result ranClean = chainsim("run", dir.resolve("explore-violation-1.scn").toString());
        assertEquals(0, ranClean.exit(), "without the fault chainsim run replays it and every expectation holds: "
                + ranClean);
        ExploreResult unplanted = Explorer.explore(new OplogExploreModel(1, 1), bounds, Explorer.Progress.NONE);
        assertEquals(List.of(), unplanted.violations(), "the same configuration without the fault");
        assertTrue(unplanted.exhausted(), unplanted.toString());
    }

    @Test
    void aRestartedJudgeThatForgetsItsPendingOpIsFoundWithAShortestPathThatReplays(@TempDir Path dir) throws Exception {
        ExploreBounds bounds = BOUNDS.withCrashes(1);
        String[] args = {"explore", "--threads", "1", "--clients", "1", "--ops", "1", "--losses", "0",
            "--duplicates", "0", "--crashes", "1", "--out", dir.toString()};
        Path file = dir.resolve("explore-violation-1.scn");
        try (AutoCloseable planted = SyncFaultPlanting.clientForgetsPendingAfterRestart()) {
            Violation v = onlyViolation(Explorer.explore(new OplogExploreModel(1, 1), bounds, Explorer.Progress.NONE));
            System.out.println("planted protocol fault: " + v);
            // the judge makes its op and crashes before the op leaves: the restarted judge never syncs it, and with
            // nothing left to choose the run is not done (the judge is not quiet)
            assertEquals(Violation.Kind.STUCK, v.kind(), v.toString());
            assertEquals(2, v.path().size(), v.path().toString());
            assertTrue(v.path().get(1).startsWith("crash c1"), v.path().toString());
            assertMinimal(new OplogExploreModel(1, 1), bounds, v);

            Cli.Result out = chainsim(args);
            assertEquals(1, out.exit(), out.toString());
            assertTrue(out.out().contains("after " + v.path().size() + " steps"), out.toString());
            Cli.Result replayed = chainsim("explore", "--replay", file.toString());
            assertEquals(1, replayed.exit(), replayed.toString());
            assertTrue(replayed.out().contains("STUCK: " + v.message()), replayed.toString());
        }
        Cli.Result clean = chainsim("explore", "--replay", file.toString());
        assertEquals(0, clean.exit(), "without the fault the same path shows no violation: " + clean);
        Cli.Result unplanted = chainsim(args);
        assertEquals(0, unplanted.exit(), "the same configuration without the fault: " + unplanted);
        assertTrue(unplanted.out().contains("exhausted"), unplanted.toString());
    }

    @Test
    void aServerThatForwardsOpsBackToTheirOriginIsFoundInOneJudgesFirstSync() throws Exception {
        Violation v = foundMinimalAndAbsentWithoutTheFault(SyncFaultPlanting::serverForwardsToOrigin,
                new OplogExploreModel(1, 1), BOUNDS);
        assertEquals(Violation.Kind.INVARIANT, v.kind(), v.toString());
        assertTrue(v.message().matches("hq forwarded c1o1 back to its origin c1 \\(forward chain \\S+\\)"),
                v.message());
    }

    @Test
    void aServerThatAppendsOpsItHasIsFoundWhenAClientSendsItsOpAgainInANewChain() throws Exception {
        // the judge crashes after it sent its sync and, restarted, sends its pending op again in a newer chain; the
        // server commits the first and takes the op it has as new in the second, finds it conflicts with itself, and
        // the judge, told to drop it, then sees it synced after all. (A server that crashes instead no longer
        // reveals the fault: it does not take up the repeated chain again, see SyncResponder.)
        Violation v = foundMinimalAndAbsentWithoutTheFault(SyncFaultPlanting::serverAppendsOpsItHas,
                new OplogExploreModel(1, 1), BOUNDS.withCrashes(1));
        assertEquals("c1 told its user c1o1 was DROPPED, and now says SYNCED", v.message(), v.toString());
        assertTrue(v.path().contains("crash c1"), v.path().toString());
    }

    @Test
    void aClientThatAdoptsTheBaseOfSyncFailedWithoutRebasingIsFoundWhenTheLogMovesDuringADecision()
            throws Exception {
        // the judge registers a player the organizer registers too (a conflict: OpProcessor), and the organizer
        // registers another while the judge's decision travels, so the decision is answered SyncFailed
        OplogExploreModel model = new OplogExploreModel(ServerSpec.organizer("hq"), List.of(ClientSpec.judge("c1")),
                List.of(new OplogExploreModel.Op("hq", "h1", new TournamentOp.Register("ann")),
                        new OplogExploreModel.Op("hq", "h2", new TournamentOp.Register("bob")),
                        new OplogExploreModel.Op("c1", "a1", new TournamentOp.Register("ann"))));
        // a lifetime shorter than the first retransmission keeps the clean space small (2556 states): a copy is
        // resent only once every message is gone, which the fault does not need
        Violation v = foundMinimalAndAbsentWithoutTheFault(SyncFaultPlanting::clientAdoptsWithoutRebase, model,
                BOUNDS.withMessageLifetime(Duration.ofMillis(100)));
        assertEquals(Violation.Kind.INVARIANT, v.kind(), v.toString());
        assertTrue(v.message().startsWith("c1's log does not replay"), v.toString());
        assertEquals("deliver SyncFailed hq -> c1", v.path().get(v.path().size() - 1), v.path().toString());
    }

    @Test
    void badArgumentsExitWithTwo() {
        Cli.Result pigeon = chainsim("explore", "--network", "carrier-pigeon");
        assertEquals(2, pigeon.exit(), pigeon.toString());
        assertTrue(pigeon.err().contains("unknown network model 'carrier-pigeon'"), pigeon.toString());
        assertEquals(2, chainsim("explore", "--losses", "-1").exit());
    }

    @Test
    void aStoppedExplorationGoesOnFromItsCheckpointAndABadOneExitsWithTwo(@TempDir Path dir) throws Exception {
        String[] config = {"explore", "--threads", "1", "--clients", "1", "--ops", "1", "--losses", "1",
            "--duplicates", "0", "--crashes", "0", "--json", "--out", dir.toString()};
        Cli.Result whole = chainsim(config);
        assertEquals(0, whole.exit(), whole.toString());
        String cp = dir.resolve("run.ckpt").toString();
        Cli.Result cut = chainsim(concat(config, "--checkpoint", cp, "--max-states", "20"));
        assertEquals(1, cut.exit(), cut.toString());
        assertTrue(cut.out().contains("\"cut_by\" : \"the state limit (20)\""), cut.toString());
        Cli.Result resumed = chainsim(concat(config, "--checkpoint", cp));
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.err().startsWith("resuming from checkpoint " + cp), resumed.toString());
        assertEquals(withoutElapsed(whole.out()), withoutElapsed(resumed.out()));

        Files.writeString(Path.of(cp), "not a checkpoint, but long enough for a checksum");
        Cli.Result refused = chainsim(concat(config, "--checkpoint", cp));
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("chainsim explore: checkpoint " + cp + ": not an explorer checkpoint"),
                refused.toString());
        assertEquals(2, chainsim(concat(config, "--checkpoint", cp, "--checkpoint-every", "0")).exit());
        assertEquals(2, chainsim(concat(config, "--max-minutes", "0")).exit());
    }

    @Test
    void aCheckpointWrittenByAnotherJvmResumesHere(@TempDir Path dir) throws Exception {
        // the judges' timers are lambdas, whose class names the JVM makes up anew in every run: descriptions must
        // not depend on them, or no checkpoint would resume in another process
        String[] config = {"explore", "--threads", "1", "--clients", "1", "--ops", "1", "--losses", "1",
            "--duplicates", "0", "--crashes", "1", "--json", "--out", dir.toString()};
        Cli.Result whole = chainsim(config);
        assertEquals(0, whole.exit(), whole.toString());
        String cp = dir.resolve("child.ckpt").toString();
        ChildProcess child = ChildProcess.chainsim(dir, dir.resolve("child.err"),
                List.of(concat(config, "--checkpoint", cp, "--max-states", "200")));
        try {
            assertTrue(child.process.waitFor(ChildProcess.WAIT_S, TimeUnit.SECONDS), "the child JVM ends");
            assertEquals(1, child.process.exitValue(), Files.readString(dir.resolve("child.err")));
        } finally {
            child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Cli.Result resumed = chainsim(concat(config, "--checkpoint", cp));
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals(withoutElapsed(whole.out()), withoutElapsed(resumed.out()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String withoutElapsed(String json) {
        return json.replaceAll("\"elapsed_ms\" : \\d+", "");
    }


    /**
     * Explores {@code model} within {@code bounds} with the fault planted: a violation is found, with a shortest
     * path; then without it: the same configuration exhausts with none.
     */
    private static Violation foundMinimalAndAbsentWithoutTheFault(Callable<AutoCloseable> plant,
            OplogExploreModel model, ExploreBounds bounds) throws Exception {
        Violation v;
        try (AutoCloseable planted = plant.call()) {
            v = onlyViolation(Explorer.explore(model, bounds, Explorer.Progress.NONE));
            System.out.println("planted fault found: " + v + ": " + v.path());
            assertMinimal(model, bounds, v);
        }
        ExploreResult clean = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        System.out.println("without the fault: " + clean);
        assertEquals(List.of(), clean.violations(), "the same configuration without the fault");
        assertTrue(clean.exhausted(), clean.toString());
        return v;
    }

    private static Violation onlyViolation(ExploreResult r) {
        assertFalse(r.violations().isEmpty(), "the planted fault was not found: " + r);
        return r.violations().get(0);
    }

    /** No path shorter than {@code v}'s breaks anything: the explorer searched every shorter one first. */
    private static void assertMinimal(OplogExploreModel model, ExploreBounds bounds, Violation v) {
        ExploreResult shorter = Explorer.explore(model, bounds.withMaxDepth(v.path().size() - 1),
                Explorer.Progress.NONE);
        assertEquals(List.of(), shorter.violations(), "a shorter counterexample exists");
    }
}
