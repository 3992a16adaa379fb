package dev.chainkit.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.Chainsim;
import dev.chainkit.examples.ShippedFiles;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Expectation;
import dev.chainkit.examples.scenario.ExploredScenario;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped scenario ({@code examples/scenarios/}, on the class path under {@code scenarios/}) plays and
 * holds all its expectations: the default Friday night, one scenario per case of the design note, each
 * regression distilled from a public bug report, and each path {@code chainsim explore} found to a bug since fixed
 * (replayed exactly), as a test of its own name.
 */
class ShippedScenariosTest {

    /** The regressions: from public bug reports (bugNN) and from this project's own review (ownNN); each stays shipped. */
    private static final Set<String> KNOWN_REGRESSIONS = Set.of(
            "bug01-lost-ack-retry-applied-twice.scn",
            "bug03-lost-new-ops-answer.scn",
            "bug04-op-during-inflight-sync.scn",
            "bug05-second-sync-overtakes-first.scn",
            "bug07-poison-op-during-rebase.scn",
            "bug09-lost-forward-quiet-client.scn",
            "bug11-forward-echo.scn",
            "bug12-flapping-client-storm.scn",
            "own01-slow-decision-loop.scn",
            "own02-quiet-client-long-outage.scn");

    /** The cases of the design note; each has a scenario that teaches it. */
    private static final Set<String> NOTE_CASES = Set.of(
            "fast-path.scn",
            "rebase-new-ops.scn",
            "conflict-skip.scn",
            "purge-keeps-later-ops.scn",
            "conflict-purge.scn",
            "sync-failed.scn",
            "lost-forward.scn");

    /** The scenarios of several servers sharing one store; each says what it shows. */
    private static final Set<String> SERVERS_CASES = Set.of(
            "failover.scn",
            "lost-hint.scn",
            "three-servers.scn");

    /** The paths {@code chainsim explore} found to a bug, each fixed since; each replays exactly and holds. */
    private static final Set<String> EXPLORED_CASES = Set.of(
            "stale-opsync-after-server-restart.scn");

    static Stream<String> regressions() {
        return ShippedFiles.scenarios("scenarios/regressions");
    }

    static Stream<String> noteScenarios() {
        return ShippedFiles.scenarios("scenarios/note");
    }

    static Stream<String> serversScenarios() {
        return ShippedFiles.scenarios("scenarios/servers");
    }

    static Stream<String> exploredScenarios() {
        return ShippedFiles.scenarios("scenarios/explored");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exploredScenarios")
    void exploredPathHolds(String file) throws ScenarioException {
        String text = Chainsim.resource("scenarios/explored/" + file);
        assertTrue(text.startsWith("# Found by chainsim explore"), file + " says where it comes from");
        ExploredScenario parsed = ScenarioParser.parseExplored(file, text);
        assertTrue(parsed.explored().isPresent(), file + " holds an explored path");

        assertHolds(file, new ExploredRun(file, parsed.scenario(), parsed.explored().get(), false).play());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serversScenarios")
    void severalServersScenarioHolds(String file) throws ScenarioException {
        String text = Chainsim.resource("scenarios/servers/" + file);
        Scenario s = ScenarioParser.parse(file, text);
        assertTrue(s.servers().size() > 1, file + " has several servers");

        assertHolds(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regressions")
    void regressionScenarioHolds(String file) throws ScenarioException {
        String text = Chainsim.resource("scenarios/regressions/" + file);
        assertTrue(text.startsWith("# Source: "), file + " names the bug report it comes from");

        assertHolds(ScenarioParser.parse(file, text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noteScenarios")
    void designNoteScenarioHolds(String file) throws ScenarioException {
        String text = Chainsim.resource("scenarios/note/" + file);
        assertTrue(text.startsWith("# Teaches: "), file + " says what it teaches");

        assertHolds(ScenarioParser.parse(file, text));
    }

    @Test
    void everyRegressionAndEveryCaseOfTheNoteIsShipped() {
        assertEquals(KNOWN_REGRESSIONS, regressions().collect(Collectors.toSet()));
        assertEquals(NOTE_CASES, noteScenarios().collect(Collectors.toSet()));
        assertEquals(SERVERS_CASES, serversScenarios().collect(Collectors.toSet()));
        assertEquals(EXPLORED_CASES, exploredScenarios().collect(Collectors.toSet()));
    }

    @Test
    void classPathScenariosAreTheShippedFiles() throws IOException {
        Path shipped = Path.of("scenarios");
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".scn")).toList()) {
                String resource = "scenarios/" + shipped.relativize(p).toString().replace('\\', '/');
                assertEquals(Files.readString(p), Chainsim.resource(resource), resource);
            }
        }
    }

    @Test
    void defaultScenarioHoldsEveryExpectation() throws ScenarioException {
        assertHolds(Chainsim.defaultScenario());
    }

    @Test
    void defaultScenarioIsARealFridayNight() throws ScenarioException {
        Scenario s = Chainsim.defaultScenario();
        List<TournamentOp> ops = s.events().stream().filter(e -> e instanceof Event.LocalOp)
                .map(e -> ((Event.LocalOp) e).op()).toList();
        List<String> judges = s.clients().stream().filter(c -> c.role().equals(Role.judge()))
                .map(c -> c.name()).toList();

        assertEquals("friday-night", s.name());
        assertTrue(judges.size() >= 2, "two judge tablets");
        Set<String> registeredByJudges = s.events().stream().filter(e -> e instanceof Event.LocalOp op
                        && judges.contains(op.node()) && op.op() instanceof TournamentOp.Register)
                .map(e -> ((TournamentOp.Register) ((Event.LocalOp) e).op()).player()).collect(Collectors.toSet());
        assertTrue(registeredByJudges.size() >= 8, "at least 8 players registered from the tablets");
        assertTrue(ops.contains(new TournamentOp.Start()));
        assertTrue(ops.contains(new TournamentOp.Pair(1)) && ops.contains(new TournamentOp.Pair(2)), "two rounds");
        assertTrue(ops.stream().anyMatch(op -> op instanceof TournamentOp.Confirm), "a round confirmed");
        assertTrue(s.events().stream().anyMatch(e -> e instanceof Event.LocalOp op
                && op.op() instanceof TournamentOp.Result r
                && s.clients().stream().anyMatch(c -> c.name().equals(op.node())
                        && c.role().equals(Role.player(r.player())))), "results from the players' own phones");
        assertTrue(s.events().stream().anyMatch(e -> e instanceof Event.Partition), "a tablet cut off");
        assertTrue(s.events().stream().anyMatch(e -> e instanceof Event.Heal));
        assertTrue(s.events().stream().anyMatch(e -> e instanceof Event.Crash), "a device crashes");
        assertTrue(s.events().stream().anyMatch(e -> e instanceof Event.Restart), "and restarts");
        assertTrue(s.network().loss() > 0 && s.network().duplicate() > 0, "a lossy and duplicating network");
        assertTrue(s.expectations().contains(new Expectation.Converged(firstLine(s, Expectation.Converged.class))));
        assertTrue(s.expectations().stream().anyMatch(x -> x instanceof Expectation.Quiet));
        assertTrue(s.expectations().stream().filter(x -> x instanceof Expectation.Once).count() >= 20,
                "every important op lands exactly once");
    }

    @Test
    void defaultScenarioRunsThroughAConflictATimeoutAndARejectedOp() throws ScenarioException {
        RunReport r = new ScenarioRun(Chainsim.defaultScenario()).play();

        assertTrue(r.chains().conflictRounds() >= 1, "the walk-in registered twice is a conflict");
        assertTrue(r.messages().dropped() > 0 && r.messages().duplicated() > 0);
        assertEquals(List.of("frank-confirm"), r.rejectedOps().stream().map(RunReport.RejectedOp::label).toList());
        assertEquals(null, r.invariantViolation());
    }

    private static int firstLine(Scenario s, Class<?> type) {
        return s.expectations().stream().filter(type::isInstance).findFirst().orElseThrow().line();
    }

    private static void assertHolds(Scenario scenario) {
        assertHolds(scenario.name(), new ScenarioRun(scenario).play());
    }

    private static void assertHolds(String name, RunReport report) {
        assertTrue(report.ok(), () -> "scenario " + name + " failed:\n" + RunSummary.render(report));
        assertTrue(report.quiet() && report.converged());
    }
}
