package dev.chainkit.oplog;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed reason why an operation does not apply to a state.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param kind a short machine word naming the broken rule, e.g. {@code unauthorized},
 *     {@code already-registered}, {@code not-started}; matches {@code [a-z][a-z0-9-]*}
 * @param message a readable sentence naming the rule and what was wrong; non-blank
 */
public record OpError(String kind, String message) {

    /** The kind of an error for an author whose role may not make the operation. */
    public static final String UNAUTHORIZED = "unauthorized";

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * Validates the error.
     *
     * @param kind a short machine word naming the broken rule, e.g. {@code unauthorized},
     *     {@code already-registered}, {@code not-started}; matches {@code [a-z][a-z0-9-]*}
     * @param message a readable sentence naming the rule and what was wrong; non-blank
     * @throws NullPointerException if {@code kind} or {@code message} is null
     * @throws IllegalArgumentException if {@code kind} does not match {@code [a-z][a-z0-9-]*} or
     *     {@code message} is blank
     */
    public OpError {
        Objects.requireNonNull(kind, "error kind must not be null");
        Objects.requireNonNull(message, "error message must not be null");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException(
                    "error kind must match [a-z][a-z0-9-]* (e.g. 'not-started') but was '" + kind + "'");
        }
        if (message.isBlank()) {
            throw new IllegalArgumentException("error message must be non-blank (kind '" + kind + "')");
        }
    }

    /**
     * Returns an {@link #UNAUTHORIZED} error.
     *
     * @param message what the role may not do
     * @return the error
     * @throws NullPointerException if {@code message} is null
     * @throws IllegalArgumentException if {@code message} is blank
     */
    public static OpError unauthorized(String message) {
        return new OpError(UNAUTHORIZED, message);
    }

    /** Returns {@code kind: message}. */
    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
