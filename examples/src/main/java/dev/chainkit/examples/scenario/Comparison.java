package dev.chainkit.examples.scenario;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How {@code expect messages KIND OP N} compares the number of messages sent with {@code N}. The format's
 * contract is {@code <=}; {@code <}, {@code >=}, {@code >} and {@code =} are extensions.
 *
 * <p>Thread safety: immutable enum, thread-safe.
 */
public enum Comparison {
    /** {@code <=}: at most N. */
    AT_MOST("<="),
    /** {@code <}: fewer than N. */
    FEWER("<"),
    /** {@code >=}: at least N. */
    AT_LEAST(">="),
    /** {@code >}: more than N. */
    MORE(">"),
    /** {@code =}: exactly N. */
    EXACTLY("=");

    private final String text;

    Comparison(String text) {
        this.text = text;
    }

    /**
     * Returns the operator a scenario file uses for this comparison.
     *
     * @return e.g. {@code <=}
     */
    public String text() {
        return text;
    }

    /**
     * Tells whether {@code actual OP bound} holds.
     *
     * @param actual the number observed
     * @param bound the number the expectation names
     * @return true if the comparison holds
     */
    public boolean holds(long actual, long bound) {
        return switch (this) {
            case AT_MOST -> actual <= bound;
            case FEWER -> actual < bound;
            case AT_LEAST -> actual >= bound;
            case MORE -> actual > bound;
            case EXACTLY -> actual == bound;
        };
    }

    /**
     * Finds the comparison an operator names.
     *
     * @param word one of {@code <=}, {@code <}, {@code >=}, {@code >}, {@code =}
     * @return the comparison, or empty if the word names none
     */
    public static Optional<Comparison> fromText(String word) {
        return Arrays.stream(values()).filter(c -> c.text.equals(word)).findFirst();
    }

    /**
     * Lists the operators, for error messages.
     *
     * @return {@code <=, <, >=, >, =}
     */
    public static String knownTexts() {
        return Arrays.stream(values()).map(Comparison::text).collect(Collectors.joining(", "));
    }
}
