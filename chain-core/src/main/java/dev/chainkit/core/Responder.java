package dev.chainkit.core;

/**
 * The responder side of a protocol on one node: maps each new message of a chain to the reply.
 *
 * <p>The engine guarantees the handler never sees a duplicate, a stale step, a step that skips ahead, or a
 * message of a terminated chain: it answers those itself (from its reply cache or tombstones) or drops them.
 * Each step of a chain reaches the handler at most once.
 *
 * <p>Threading: called only on the node's thread. Must not block. An exception thrown here ends the chain with
 * an {@link EnvelopeKind#ABORTED} reply and is logged as a bug.
 *
 * @param <M> the protocol's message type
 */
@FunctionalInterface
public interface Responder<M> {

    /**
     * Handles the next message of a chain: the opening message when {@code chain.step() == 0}.
     *
     * @param chain the chain, with a slot for per-chain state
     * @param message the message, already checked by {@link Protocol#validate}
     * @return the reply; never null
     */
    ResponderAction<M> onMessage(ResponderChain chain, M message);
}
