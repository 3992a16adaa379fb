package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OperationTest {

    private static final Author ALICE = new Author("n1", Role.player("alice"));

    @Test
    void toStringIsShortAndNamesIdAuthorTimeAndPayload() {
        Operation<String> op = new Operation<>(OpId.of("n1-3"), ALICE, 120, "register alice");
        assertEquals("n1-3 by n1/player:alice @120: register alice", op.toString());
    }

    @Test
    void rejectsNegativeTimeAndNullParts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Operation<>(OpId.of("x"), ALICE, -1, "p"));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new Operation<>(OpId.of("x"), ALICE, 0, null));
        assertThrows(NullPointerException.class, () -> new Operation<>(null, ALICE, 0, "p"));
    }

    @Test
    void authorRejectsBlankNodeAndMissingRole() {
        assertThrows(IllegalArgumentException.class, () -> new Author(" ", Role.judge()));
        assertThrows(IllegalArgumentException.class, () -> new Author("n 1", Role.judge()));
        assertThrows(NullPointerException.class, () -> new Author("n1", null));
    }

    @Test
    void opErrorKindMustBeAMachineWord() {
        assertEquals("unauthorized", OpError.unauthorized("judges may not start").kind());
        assertEquals("not-started: x", new OpError("not-started", "x").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpError("Not Started", "x"));
        assertTrue(e.getMessage().contains("'Not Started'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OpError("ok", " "));
    }
}
