package dev.chainkit.core;

/**
 * The initiator side of one chain: maps each reply to the next action. One instance per chain, passed to
 * {@link ChainNode#start}, so it can keep that chain's state in its own fields.
 *
 * <p>The engine guarantees the handler sees each reply step at most once and never after the chain ended.
 * Replies of kind {@link EnvelopeKind#SUPERSEDED}, {@link EnvelopeKind#BUSY} and {@link EnvelopeKind#ABORTED}
 * do not reach the handler: they become the chain's {@link Outcome} directly.
 *
 * <p>Threading: called only on the node's thread. Must not block; use {@link InitiatorAction.Defer} to decide
 * later. An exception thrown here fails the chain.
 *
 * @param <M> the protocol's message type
 * @param <R> the chain's result type
 */
@FunctionalInterface
public interface Initiator<M, R> {

    /**
     * Handles the responder's reply.
     *
     * @param chain the chain; {@link InitiatorChain#terminal()} says whether the reply ended it
     * @param reply the reply, already checked by {@link Protocol#validate}
     * @return what to do next; never null
     */
    InitiatorAction<M, R> onReply(InitiatorChain chain, M reply);
}
