package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.Chainsim;
import dev.chainkit.examples.ShippedFiles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The regression scenarios distilled from public bug reports, as they parse: shipped in
 * {@code examples/scenarios/regressions/}, on the class path under {@code scenarios/regressions/}. That each one
 * passes is checked by {@code ShippedScenariosTest}.
 */
class RegressionScenariosTest {

    /** The regressions from public bug reports (the {@code bugNN} files). */
    static List<String> files() {
        return ShippedFiles.scenarios("scenarios/regressions").filter(f -> f.startsWith("bug")).toList();
    }

    static String read(String file) {
        return Chainsim.resource("scenarios/regressions/" + file);
    }

    static Scenario parse(String file) throws ScenarioException {
        return ScenarioParser.parse(file, read(file));
    }

    @ParameterizedTest
    @MethodSource("files")
    void regressionScenarioParsesWithItsFileNameAsName(String file) throws ScenarioException {
        Scenario s = parse(file);

        assertEquals(file.substring(0, file.length() - ".scn".length()), s.name());
        assertEquals("hq", s.server().name());
        assertEquals(List.of("expect converged", "expect quiet"),
                s.expectations().stream().limit(2).map(Expectation::text).toList());
        assertTrue(read(file).startsWith("# Source: "), file + " keeps its source comment");
    }

    @Test
    void bug01DropsOneSuccessAnswerBeforeTheOp() throws ScenarioException {
        Scenario s = parse("bug01-lost-ack-retry-applied-twice.scn");

        assertEquals(new Event.Rule(Duration.ZERO, 7, Event.Rule.Action.DROP, 1, MessageKind.SYNC_SUCCESS, "hq", "a",
                Duration.ZERO), s.events().get(0));
        assertEquals(new Expectation.Log(11, Optional.empty(), List.of("o0", "a1")), s.expectations().get(2));
        assertEquals(new Expectation.Messages(13, MessageKind.FORWARD_SYNC, Comparison.AT_MOST, 3),
                s.expectations().get(4));
    }

    @Test
    void bug03PartitionsHealsAndDropsAtTheSameInstantInFileOrder() throws ScenarioException {
        Scenario s = parse("bug03-lost-new-ops-answer.scn");

        assertEquals(List.of("at 0ms partition a | hq,b", "at 0ms hq: b1 = register p2", "at 10ms a: a1 = register p1",
                        "at 100ms heal", "at 100ms drop next SyncSuccessWithNewOps hq -> a"),
                s.events().stream().map(Event::text).toList());
    }

    @Test
    void bug04HasAFixedLatency() throws ScenarioException {
        Scenario s = parse("bug04-op-during-inflight-sync.scn");

        assertEquals(new Network(0, 0, Duration.ofMillis(50), Duration.ofMillis(50)), s.network());
    }

    @Test
    void bug05DelaysTheFirstOpSync() throws ScenarioException {
        Scenario s = parse("bug05-second-sync-overtakes-first.scn");

        assertEquals("at 0ms delay next OpSync a -> hq by 300ms", s.events().get(0).text());
    }

    @Test
    void bug07ClientSkipsAndExpectsThePoisonOpAbsent() throws ScenarioException {
        Scenario s = parse("bug07-poison-op-during-rebase.scn");

        assertEquals(Decide.SKIP, s.clients().get(0).decide());
        assertTrue(s.expectations().contains(new Expectation.Absent(15, "a1")));
    }

    @Test
    void bug09DropsTheForwardToThePassiveClient() throws ScenarioException {
        Scenario s = parse("bug09-lost-forward-quiet-client.scn");

        assertEquals(new Expectation.Log(11, Optional.of("b"), List.of("o0", "a1")), s.expectations().get(2));
    }

    @Test
    void bug11SetsSeedNetworkAndCalmAfterOtherLines() throws ScenarioException {
        Scenario s = parse("bug11-forward-echo.scn");

        assertEquals(11, s.seed());
        assertEquals(new Network(0, 0.3, Duration.ofMillis(1), Duration.ofMillis(40)), s.network());
        assertEquals(Optional.of(Duration.ofSeconds(5)), s.calmAt());
    }

    @Test
    void bug12CrashesAndRestartsTheSameClientThreeTimes() throws ScenarioException {
        Scenario s = parse("bug12-flapping-client-storm.scn");

        assertEquals(3, s.events().stream().filter(e -> e instanceof Event.Crash).count());
        assertEquals(3, s.events().stream().filter(e -> e instanceof Event.Restart).count());
        assertEquals(5, s.clients().size());
    }
}
