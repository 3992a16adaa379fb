package dev.chainkit.examples.scenario;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a client's user answers when the server sends an OpProcessor about one of its ops: the {@code decide=}
 * setting of a {@code client} line.
 *
 * <p>Thread safety: immutable enum, thread-safe.
 */
public enum Decide {
    /** Drop only the problematic op and continue with the rest ({@code decide=skip}, the default). */
    SKIP("skip"),
    /**
     * Drop the problematic op and the rest of the ops that sync carries ({@code decide=purge}); ops made after the
     * sync started are kept.
     */
    PURGE("purge");

    private final String text;

    Decide(String text) {
        this.text = text;
    }

    /**
     * Returns the word a scenario file uses for this answer.
     *
     * @return {@code skip} or {@code purge}
     */
    public String text() {
        return text;
    }

    /**
     * Finds the answer a word names.
     *
     * @param word {@code skip} or {@code purge} (case-sensitive)
     * @return the answer, or empty if the word names none
     */
    public static Optional<Decide> fromText(String word) {
        return Arrays.stream(values()).filter(d -> d.text.equals(word)).findFirst();
    }
}
