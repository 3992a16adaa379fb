package dev.chainkit.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Playing scenarios: how events are applied and how each expectation explains itself. */
class ScenarioRunTest {

    private static RunReport play(String text) throws ScenarioException {
        return new ScenarioRun(ScenarioParser.parse("t.scn", text)).play();
    }

    private static RunReport.ExpectationResult expectation(RunReport r, int line) {
        return r.expectations().stream().filter(x -> x.line() == line).findFirst().orElseThrow();
    }

    @Test
    void opRefusedOnTheSpotIsListedAsRejectedNotAsAnError() throws ScenarioException {
        RunReport r = play("""
                server hq
                client alice role=player:alice
                at 0ms alice: a1 = register bob
                at 0ms alice: a2 = register alice
                expect absent a1
                expect once a2
                expect once a1
                """);

        assertEquals(1, r.rejectedOps().size());
        RunReport.RejectedOp rejected = r.rejectedOps().get(0);
        assertEquals(3, rejected.line());
        assertEquals("alice", rejected.node());
        assertEquals("a1", rejected.label());
        assertEquals("register bob", rejected.op());
        assertTrue(rejected.reason().startsWith("unauthorized: "), rejected.reason());
        assertTrue(expectation(r, 5).ok());
        assertTrue(expectation(r, 6).ok());
        assertFalse(expectation(r, 7).ok());
        assertTrue(expectation(r, 7).detail().startsWith("a1 never entered any log: line 3: unauthorized"),
                expectation(r, 7).detail());
        assertNull(r.invariantViolation());
    }

    @Test
    void logExpectationNamesTheNodeThatDiffers() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a
                client b
                at 0ms a: a1 = register alice
                at 10ms b: b1 = register bob
                expect log all = o0 b1 a1
                expect log hq = o0 a1 b1
                """);

        assertEquals("hq has o0 a1 b1, expected o0 b1 a1", expectation(r, 6).detail());
        assertTrue(expectation(r, 7).ok());
        assertFalse(r.ok());
    }

    @Test
    void onceAndAbsentSayWhereTheOpIsAndWhatItsAuthorDid() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a decide=skip
                at 0ms partition a | hq
                at 0ms hq: h1 = register dave
                at 10ms a: a1 = register dave
                at 300ms heal
                expect once a1
                expect absent h1
                expect absent a1
                """);

        assertEquals("a1 is missing from the log of hq, a (its author dropped it: dropped by its author's decision:"
                + " 'register dave': a name may be registered only once, but 'dave' already is (active))",
                expectation(r, 7).detail());
        assertEquals("h1 is in the log of hq, a", expectation(r, 8).detail());
        assertTrue(expectation(r, 9).ok());
        assertEquals(1, r.chains().conflictRounds());
    }

    @Test
    void messagesExpectationCountsSendsWithRetransmissions() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a
                client b
                at 0ms drop 2 ForwardSync hq -> b
                at 0ms a: a1 = register alice
                expect messages ForwardSync = 3
                expect messages any < 3
                """);

        assertTrue(expectation(r, 6).ok(), expectation(r, 6).detail());
        assertEquals("sent 3 ForwardSync (= 3)", expectation(r, 6).detail());
        assertEquals(2, r.messages().byKind().get("ForwardSync").dropped());
        assertTrue(expectation(r, 7).detail().matches("sent \\d+ messages, expected < 3"),
                expectation(r, 7).detail());
    }

    @Test
    void outcomeExpectationReadsTheFirstChainOfTheOp() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a
                client b
                at 0ms a: a1 = register alice
                at 0ms hq: h1 = register bob
                expect outcome a1 = superseded
                expect outcome h1 = completed
                """);

        assertTrue(expectation(r, 6).detail().matches("the chain a/1/1 that first carried a1 ended \\S+"
                + ", expected superseded"), expectation(r, 6).detail());
        assertTrue(expectation(r, 7).detail().startsWith("h1 was made on the server hq"),
                expectation(r, 7).detail());
    }

    @Test
    void aNodeLeftDownKeepsTheRunFromBeingQuietUntilTheLimit() throws ScenarioException {
        RunReport r = play("""
                limit 1m
                server hq
                client a
                client b
                at 0ms a: a1 = register alice
                at 0ms crash b
                expect quiet
                expect converged
                """);

        assertFalse(r.quiet());
        assertEquals(60_000, r.virtualTimeMs());
        assertFalse(r.pending().isEmpty());
        assertTrue(expectation(r, 7).detail().startsWith("not quiet when the run stopped at 1m 0s: "),
                expectation(r, 7).detail());
        assertFalse(r.nodes().get("b").up());
        assertFalse(r.ok());
    }

    @Test
    void retryLineChangesTheRetransmissionSchedule() throws ScenarioException {
        String base = """
                server hq
                client a
                client b
                at 0ms drop 3 OpSync a -> hq
                at 0ms a: a1 = register alice
                expect quiet
                """;
        RunReport fast = play("retry initial=10ms max=10ms jitter=0\n" + base);
        RunReport slow = play("retry initial=1s max=1s jitter=0\n" + base);

        assertTrue(fast.ok() && slow.ok());
        assertTrue(fast.virtualTimeMs() < 100, "three resends 10ms apart: " + fast.virtualTimeMs());
        assertTrue(slow.virtualTimeMs() >= 3000, "three resends 1s apart: " + slow.virtualTimeMs());
    }

    @Test
    void retryWithInitialAboveMaxIsAnInvalidLine() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioParser.parse("t.scn", "server hq\nretry initial=5s\n"));

        assertEquals(2, e.line());
        assertTrue(e.reason().contains("above max 2s"), e.reason());
    }

    @Test
    void everyEventKindPlays() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a
                client b
                at 0ms duplicate next OpSync a -> hq
                at 0ms delay next ForwardSync hq -> b by 500ms
                at 0ms a: a1 = register alice
                at 100ms partition b | hq
                at 120ms a: a2 = register bob
                at 400ms heal
                at 500ms crash hq
                at 600ms restart hq
                at 700ms b: b1 = register carol
                expect converged
                expect quiet
                expect log all = o0 a1 a2 b1
                """);

        assertTrue(r.ok(), RunSummary.render(r));
        assertEquals(1, r.messages().byKind().get("OpSync").duplicated());
    }

    @Test
    void sameScenarioAndSeedGiveTheSameReport() throws ScenarioException {
        Scenario s = ScenarioParser.parse("t.scn", """
                seed 5
                network loss=0.3 duplicate=0.2 latency=1ms..50ms
                calm at 3s
                server hq
                client a
                client b
                at 0ms a: a1 = register alice
                at 0ms b: b1 = register bob
                expect converged
                """);

        String first = new ScenarioRun(s).play().toJson();

        assertEquals(first, new ScenarioRun(s).play().toJson());
        assertEquals(first, new ScenarioRun(s, 5, true).play().toJson(), "tracing changes nothing");
        assertFalse(first.equals(new ScenarioRun(s, 6, false).play().toJson()));
    }

    @Test
    void aRunPlaysOnce() throws ScenarioException {
        ScenarioRun run = new ScenarioRun(ScenarioParser.parse("t.scn", "server hq\n"));
        run.play();

        assertThrows(IllegalStateException.class, run::play);
    }

    @Test
    void summaryListsTheVerdictAndEachExpectation() throws ScenarioException {
        RunReport r = play("""
                server hq
                client a
                at 0ms a: a1 = register alice
                expect once a1
                expect absent a1
                """);

        List<String> lines = RunSummary.render(r).lines().toList();
        assertEquals("scenario t (seed 1): FAILED", lines.get(0));
        assertTrue(lines.contains("    ok    line 4  expect once a1"), lines.toString());
        assertTrue(lines.contains("    FAIL  line 5  expect absent a1: a1 is in the log of hq, a"), lines.toString());
    }
}
