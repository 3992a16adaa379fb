package dev.chainkit.examples.scenario;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word-level syntax shared by the scenario model, parser and printer: names, durations and decimal
 * numbers, read and written the way {@code .scn} files spell them.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class ScenarioSyntax {

    /** Node names and op labels. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /** The word {@code expect log} uses for "every node"; no node may be called so. */
    static final String ALL_NODES = "all";

    /** How durations are written, for error messages. */
    static final String DURATION_FORM = "a duration such as 250ms, 2s or 1.5s (units: ms, s, m)";

    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");
    private static final BigDecimal NANOS_PER_MS = BigDecimal.valueOf(1_000_000L);
    private static final long NANOS_PER_S = 1_000_000_000L;
    private static final long NANOS_PER_MIN = 60 * NANOS_PER_S;

    private ScenarioSyntax() {
    }

    /**
     * Checks a node name.
     *
     * @param name the name
     * @param what what the name names, for the message, e.g. {@code node name}
     * @return {@code name}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it does not match {@link #NAME} or is {@code all}
     */
    static String requireNodeName(String name, String what) {
        requireName(name, what);
        if (name.equals(ALL_NODES)) {
            throw new IllegalArgumentException("'" + ALL_NODES + "' cannot name a node: 'expect log "
                    + ALL_NODES + "' means every node");
        }
        return name;
    }

    /**
     * Checks a name (node name or op label).
     *
     * @param name the name
     * @param what what the name names, for the message, e.g. {@code label}
     * @return {@code name}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it does not match {@link #NAME}
     */
    static String requireName(String name, String what) {
        Objects.requireNonNull(name, what + " must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad " + what + " '" + name + "': expected a name matching "
                    + NAME.pattern());
        }
        return name;
    }

    /**
     * Checks that a duration is zero or positive.
     *
     * @param d the duration
     * @param what what it is, for the message
     * @return {@code d}
     * @throws NullPointerException if {@code d} is null
     * @throws IllegalArgumentException if it is negative
     */
    static Duration requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what + " must not be null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be 0ms or more but was " + d);
        }
        return d;
    }

    /**
     * Reads a duration: a non-negative decimal number and a unit {@code ms}, {@code s} or {@code m}
     * (minutes), e.g. {@code 250ms}, {@code 1.5s}, {@code 10m}; it must be a whole number of nanoseconds.
     *
     * @param word the word
     * @return the duration, or empty if the word is not one
     */
    static Optional<Duration> parseDuration(String word) {
        Matcher m = DURATION.matcher(word);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPer(m.group(2)));
        try {
            return Optional.of(Duration.ofNanos(nanos.longValueExact()));
        } catch (ArithmeticException fractionalOrTooLarge) {
            return Optional.empty();
        }
    }

    /**
     * Says why a word that {@link #parseDuration} refused is not a duration: negative, too large, finer than a
     * nanosecond, or not written as one.
     *
     * @param word the word
     * @return what is wrong with it, in a few plain words, with what is expected
     */
    static String durationProblem(String word) {
        if (word.startsWith("-") && DURATION.matcher(word.substring(1)).matches()) {
            return "negative: a duration is 0ms or more";
        }
        Matcher m = DURATION.matcher(word);
        if (m.matches()) {
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPer(m.group(2)));
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                return "too large: at most " + Long.MAX_VALUE / NANOS_PER_MIN + "m (about 292 years)";
            }
            return "finer than a nanosecond: write at most 6 decimals of ms";
        }
        return "expected " + DURATION_FORM;
    }

    private static BigDecimal nanosPer(String unit) {
        return switch (unit) {
            case "ms" -> NANOS_PER_MS;
            case "s" -> BigDecimal.valueOf(NANOS_PER_S);
            default -> BigDecimal.valueOf(NANOS_PER_MIN);
        };
    }

    /**
     * Writes a duration the way {@link #parseDuration(String)} reads it: whole minutes as {@code 10m},
     * one second or more in seconds ({@code 2s}, {@code 1.5s}), less in milliseconds ({@code 250ms},
     * {@code 0.5ms}), zero as {@code 0ms}.
     *
     * @param d a non-negative duration
     * @return its text
     */
    static String formatDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos > 0 && nanos % NANOS_PER_MIN == 0) {
            return nanos / NANOS_PER_MIN + "m";
        }
        if (nanos >= NANOS_PER_S) {
            return plain(new BigDecimal(BigInteger.valueOf(nanos), 9)) + "s";
        }
        return plain(new BigDecimal(BigInteger.valueOf(nanos), 6)) + "ms";
    }

    /**
     * Reads a non-negative decimal number such as {@code 0.1} or {@code 2}.
     *
     * @param word the word
     * @return the number, or empty if the word is not one
     */
    static Optional<Double> parseDecimal(String word) {
        if (!DECIMAL.matcher(word).matches()) {
            return Optional.empty();
        }
        return Optional.of(Double.parseDouble(word));
    }

    /**
     * Writes a number so that {@link #parseDecimal(String)} reads back exactly the same double.
     *
     * @param value a finite non-negative number
     * @return its shortest plain decimal text, e.g. {@code 0.1}, {@code 2}
     */
    static String formatDecimal(double value) {
        return plain(BigDecimal.valueOf(value));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
