package dev.chainkit.core;

import java.util.Objects;

/**
 * What a {@link Responder} answers to a message: a reply that expects a further message from the initiator, or a
 * reply that ends the chain.
 *
 * <p>Thread safety: immutable.
 *
 * @param <M> the protocol's message type
 */
public sealed interface ResponderAction<M> {

    /** The message to send back. */
    M message();

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

    /** @throws NullPointerException if {@code message} is null */
    static <M> ResponderAction<M> reply(M message) {
        return new Reply<>(message);
    }

    /** @throws NullPointerException if {@code message} is null */
    static <M> ResponderAction<M> replyAndTerminate(M message) {
        return new ReplyAndTerminate<>(message);
    }
}
