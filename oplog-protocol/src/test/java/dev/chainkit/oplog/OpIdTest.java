package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpIdTest {

    @Test
    void toStringIsTheValue() {
        assertEquals("n1-42", OpId.of("n1-42").toString());
        assertEquals(OpId.of("a"), new OpId("a"));
    }

    @Test
    void rejectsBlankWhitespaceAndNull() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> OpId.of("  "));
        assertTrue(blank.getMessage().contains("non-blank"), blank.getMessage());
        IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class, () -> OpId.of("a b"));
        assertTrue(spaced.getMessage().contains("index 1"), spaced.getMessage());
        assertThrows(NullPointerException.class, () -> OpId.of(null));
    }
}
