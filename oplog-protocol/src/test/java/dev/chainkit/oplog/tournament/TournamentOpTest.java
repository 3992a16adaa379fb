package dev.chainkit.oplog.tournament;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Vector;
import io.vavr.control.Either;
import org.junit.jupiter.api.Test;

class TournamentOpTest {

    private static String error(String text) {
        Either<String, TournamentOp> parsed = TournamentOp.parse(text);
        assertTrue(parsed.isLeft(), () -> "'" + text + "' should not parse but gave " + parsed.get());
        return parsed.getLeft();
    }

    @Test
    void parseRoundTripsEveryTextForm() {
        Vector<String> texts = Vector.of("create spring-open orga", "register alice", "drop B_2-x", "start",
                "pair 1", "result 3 bob 2-1", "result 1 carol 1-1-1", "confirm 12", "end");
        for (String text : texts) {
            Either<String, TournamentOp> parsed = TournamentOp.parse(text);
            assertTrue(parsed.isRight(), () -> text + ": " + parsed.getLeft());
            assertEquals(text, parsed.get().text());
            assertEquals(text, parsed.get().toString());
            assertEquals(parsed.get(), TournamentOp.parse(parsed.get().text()).get());
        }
    }

    @Test
    void parseBuildsTheExpectedRecords() {
        assertEquals(new TournamentOp.Register("alice"), TournamentOp.parse("register alice").get());
        assertEquals(new TournamentOp.Pair(2), TournamentOp.parse("pair 2").get());
        assertEquals(new TournamentOp.Result(2, "bob", 1, 1, 1), TournamentOp.parse("result 2 bob 1-1-1").get());
        assertEquals(new TournamentOp.Result(1, "bob", 2, 0, 0), TournamentOp.parse("result 1 bob 2-0-0").get());
        assertEquals("result 1 bob 2-0", TournamentOp.parse("result 1 bob 2-0-0").get().text());
        assertEquals(new TournamentOp.Start(), TournamentOp.parse("  start ").get());
        assertEquals(new TournamentOp.Confirm(1), TournamentOp.parse("confirm   1").get());
    }

    @Test
    void parseErrorForResultSaysWhatWasExpectedAndWhatCame() {
        String e = error("result 1 bob 2");
        assertTrue(e.startsWith("expected 'result ROUND NAME W-L[-D]' but got 'result 1 bob 2'"), e);
        assertTrue(e.contains("bad score '2'"), e);
        assertTrue(error("result 1 bob").startsWith("expected 'result ROUND NAME W-L[-D]' but got 'result 1 bob'"));
        assertTrue(error("result 1 bob 2-x").contains("bad score '2-x'"));
        assertTrue(error("result 1 bob -1-2").contains("bad score"));
    }

    @Test
    void parseRejectsBadNamesWithThePattern() {
        String e = error("register 1bob");
        assertTrue(e.startsWith("expected 'register NAME' but got 'register 1bob'"), e);
        assertTrue(e.contains("bad NAME '1bob'"), e);
        assertTrue(e.contains("[A-Za-z][A-Za-z0-9_-]*"), e);
        assertTrue(error("drop b@d").contains("bad NAME 'b@d'"));
        assertTrue(error("result 1 9x 2-0").contains("bad NAME '9x'"));
    }

    @Test
    void parseRejectsRoundsBelowOneAndNonNumbers() {
        String e = error("pair 0");
        assertTrue(e.startsWith("expected 'pair ROUND' but got 'pair 0'"), e);
        assertTrue(e.contains("integer >= 1"), e);
        assertTrue(error("confirm -1").contains("bad ROUND '-1'"));
        assertTrue(error("pair one").contains("bad ROUND 'one'"));
        assertTrue(error("pair 99999999999").contains("bad ROUND"));
        assertTrue(error("result 0 bob 2-0").contains("bad ROUND '0'"));
    }

    @Test
    void parseRejectsUnknownOpsWrongArityAndEmptyText() {
        String e = error("promote alice");
        assertTrue(e.contains("unknown op word 'promote'"), e);
        assertTrue(e.contains("register"), e);
        assertEquals("expected 'start' but got 'start now'", error("start now"));
        assertEquals("expected 'register NAME' but got 'register'", error("register"));
        assertEquals("expected 'drop NAME' but got 'drop a b'", error("drop a b"));
        assertTrue(error("").contains("empty"));
        assertTrue(error(null).contains("null"));
        assertTrue(error("Start").contains("unknown op word 'Start'"));
    }

    @Test
    void recordsRejectInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new TournamentOp.Pair(0));
        assertThrows(IllegalArgumentException.class, () -> new TournamentOp.Register("1x"));
        assertThrows(IllegalArgumentException.class, () -> new TournamentOp.Result(1, "bob", -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TournamentOp.Create("spring open", "orga"));
        assertThrows(NullPointerException.class, () -> new TournamentOp.Drop(null));
    }
}
