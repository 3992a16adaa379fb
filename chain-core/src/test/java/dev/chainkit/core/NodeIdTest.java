package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Node names are a letter, then letters, digits, {@code _} or {@code -} (ASCII only), and nothing else. */
class NodeIdTest {

    @Test
    void acceptsTheNamesOfTheGrammar() {
        for (String name : List.of("a", "Z", "hq", "judge1", "c1p1", "A_b-9", "x-", "y_")) {
            assertEquals(name, NodeId.of(name).name());
        }
    }

    @Test
    void refusesEveryOtherNameAndSaysWhy() {
        for (String name : List.of("", "1a", "-a", "_a", "a b", "a.b", "a/b", "é", "aé", "a\n", " a", "a:b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeId.of(name),
                    "'" + name + "' was accepted");
            assertTrue(e.getMessage().contains("node name '" + name + "' is invalid"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> NodeId.of(null));
    }
}
