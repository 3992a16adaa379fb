package dev.chainkit.examples.scenario;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the chain that first carried an op ended for the op's author, as named by
 * {@code expect outcome LABEL = OUTCOME}; one value per case of the engine's {@code dev.chainkit.core.Outcome}.
 *
 * <p>Thread safety: immutable enum, thread-safe.
 */
public enum ChainOutcome {
    /** {@code completed}: the chain ended as the protocol intended. */
    COMPLETED("completed"),
    /**
     * {@code failed}: the handler said so, the responder was busy or aborted it, or a peer broke the protocol.
     */
    FAILED("failed"),
    /**
     * {@code superseded}: the responder's state changed while the chain was in flight, or a newer chain of the
     * author on the same subject replaced it.
     */
    SUPERSEDED("superseded"),
    /** {@code timed-out}: no answer came in time (a step's attempt limit or the chain's deadline passed). */
    TIMED_OUT("timed-out");

    private final String text;

    ChainOutcome(String text) {
        this.text = text;
    }

    /**
     * Returns the word a scenario file uses for this outcome.
     *
     * @return e.g. {@code timed-out}
     */
    public String text() {
        return text;
    }

    /**
     * Finds the outcome a word names.
     *
     * @param word one of {@code completed}, {@code failed}, {@code superseded}, {@code timed-out}
     * @return the outcome, or empty if the word names none
     */
    public static Optional<ChainOutcome> fromText(String word) {
        return Arrays.stream(values()).filter(o -> o.text.equals(word)).findFirst();
    }

    /**
     * Lists the outcome words, for error messages.
     *
     * @return {@code completed, failed, superseded, timed-out}
     */
    public static String knownTexts() {
        return Arrays.stream(values()).map(ChainOutcome::text).collect(Collectors.joining(", "));
    }
}
