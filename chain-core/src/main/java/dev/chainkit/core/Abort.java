package dev.chainkit.core;

import java.util.Objects;

/**
 * The payload of an {@link EnvelopeKind#ABORTED} answer: why the responder ended the chain, typed, and in words.
 * The initiator's outcome becomes an {@link Outcome.Failed} with the same {@link FailureCause}.
 *
 * <p>Thread safety: immutable.
 *
 * @param cause why, one of the causes a responder reports ({@link FailureCause#reportedByResponder()})
 * @param detail what exactly, for people
 */
public record Abort(FailureCause cause, String detail) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a responder does not report {@code cause}
     */
    public Abort {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
        if (!cause.reportedByResponder()) {
            throw new IllegalArgumentException("a responder does not abort a chain for " + cause);
        }
    }

    @Override
    public String toString() {
        return cause + ": " + detail;
    }
}
