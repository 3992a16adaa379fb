package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Vector;
import io.vavr.control.Either;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void parseRoundTripsEveryRole() {
        for (String text : Vector.of("organizer", "judge", "player:alice", "player:B_2-x")) {
            Either<String, Role> parsed = Role.parse(text);
            assertTrue(parsed.isRight(), () -> text + ": " + parsed.getLeft());
            assertEquals(text, parsed.get().toString());
        }
        assertEquals(Role.organizer(), Role.parse("organizer").get());
        assertEquals(Role.judge(), Role.parse("judge").get());
        assertEquals(new Role.Player("alice"), Role.parse("player:alice").get());
    }

    @Test
    void parseRejectsUnknownRoleSayingWhatWasExpected() {
        String error = Role.parse("admin").getLeft();
        assertTrue(error.contains("expected 'organizer', 'judge' or 'player:NAME'"), error);
        assertTrue(error.contains("but got 'admin'"), error);
        assertTrue(Role.parse("Organizer").isLeft());
        assertTrue(Role.parse(" judge").isLeft());
        assertTrue(Role.parse(null).getLeft().contains("null"));
    }

    @Test
    void parseRejectsBadPlayerName() {
        String error = Role.parse("player:1bob").getLeft();
        assertTrue(error.contains("bad NAME '1bob'"), error);
        assertTrue(error.contains("[A-Za-z][A-Za-z0-9_-]*"), error);
        assertTrue(Role.parse("player:").isLeft());
        assertTrue(Role.parse("player:a b").isLeft());
    }

    @Test
    void playerConstructorValidatesName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.player("x y"));
        assertTrue(e.getMessage().contains("'x y'"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Role.player(null));
    }
}
