package dev.chainkit.oplog;

import java.util.Objects;

/**
 * The unique identifier of one operation; a log never holds the same id twice.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param value the id text: non-blank and without whitespace, e.g. {@code n1-17}
 */
public record OpId(String value) {

    /**
     * Validates the id text.
     *
     * @param value the id text: non-blank and without whitespace, e.g. {@code n1-17}
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is blank or contains whitespace
     */
    public OpId {
        Objects.requireNonNull(value, "op id must not be null; expected a non-blank word without whitespace");
        if (value.isBlank()) {
            throw new IllegalArgumentException(
                    "op id must be a non-blank word without whitespace but was '" + value + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                throw new IllegalArgumentException("op id must not contain whitespace but '" + value
                        + "' has whitespace at index " + i);
            }
        }
    }

    /**
     * Returns the id with the given text.
     *
     * @param value the id text: non-blank and without whitespace
     * @return the id
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is blank or contains whitespace
     */
    public static OpId of(String value) {
        return new OpId(value);
    }

    /** Returns the id text itself. */
    @Override
    public String toString() {
        return value;
    }
}
