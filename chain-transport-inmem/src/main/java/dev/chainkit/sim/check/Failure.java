package dev.chainkit.sim.check;

import java.util.Objects;

/**
 * Why a property-check run failed.
 *
 * <p>Thread safety: immutable.
 *
 * @param kind which check failed
 * @param message what was wrong, for people
 * @param atNs the virtual time of the failure, in nanoseconds
 */
public record Failure(Kind kind, String message, long atNs) {

    /** Which check failed. Shrinking keeps only candidates that fail the same way. */
    public enum Kind {
        /** An invariant failed after some event. */
        INVARIANT,
        /** The run did not reach quiet, or a liveness condition failed after calm and drain. */
        LIVENESS,
        /** Code of the check or the protocol threw during the run. */
        ERROR
    }

    /** @throws NullPointerException if {@code kind} or {@code message} is null */
    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
