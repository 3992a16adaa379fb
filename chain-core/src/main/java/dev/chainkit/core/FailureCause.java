package dev.chainkit.core;

/**
 * Why a chain failed, as a type: the cause of an {@link Outcome.Failed}. The causes a responder reports in an
 * {@link EnvelopeKind#ABORTED} answer ({@link Abort}) say what it refused or why it gave up; the others arise at the
 * initiator.
 *
 * <p>Thread safety: immutable.
 */
public enum FailureCause {
    /** The initiator's own application failed the chain: its handler said so or threw, or its decision failed. */
    APPLICATION(false),
    /** The responder refused to open the chain: it holds too many chains (from this peer, or in all). */
    BUSY(false),
    /** A peer, or this node's own handler, broke the protocol (see the reason). */
    PROTOCOL_VIOLATION(false),
    /** This node was closed while the chain was in flight. */
    NODE_CLOSED(false),
    /** The responder does not speak the chain's protocol. */
    UNKNOWN_PROTOCOL(true),
    /** The responder knows nothing of the chain at that step: it restarted, or forgot the chain long ago. */
    UNKNOWN_CHAIN(true),
    /** The responder restarted since it last answered the chain; its new incarnation does not know it. */
    RESPONDER_RESTARTED(true),
    /**
     * The responder has seen a newer incarnation of this node than the one the chain was opened by: this node's
     * incarnation went back (its incarnation source is broken, e.g. a clock set back), or the chain is a very late
     * message of an old life.
     */
    INCARNATION_REGRESSED(true),
    /**
     * The responder holds a different chain with the same id: this node reused an incarnation it had before (it
     * restarted without a new one), so its new chains collide with its old ones. Use an {@link IncarnationFile}.
     */
    INCARNATION_REUSED(true),
    /**
     * The responder forgot this chain's sequence long ago: a very late copy of an old opening, or an initiator that
     * restarted its sequence numbers without a new incarnation.
     */
    LATE_OPENING(true),
    /** The chain reached its protocol's step bound without a terminal reply. */
    STEP_LIMIT(true),
    /** The responder's handler failed (threw, replied with a message its protocol refuses, or its answer failed). */
    RESPONDER_FAILED(true),
    /** The responder's deferred answer was not ready by the chain's deadline. */
    ANSWER_NOT_READY(true);

    private final boolean byResponder;

    FailureCause(boolean byResponder) {
        this.byResponder = byResponder;
    }

    /** Whether a responder reports this cause, in an {@link Abort}. */
    public boolean reportedByResponder() {
        return byResponder;
    }
}
