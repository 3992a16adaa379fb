package dev.chainkit.core;

/**
 * The responder's view of one in-flight chain, handed to {@link Responder#onMessage}.
 *
 * <p>It carries a per-chain state slot so a multi-step responder can remember where it is between steps
 * (in the style of a selection key's attachment).
 *
 * <p>Thread safety: use only on the node's thread, inside the handler call or between calls of the same chain.
 */
public interface ResponderChain {

    /** The chain's id. */
    ChainId id();

    /** The initiator of the chain. */
    NodeId peer();

    /** The step of the message being handled (even: 0, 2, 4, ...). */
    int step();

    /** The chain's subject, from {@link Protocol#subjectOf} of its opening message; may be null. */
    Object subject();

    /** The state the handler attached at an earlier step of this chain, or null. */
    Object state();

    /** Attaches {@code state} to this chain; the engine drops it when the chain terminates. */
    void setState(Object state);
}
