package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.EngineFaultPlanting;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.oplog.sync.SyncFaultPlanting;
import dev.chainkit.sim.check.CheckResult;
import dev.chainkit.sim.check.PropertyRunner;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The checks can fail: each bug of the issue, planted on purpose (BUGGIFY-style hooks that only tests can reach,
 * see {@code PlantedFaults} in chain-core and oplog-protocol), is caught by the default sweep within its first
 * {@value #SEEDS} seeds and shrunk to a handful of actions; the shrunk schedule passes once the bug is gone, and
 * its scenario file replays the bug in {@code chainsim run}.
 */
class PlantedFaultsTest {

    /** The most seeds a planted fault may take to be found (each is found well before). */
    static final int SEEDS = 500;
    /** A handful of actions. */
    static final int HANDFUL = 5;

    private final TournamentSyncCheck check = new TournamentSyncCheck(SweepConfig.defaults());

    @Test
    void aServerThatAppendsOpsItAlreadyHasIsCaughtAndShrunk() throws Exception {
        CheckResult<SyncWork> shrunk = catchAndShrink("a server that appends ops it already has",
                SyncFaultPlanting::serverAppendsOpsItHas);
        String m = shrunk.failure().orElseThrow().message();
        assertTrue(m.contains("was DROPPED, and now says SYNCED") || m.contains("failed (its handler threw"), m);
    }

    @Test
    void aServerThatForwardsOpsBackToTheirOriginIsCaughtAndShrunk() throws Exception {
        CheckResult<SyncWork> shrunk = catchAndShrink("a server that forwards ops back to their origin",
                SyncFaultPlanting::serverForwardsToOrigin);
        String m = shrunk.failure().orElseThrow().message();
        assertTrue(m.matches("hq forwarded \\S+ back to its origin \\S+ \\(forward chain \\S+\\)"), m);
        assertEquals(1, shrunk.schedule().actions().size(), "one op of a client is enough:\n"
                + shrunk.schedule().render());
    }

    @Test
    void aClientThatAdoptsTheBaseOfSyncFailedWithoutRebasingIsCaughtAndShrunk() throws Exception {
        CheckResult<SyncWork> shrunk = catchAndShrink("a client that adopts SyncFailed without rebasing",
                SyncFaultPlanting::clientAdoptsWithoutRebase);
        String m = shrunk.failure().orElseThrow().message();
        assertTrue(m.endsWith("'s state is not the replay of its log") || m.contains("does not apply"), m);
        RunReport replay = withFault(SyncFaultPlanting::clientAdoptsWithoutRebase, () -> replayInChainsimRun(shrunk));
        assertFalse(replay.ok(), "chainsim run replays the failure from the scenario file");
        assertNotNull(replay.invariantViolation(), replay.toJson());
    }

    @Test
    void aResponderThatRerunsItsHandlerOnADuplicateIsCaughtAndShrunk() throws Exception {
        CheckResult<SyncWork> shrunk = catchAndShrink("a responder that re-runs its handler on a duplicate",
                EngineFaultPlanting::rerunHandlerOnDuplicate);
        String m = shrunk.failure().orElseThrow().message();
        assertTrue(m.matches("the responder handler of \\S+ saw step \\d+ of chain \\S+ twice"), m);
        RunReport replay = withFault(EngineFaultPlanting::rerunHandlerOnDuplicate, () -> replayInChainsimRun(shrunk));
        assertFalse(replay.ok(), "chainsim run replays the failure from the scenario file");
        assertTrue(replay.invariantViolation().contains("twice"), replay.invariantViolation());
    }

    /**
     * Sweeps the default seeds with the fault planted, stops at the first failure, shrinks it, prints the seed and
     * the minimal schedule, and checks that the schedule is small and fails because of the fault (it passes
     * without it).
     */
    private CheckResult<SyncWork> catchAndShrink(String fault, Callable<AutoCloseable> plant) throws Exception {
        Optional<CheckResult<SyncWork>> failure = withFault(plant, () -> PropertyRunner.sweep(check, 1, SEEDS));
        assertTrue(failure.isPresent(), "the default sweep catches " + fault + " within " + SEEDS + " seeds");
        CheckResult<SyncWork> found = failure.get();
        CheckResult<SyncWork> shrunk = withFault(plant, () -> PropertyRunner.shrink(check, found));
        System.out.println("Planted fault \"" + fault + "\": caught at seed " + found.seed() + " ("
                + found.schedule().actions().size() + " actions), shrunk to " + shrunk.schedule().actions().size()
                + " actions: " + shrunk.failure().orElseThrow().message() + "\n" + shrunk.schedule().render());
        assertEquals(found.failure().orElseThrow().kind(), shrunk.failure().orElseThrow().kind());
        assertTrue(shrunk.schedule().actions().size() <= HANDFUL,
                "shrunk to a handful of actions:\n" + shrunk.schedule().render());
        CheckResult<SyncWork> fixed = PropertyRunner.run(check, found.seed(), shrunk.schedule());
        assertTrue(fixed.ok(), "without the fault the same schedule passes:\n" + fixed.report());
        return shrunk;
    }

    /** Runs {@code body} with the fault planted on this thread, and removes the fault after. */
    static <T> T withFault(Callable<AutoCloseable> plant, Callable<T> body) throws Exception {
        AutoCloseable planted = plant.call();
        try {
            return body.call();
        } finally {
            planted.close();
        }
    }

    /** Plays the failure's scenario file the way {@code chainsim run FILE} does. */
    private RunReport replayInChainsimRun(CheckResult<SyncWork> shrunk) throws Exception {
        String text = FailureScenario.text(shrunk, check.shape(shrunk.seed()), check.forSeed(shrunk.seed()).limit(),
                OptionalLong.empty());
        return new ScenarioRun(ScenarioParser.parse("check-seed-" + shrunk.seed() + ".scn", text)).play();
    }
}
