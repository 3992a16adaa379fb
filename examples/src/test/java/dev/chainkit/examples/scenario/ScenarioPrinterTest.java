package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioPrinterTest {

    private static Scenario roundTrip(Scenario s) throws ScenarioException {
        return ScenarioParser.parse("printed.scn", ScenarioPrinter.print(s));
    }

    @Test
    void formatExampleRoundTrips() throws ScenarioException {
        Scenario s = ScenarioParser.parse("format.scn", FormatExample.ALL);

        assertEquals(s, roundTrip(s));
    }

    @ParameterizedTest
    @MethodSource("dev.chainkit.examples.scenario.RegressionScenariosTest#files")
    void regressionScenarioRoundTrips(String file) throws ScenarioException {
        Scenario s = RegressionScenariosTest.parse(file);

        assertEquals(s, roundTrip(s));
    }

    @Test
    void statementsKeepTheirSourceLinesAndSettingsFillTheFreeLines() throws ScenarioException {
        Scenario s = RegressionScenariosTest.parse("bug09-lost-forward-quiet-client.scn");

        assertEquals("""
                scenario bug09-lost-forward-quiet-client
                seed 1
                server hq
                client a role=judge
                client b role=judge

                at 0ms drop next ForwardSync hq -> b
                at 0ms a: a1 = register p1
                expect converged
                expect quiet
                expect log b = o0 a1
                """, ScenarioPrinter.print(s));
    }

    @Test
    void settingsThatDoNotFitBeforeTheStatementsFollowThem() {
        Scenario s = new Scenario("tight", 3, Network.DEFAULT, Optional.empty(), Scenario.DEFAULT_LIMIT,
                ServerSpec.organizer("hq"), List.of(ClientSpec.judge("a")), Optional.empty(),
                List.of(new Event.Heal(Duration.ZERO, 1)), List.of(new Expectation.Quiet(2)));

        assertEquals("at 0ms heal\nexpect quiet\nscenario tight\nseed 3\nserver hq\nclient a role=judge\n",
                ScenarioPrinter.print(s));
    }

    @Test
    void shrunkScenarioWithEventsRemovedRoundTrips() throws ScenarioException {
        Scenario s = RegressionScenariosTest.parse("bug12-flapping-client-storm.scn");
        List<Event> kept = s.events().stream().filter(e -> e.at().compareTo(Duration.ofMillis(300)) < 0).toList();
        Scenario shrunk = new Scenario(s.name(), s.seed(), s.network(), s.retry(), s.limit(), s.server(),
                s.clients().subList(0, 2), s.calmAt(), kept, s.expectations());

        Scenario printed = roundTrip(shrunk);

        assertEquals(shrunk, printed);
        assertEquals(List.of(10, 11, 12, 13), printed.events().stream().map(Event::line).toList());
    }

    @Test
    void eventsMovedToAnEarlierTimeStillRoundTrip() throws ScenarioException {
        Scenario s = RegressionScenariosTest.parse("bug03-lost-new-ops-answer.scn");
        List<Event> moved = s.events().stream()
                .map(e -> e instanceof Event.Heal h ? new Event.Heal(Duration.ZERO, h.line()) : e).toList();
        Scenario changed = new Scenario(s.name(), s.seed(), s.network(), s.retry(), s.limit(), s.server(),
                s.clients(), s.calmAt(), moved, s.expectations());

        assertEquals(changed, roundTrip(changed));
        assertEquals("at 0ms heal", changed.events().get(2).text());
    }

    @Test
    void nonDefaultSettingsRoundTrip() throws ScenarioException {
        Scenario s = new Scenario("settings", -7, new Network(0.125, 1, Duration.ZERO, Duration.ofNanos(1_500_000)),
                Optional.of(new RetryOverride(Optional.empty(), OptionalDouble.of(1.5), Optional.of(Duration.ofMinutes(2)),
                        OptionalDouble.empty())),
                Duration.ofSeconds(61), new ServerSpec("hq", Role.player("boss")),
                List.of(new ClientSpec("c1", Role.organizer(), Decide.PURGE, Duration.ofMillis(1500))),
                Optional.of(Duration.ZERO),
                List.of(new Event.LocalOp(Duration.ofSeconds(60), 3, "c1", Optional.empty(), new TournamentOp.End()),
                        new Event.Rule(Duration.ofMillis(2), 1, Event.Rule.Action.DELAY, 12, MessageKind.ANY, "c1",
                                "hq", Duration.ZERO)),
                List.of(new Expectation.Messages(5, MessageKind.BUSY, Comparison.MORE, 0)));

        String text = ScenarioPrinter.print(s);

        assertEquals(s, ScenarioParser.parse("any-name.scn", text));
        assertEquals("""
                at 2ms delay 12 any c1 -> hq by 0ms
                scenario settings
                at 1m c1: end
                seed -7
                expect messages Busy > 0
                network loss=0.125 duplicate=1 latency=0ms..1.5ms
                retry multiplier=1.5 max=2m
                limit 61s
                calm at 0ms
                server hq role=player:boss
                client c1 role=organizer decide=purge think=1.5s
                """, text);
    }
}
