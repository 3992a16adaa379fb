package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.examples.scenario.ScenarioPrinter;
import dev.chainkit.sim.check.Action;
import dev.chainkit.sim.check.CheckResult;
import dev.chainkit.sim.check.PropertyRunner;
import dev.chainkit.sim.check.Schedule;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A schedule of the check written as a scenario file is played by {@code chainsim run} exactly as the check ran
 * it: the same trace, event by event, so a failing seed's file reproduces the failure.
 */
class FailureScenarioTest {

    private final TournamentSyncCheck check = new TournamentSyncCheck(SweepConfig.defaults());

    // 8: a long partition; 31 and 52: a long crash of a client, of the server; 246: a slow user
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 31, 52, 246})
    void aScheduleWrittenAsAScenarioReplaysExactlyInChainsimRun(long seed) throws Exception {
        CheckResult<SyncWork> checked = PropertyRunner.check(check, seed);
        assertTrue(checked.ok(), checked.report());
        Schedule<SyncWork> schedule = checked.schedule();
        Scenario scenario = FailureScenario.of("seed-" + seed, seed, check.shape(seed), schedule,
                check.forSeed(seed).limit(), OptionalLong.of(1_000_000));

        Scenario parsed = ScenarioParser.parse("seed-" + seed + ".scn", ScenarioPrinter.print(scenario));
        assertEquals(scenario, parsed, "the file reads back as the same scenario");
        ScenarioRun run = new ScenarioRun(parsed, seed, true);
        RunReport report = run.play();

        assertTrue(report.ok(), report.toJson());
        String played = run.trace().render();
        String checkedTrace = checked.trace().render();
        assertTrue(checkedTrace.startsWith(played), "the same run, event by event:\n" + played);
        assertTrue(checkedTrace.substring(played.length()).lines().allMatch(l -> l.contains(" TIMER ")),
                "after quiet the check only lets the engines' housekeeping timers run");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 6, 7, 9, 10})
    void aCrashOfANodeThatIsDownAndARestartOfANodeThatIsUpWriteNoLine(long seed) throws Exception {
        Schedule<SyncWork> schedule = PropertyRunner.schedule(check, seed);
        Scenario scenario = FailureScenario.of("s", seed, check.shape(seed), schedule, check.forSeed(seed).limit(),
                OptionalLong.empty());
        long crashes = schedule.actions().stream().filter(a -> a.action() instanceof Action.Crash).count();
        long lines = scenario.events().stream().filter(e -> e instanceof dev.chainkit.examples.scenario.Event.Crash)
                .count();
        assertTrue(lines <= crashes);
        ScenarioParser.parse("s.scn", ScenarioPrinter.print(scenario)); // valid: every crash and restart fits
    }

    @ParameterizedTest
    @ValueSource(longs = {1})
    void onlyAFailureIsWrittenWithItsHeader(long seed) {
        CheckResult<SyncWork> passed = PropertyRunner.check(check, seed);
        assertThrows(IllegalArgumentException.class, () -> FailureScenario.text(passed, check.shape(seed),
                check.forSeed(seed).limit(), OptionalLong.empty()));
    }
}
