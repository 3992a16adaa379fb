package dev.chainkit.core;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link Responder} answers to a message: a reply that expects a further message from the initiator, a
 * reply that ends the chain, or an answer that comes later.
 *
 * <p>Thread safety: immutable.
 *
 * @param <M> the protocol's message type
 */
public sealed interface ResponderAction<M> {

    /** Reply and wait for the initiator's next step. */
    record Reply<M>(M message) implements ResponderAction<M> {
        /** @throws NullPointerException if {@code message} is null */
        public Reply {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Reply and end the chain; the reply is kept as the chain's tombstone for later duplicates. */
    record ReplyAndTerminate<M>(M message) implements ResponderAction<M> {
        /** @throws NullPointerException if {@code message} is null */
        public ReplyAndTerminate {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Answer later, for instance once an asynchronous store commit is durable ("commit before reply"). The handler
     * hands back {@code answer}, a stage it completes later <b>on the node's thread</b> (schedule the completion
     * there, e.g. through the node runtime's executor) with a {@link Reply} or a {@link ReplyAndTerminate}. An
     * answer completed on another thread is refused (logged as an error) before it touches the node, and the chain
     * ends at its deadline as if it never came.
     *
     * <p>Meanwhile: duplicates of the deferred step neither call the handler again nor get a reply (there is none
     * yet; the initiator keeps retransmitting on its schedule); {@link ChainNode#supersede} still ends the chain;
     * and the chain's deadline (the retry policy's, counted from its opening here) still runs: when it passes, the
     * chain ends with an {@link EnvelopeKind#ABORTED} reply ({@link FailureCause#ANSWER_NOT_READY}). An answer
     * that completes after the chain ended is dropped and counted ({@link ChainEventType#LATE_ANSWER_DROPPED}). An
     * answer that completes exceptionally, with null or with another {@code Defer} ends the chain with an
     * {@link EnvelopeKind#ABORTED} reply ({@link FailureCause#RESPONDER_FAILED}), as a handler that throws does.
     *
     * <p>A responder that supersedes other chains when its deferred work is done should complete its own answer
     * first: until then its chain is in flight and matches the supersede like any other.
     */
    record Defer<M>(CompletionStage<? extends ResponderAction<M>> answer) implements ResponderAction<M> {
        /** @throws NullPointerException if {@code answer} is null */
        public Defer {
            Objects.requireNonNull(answer, "answer");
        }
    }

    /** @throws NullPointerException if {@code message} is null */
    static <M> ResponderAction<M> reply(M message) {
        return new Reply<>(message);
    }

    /** @throws NullPointerException if {@code message} is null */
    static <M> ResponderAction<M> replyAndTerminate(M message) {
        return new ReplyAndTerminate<>(message);
    }

    /** @throws NullPointerException if {@code answer} is null */
    static <M> ResponderAction<M> defer(CompletionStage<? extends ResponderAction<M>> answer) {
        return new Defer<>(answer);
    }
}
