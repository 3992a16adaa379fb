package dev.chainkit.core;

import java.util.Objects;

/**
 * How a chain ended, as its initiator's application learns it.
 *
 * <p>Thread safety: immutable (provided the result and info are).
 *
 * @param <R> the chain's result type
 */
public sealed interface Outcome<R> {

    /** The chain ended as the protocol intended, with {@code result}. */
    record Completed<R>(R result) implements Outcome<R> { }

    /**
     * The chain failed: the handler said so, the responder was busy or aborted it, or a peer broke the protocol.
     *
     * @param reason what went wrong, for people
     * @param cause what went wrong, as a type: what a program should test (a responder's abort carries its cause
     *     here, at once: {@link FailureCause#UNKNOWN_PROTOCOL}, {@link FailureCause#INCARNATION_REUSED}, ...)
     */
    record Failed<R>(String reason, FailureCause cause) implements Outcome<R> {
        /** @throws NullPointerException if an argument is null */
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * A failure of the application's own making ({@link FailureCause#APPLICATION}).
         *
         * @throws NullPointerException if {@code reason} is null
         */
        public Failed(String reason) {
            this(reason, FailureCause.APPLICATION);
        }
    }

    /**
     * The chain was superseded: by the responder, because the state it was about changed ({@code info} is the
     * protocol's message, e.g. the op log's latest ops), or by a newer chain of this node on the same subject
     * ({@code info} is null).
     *
     * @param by who superseded the chain
     * @param info the responder's protocol data, or null when superseded by the initiator
     */
    record Superseded<R>(SupersededBy by, Object info) implements Outcome<R> {
        /** @throws NullPointerException if {@code by} is null */
        public Superseded {
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * No answer came in time: the step's attempt limit or the chain's deadline passed.
     *
     * @param step the step that went unanswered
     * @param attempts how many attempts that step had: its sends, plus the timeouts it sat out while an older chain
     *     probed the silent peer for it
     * @param elapsedNs nanoseconds from the chain's start to giving up
     */
    record TimedOut<R>(int step, int attempts, long elapsedNs) implements Outcome<R> { }

    /** Who superseded a chain. */
    enum SupersededBy {
        /** The responder, whose state changed while the chain was in flight. */
        RESPONDER,
        /** The initiator itself, by starting a newer chain on the same subject. */
        INITIATOR
    }
}
