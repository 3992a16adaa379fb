package dev.chainkit.core;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link Initiator} does with a reply: send the next step (a counter reply), complete, fail, or decide
 * later.
 *
 * <p>Thread safety: immutable.
 *
 * @param <M> the protocol's message type
 * @param <R> the chain's result type
 */
public sealed interface InitiatorAction<M, R> {

    /** Send {@code message} as the next step and wait for the responder's answer (retransmitting as needed). */
    record Reply<M, R>(M message) implements InitiatorAction<M, R> {
        /** @throws NullPointerException if {@code message} is null */
        public Reply {
            Objects.requireNonNull(message, "message");
        }
    }

    /** End the chain successfully with {@code result}. */
    record Complete<M, R>(R result) implements InitiatorAction<M, R> { }

    /** End the chain as failed, for {@code reason}. */
    record Fail<M, R>(String reason) implements InitiatorAction<M, R> {
        /** @throws NullPointerException if {@code reason} is null */
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Decide later, for instance after asking a person. The stage must complete on the node's thread (schedule it
     * there); a decision completed on another thread is refused (logged as an error) before it touches the node.
     * Meanwhile the chain neither retransmits nor times out by attempts, but its deadline still runs, and a terminal
     * reply (a supersede) ends it; a decision that arrives after the chain ended is ignored. A decision
     * that may take longer than the policy's deadline (a person thinking) ends the chain as timed out: keep the
     * decision in the application and apply it when it comes, as the op-log client does with a user's answer.
     */
    record Defer<M, R>(CompletionStage<InitiatorAction<M, R>> decision) implements InitiatorAction<M, R> {
        /** @throws NullPointerException if {@code decision} is null */
        public Defer {
            Objects.requireNonNull(decision, "decision");
        }
    }

    /** @throws NullPointerException if {@code message} is null */
    static <M, R> InitiatorAction<M, R> reply(M message) {
        return new Reply<>(message);
    }

    static <M, R> InitiatorAction<M, R> complete(R result) {
        return new Complete<>(result);
    }

    /** @throws NullPointerException if {@code reason} is null */
    static <M, R> InitiatorAction<M, R> fail(String reason) {
        return new Fail<>(reason);
    }

    /** @throws NullPointerException if {@code decision} is null */
    static <M, R> InitiatorAction<M, R> defer(CompletionStage<InitiatorAction<M, R>> decision) {
        return new Defer<>(decision);
    }
}
