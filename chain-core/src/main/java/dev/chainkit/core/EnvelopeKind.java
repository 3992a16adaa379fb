package dev.chainkit.core;

/**
 * What an envelope means for its chain. Every kind but {@link #STEP} is terminal: after it nothing more is owed.
 *
 * <p>Thread safety: immutable.
 */
public enum EnvelopeKind {
    /** A protocol message that expects an answer. */
    STEP,
    /** A protocol message that ends the chain, chosen by the responder's handler. */
    TERMINAL,
    /** The responder superseded the chain because its subject changed; the payload is the protocol's info. */
    SUPERSEDED,
    /** The responder refused to open the chain: it holds too many in-flight chains from this peer. No payload. */
    BUSY,
    /**
     * The responder's engine ended or refused the chain (unknown protocol or chain, a restart, an incarnation gone
     * back or reused, step limit, handler error); the payload is an {@link Abort} saying why.
     */
    ABORTED;

    /** Whether an envelope of this kind ends its chain. */
    public boolean isTerminal() {
        return this != STEP;
    }
}
