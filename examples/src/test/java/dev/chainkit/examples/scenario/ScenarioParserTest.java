package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {

    private static final String NODES = "server hq\nclient a role=judge\nclient b role=judge\n";

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioParser.parse("test.scn", text);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void formatSetupLinesParseAsWritten() throws ScenarioException {
        Scenario s = parse(FormatExample.SETUP);

        assertEquals("friday-night", s.name());
        assertEquals(42, s.seed());
        assertEquals(new Network(0.1, 0.05, ms(5), ms(80)), s.network());
        assertEquals(Optional.of(new RetryOverride(Optional.of(ms(100)), OptionalDouble.of(2),
                Optional.of(Duration.ofSeconds(2)), OptionalDouble.of(0.2))), s.retry());
        assertEquals(Duration.ofMinutes(10), s.limit());
        assertEquals(new ServerSpec("hq", Role.organizer()), s.server());
        assertEquals(List.of(
                new ClientSpec("judge1", Role.judge(), Decide.SKIP, Duration.ZERO),
                new ClientSpec("alice", Role.player("alice"), Decide.PURGE, Duration.ofSeconds(2))), s.clients());
    }

    @Test
    void formatEventLinesParseAsWritten() throws ScenarioException {
        Scenario s = parse(FormatExample.SETUP + FormatExample.EVENTS);

        assertEquals(List.of(
                new Event.LocalOp(ms(0), 9, "judge1", Optional.of("a1"), new TournamentOp.Register("alice")),
                new Event.LocalOp(ms(10), 10, "hq", Optional.of("b1"), new TournamentOp.Start()),
                new Event.Rule(ms(1000), 11, Event.Rule.Action.DROP, 1, MessageKind.OP_SYNC, "judge1", "hq",
                        Duration.ZERO),
                new Event.Rule(ms(1000), 12, Event.Rule.Action.DROP, 3, MessageKind.SYNC_SUCCESS, "hq", "judge1",
                        Duration.ZERO),
                new Event.Rule(ms(1000), 13, Event.Rule.Action.DUPLICATE, 1, MessageKind.OP_SYNC, "judge1", "hq",
                        Duration.ZERO),
                new Event.Rule(ms(1000), 14, Event.Rule.Action.DELAY, 1, MessageKind.FORWARD_SYNC, "hq", "alice",
                        Duration.ofSeconds(3)),
                new Event.Partition(ms(2000), 15, List.of("judge1"), List.of("hq", "alice")),
                new Event.Heal(ms(4000), 16),
                new Event.Crash(ms(5000), 17, "hq"),
                new Event.Restart(ms(6000), 18, "hq")), s.events());
        assertEquals(Optional.of(Duration.ofSeconds(30)), s.calmAt());
    }

    @Test
    void formatExpectationLinesParseAsWritten() throws ScenarioException {
        Scenario s = parse(FormatExample.ALL);

        assertEquals(List.of(
                new Expectation.Converged(21),
                new Expectation.Quiet(22),
                new Expectation.Log(23, Optional.of("hq"), List.of("o0", "b1", "a1")),
                new Expectation.Once(24, "a1"),
                new Expectation.Absent(25, "a2"),
                new Expectation.Messages(26, MessageKind.FORWARD_SYNC, Comparison.AT_MOST, 4),
                new Expectation.Outcome(28, "a1", ChainOutcome.COMPLETED)), s.expectations());
    }

    @Test
    void expectationTextIsTheStatementWithoutItsComment() throws ScenarioException {
        Scenario s = parse(FormatExample.ALL);

        assertEquals(List.of("expect converged", "expect quiet", "expect log hq = o0 b1 a1", "expect once a1",
                        "expect absent a2", "expect messages ForwardSync <= 4", "expect outcome a1 = completed"),
                s.expectations().stream().map(Expectation::text).toList());
    }

    @Test
    void eventTextIsTheCanonicalStatement() throws ScenarioException {
        Scenario s = parse(FormatExample.SETUP + FormatExample.EVENTS);

        assertEquals(List.of("at 0ms judge1: a1 = register alice", "at 10ms hq: b1 = start",
                        "at 1s drop next OpSync judge1 -> hq", "at 1s drop 3 SyncSuccess hq -> judge1",
                        "at 1s duplicate next OpSync judge1 -> hq", "at 1s delay next ForwardSync hq -> alice by 3s",
                        "at 2s partition judge1 | hq,alice", "at 4s heal", "at 5s crash hq", "at 6s restart hq"),
                s.events().stream().map(Event::text).toList());
    }

    @Test
    void omittedSettingsTakeTheirDefaults() throws ScenarioException {
        Scenario s = parse("server hq\nclient a\n");

        assertEquals("test", s.name());
        assertEquals(Scenario.DEFAULT_SEED, s.seed());
        assertEquals(Network.DEFAULT, s.network());
        assertEquals(new Network(0, 0, ms(1), ms(1)), s.network());
        assertEquals(Optional.empty(), s.retry());
        assertEquals(Duration.ofMinutes(10), s.limit());
        assertEquals(Optional.empty(), s.calmAt());
        assertEquals(ServerSpec.organizer("hq"), s.server());
        assertEquals(List.of(ClientSpec.judge("a")), s.clients());
        assertTrue(s.events().isEmpty());
        assertTrue(s.expectations().isEmpty());
    }

    @Test
    void defaultNameIsTheFileNameWithoutDirectoryAndExtension() throws ScenarioException {
        assertEquals("friday", ScenarioParser.parse("scenarios/friday.scn", "server hq\n").name());
        assertEquals("my-test", ScenarioParser.parse("C:\\runs\\my test.scn", "server hq\n").name());
    }

    @Test
    void eventsAreOrderedByTimeAndAtEqualTimesByFileOrder() throws ScenarioException {
        Scenario s = parse(NODES + """
                at 20ms a: a2 = register p2
                at 0ms b: b1 = register p1
                at 20ms heal
                at 5ms crash a
                """);

        assertEquals(List.of(5, 7, 4, 6), s.events().stream().map(Event::line).toList());
    }

    @Test
    void localOpWithoutLabelHasNoLabel() throws ScenarioException {
        Event.LocalOp op = (Event.LocalOp) parse(NODES + "at 0ms a: result 1 p1 2-1-0\n").events().get(0);

        assertEquals(Optional.empty(), op.label());
        assertEquals(new TournamentOp.Result(1, "p1", 2, 1, 0), op.op());
        assertEquals("at 0ms a: result 1 p1 2-1", op.text());
    }

    @Test
    void everyOutcomeWordIsAccepted() throws ScenarioException {
        Scenario s = parse(NODES + """
                at 0ms a: a1 = register p1
                expect outcome a1 = completed
                expect outcome a1 = failed
                expect outcome a1 = superseded
                expect outcome a1 = timed-out
                """);

        assertEquals(List.of(ChainOutcome.values()),
                s.expectations().stream().map(x -> ((Expectation.Outcome) x).outcome()).toList());
    }

    @Test
    void expectLogAllMeansEveryNode() throws ScenarioException {
        Expectation.Log log = (Expectation.Log) parse(NODES + "expect log all = o0\n").expectations().get(0);

        assertEquals(Optional.empty(), log.node());
        assertEquals("expect log all = o0", log.text());
    }

    @Test
    void messagesAcceptAnyAndEveryComparison() throws ScenarioException {
        Scenario s = parse(NODES + """
                expect messages any <= 10
                expect messages OpSync < 3
                expect messages ForwardAck >= 1
                expect messages SyncFailed > 0
                expect messages ProcessorDecision = 0
                """);

        assertEquals(List.of(
                new Expectation.Messages(4, MessageKind.ANY, Comparison.AT_MOST, 10),
                new Expectation.Messages(5, MessageKind.OP_SYNC, Comparison.FEWER, 3),
                new Expectation.Messages(6, MessageKind.FORWARD_ACK, Comparison.AT_LEAST, 1),
                new Expectation.Messages(7, MessageKind.SYNC_FAILED, Comparison.MORE, 0),
                new Expectation.Messages(8, MessageKind.PROCESSOR_DECISION, Comparison.EXACTLY, 0)),
                s.expectations());
    }

    @Test
    void everyMessageKindOfTheFormatAndTheExtensionsIsAccepted() throws ScenarioException {
        StringBuilder text = new StringBuilder(NODES);
        for (String kind : List.of("OpSync", "SyncSuccess", "SyncSuccessWithNewOps", "OpProcessor",
                "ProcessorDecision", "SyncFailed", "ForwardSync", "ForwardAck", "any", "SyncRejected", "Busy",
                "Aborted")) {
            text.append("at 0ms drop next ").append(kind).append(" hq -> a\n");
        }

        List<MessageKind> kinds = parse(text.toString()).events().stream()
                .map(e -> ((Event.Rule) e).kind()).toList();

        assertEquals(12, kinds.size());
        assertEquals(List.of(MessageKind.values()).stream().filter(k -> k != MessageKind.HINT).sorted().toList(),
                kinds.stream().sorted().toList(), "every kind but Hint, which passes between servers");
    }

    @Test
    void severalServersShareOneStoreWithTheirClientsListsHintsAndHintRules() throws ScenarioException {
        Scenario s = ScenarioParser.parse("two.scn", String.join("\n",
                "client a servers=s2,s1", "server s1", "server s2 role=judge", "client b",
                "hints loss=0.25 delay=1ms..20ms poll=2s", "at 1s drop 2 Hint s1 -> s2",
                "at 2s delay next Hint s2 -> s1 by 3s", "at 3s crash s1", "at 4s restart s1", ""));
        assertEquals(List.of("s1", "s2"), s.serverNames());
        assertEquals(ServerSpec.organizer("s1"), s.server());
        assertEquals(new ServerSpec("s2", Role.judge()), s.servers().get(1));
        assertEquals(List.of("s2", "s1"), s.clients().get(0).servers());
        assertEquals(List.of(), s.clients().get(1).servers(), "no servers=: every server, in file order");
        assertEquals(List.of("s1", "s2"), s.clients().get(1).serversAmong(s.serverNames()));
        assertEquals(new Hints(0.25, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(2)),
                s.hints());
        Event.Rule drop = (Event.Rule) s.events().get(0);
        assertEquals(MessageKind.HINT, drop.kind());
        assertEquals(2, drop.count());
        assertEquals(s, ScenarioParser.parse("again.scn", ScenarioPrinter.print(s)), "printed and read back");
    }

    @Test
    void ruleWithoutNextOrCountAffectsTheNextMessage() throws ScenarioException {
        Event.Rule rule = (Event.Rule) parse(NODES + "at 0ms duplicate ForwardAck b -> hq\n").events().get(0);

        assertEquals(1, rule.count());
        assertEquals("at 0ms duplicate next ForwardAck b -> hq", rule.text());
    }

    @Test
    void durationsAcceptFractionsAndMinutes() throws ScenarioException {
        Scenario s = parse(NODES + """
                limit 1.5m
                at 1.5s heal
                at 0.5ms heal
                client c think=250ms
                """);

        assertEquals(Duration.ofSeconds(90), s.limit());
        assertEquals(List.of(Duration.ofNanos(500_000), ms(1500)), s.events().stream().map(Event::at).toList());
        assertEquals(ms(250), s.clients().get(2).think());
    }

    @Test
    void networkLatencyMayBeASingleDuration() throws ScenarioException {
        assertEquals(new Network(0, 0, ms(50), ms(50)), parse(NODES + "network latency=50ms\n").network());
    }

    @Test
    void retryMayOverrideSomeSettingsOnly() throws ScenarioException {
        Scenario s = parse(NODES + "retry jitter=0 initial=20ms\n");

        assertEquals(Optional.of(new RetryOverride(Optional.of(ms(20)), OptionalDouble.empty(), Optional.empty(),
                OptionalDouble.of(0))), s.retry());
    }

    @Test
    void serverMayHaveAnotherRole() throws ScenarioException {
        assertEquals(new ServerSpec("hq", Role.judge()), parse("server hq role=judge\n").server());
    }

    @Test
    void statementsMayComeInAnyOrderExceptExpectationsAfterTheirLabels() throws ScenarioException {
        Scenario s = parse("""
                at 0ms a: a1 = register p1
                expect once a1
                seed 7
                client a
                server hq
                scenario late-settings
                """);

        assertEquals("late-settings", s.name());
        assertEquals(7, s.seed());
        assertEquals("hq", s.server().name());
        assertEquals(1, s.events().size());
    }

    @Test
    void tabsWindowsLineEndingsAndCommentOnlyLinesAreAccepted() throws ScenarioException {
        Scenario s = parse("# only a comment\r\nserver\thq\r\n\r\nclient  a\t role=judge \r\nat\t0ms a:\tregister p1\r\n");

        assertEquals(5, s.events().get(0).line());
        assertEquals(List.of(ClientSpec.judge("a")), s.clients());
    }

    @Test
    void restartsMayBeWrittenBeforeTheCrashesTheyFollow() throws ScenarioException {
        Scenario s = parse(NODES + "at 60ms restart a\nat 50ms crash a\nat 70ms crash a\n");

        assertEquals(List.of(5, 4, 6), s.events().stream().map(Event::line).toList());
    }

    @Test
    void comparisonHoldsAsItsOperatorSays() {
        assertTrue(Comparison.AT_MOST.holds(4, 4));
        assertFalse(Comparison.AT_MOST.holds(5, 4));
        assertTrue(Comparison.FEWER.holds(3, 4));
        assertFalse(Comparison.FEWER.holds(4, 4));
        assertTrue(Comparison.AT_LEAST.holds(4, 4));
        assertFalse(Comparison.AT_LEAST.holds(3, 4));
        assertTrue(Comparison.MORE.holds(5, 4));
        assertFalse(Comparison.MORE.holds(4, 4));
        assertTrue(Comparison.EXACTLY.holds(4, 4));
        assertFalse(Comparison.EXACTLY.holds(3, 4));
    }
}
