package dev.chainkit.sim.check;

import java.util.Properties;
import java.util.stream.LongStream;

/**
 * Which seeds a property check runs: {@code count} consecutive seeds from {@code first}. Read from system
 * properties with {@link #fromSystemProperty()}: {@value #COUNT_PROPERTY} sets how many (default
 * {@value #DEFAULT_COUNT}; surefire passes the parent pom's value, a soak raises it), and {@value #SEED_PROPERTY}
 * replays exactly one seed. Works as a JUnit {@code @MethodSource} through {@link #stream()}.
 *
 * <p>Thread safety: immutable.
 *
 * @param first the first seed
 * @param count how many seeds, at least 1
 */
public record Seeds(long first, int count) {

    /** The system property with the number of seeds to sweep. */
    public static final String COUNT_PROPERTY = "chainkit.seeds";
    /** The system property with the one seed to replay. */
    public static final String SEED_PROPERTY = "chainkit.seed";
    /** How many seeds run when {@value #COUNT_PROPERTY} is not set. */
    public static final int DEFAULT_COUNT = 500;

    /** @throws IllegalArgumentException if {@code count} is below 1 */
    public Seeds {
        if (count < 1) {
            throw new IllegalArgumentException("seed count must be at least 1, got " + count);
        }
    }

    /** Seeds 1 to {@code count}. @throws IllegalArgumentException if {@code count} is below 1 */
    public static Seeds first(int count) {
        return new Seeds(1, count);
    }

    /** Only {@code seed}. */
    public static Seeds only(long seed) {
        return new Seeds(seed, 1);
    }

    /**
     * The seeds the system properties ask for: only {@value #SEED_PROPERTY} if it is set, otherwise seeds 1 to
     * {@value #COUNT_PROPERTY} (default {@value #DEFAULT_COUNT}).
     *
     * @throws IllegalArgumentException if a property is set but is not a number (or the count is below 1)
     */
    public static Seeds fromSystemProperty() {
        return from(System.getProperties());
    }

    /**
     * As {@link #fromSystemProperty()}, from {@code properties}.
     *
     * @throws IllegalArgumentException if a property is set but is not a number (or the count is below 1)
     */
    public static Seeds from(Properties properties) {
        String one = properties.getProperty(SEED_PROPERTY);
        if (one != null && !one.isBlank()) {
            return only(parse(SEED_PROPERTY, one, "a seed (a whole number)"));
        }
        String count = properties.getProperty(COUNT_PROPERTY);
        if (count == null || count.isBlank()) {
            return first(DEFAULT_COUNT);
        }
        long n = parse(COUNT_PROPERTY, count, "a number of seeds from 1 to " + Integer.MAX_VALUE);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("system property " + COUNT_PROPERTY + " must be a number of seeds from 1 to "
                    + Integer.MAX_VALUE + ", got '" + count + "'");
        }
        return first((int) n);
    }

    /** The seeds, in order. */
    public LongStream stream() {
        return LongStream.range(0, count).map(i -> first + i);
    }

    private static long parse(String property, String value, String expected) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + property + " must be " + expected + ", got '"
                    + value + "'", e);
        }
    }
}
