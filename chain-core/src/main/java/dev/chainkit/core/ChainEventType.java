package dev.chainkit.core;

/**
 * The kinds of things that happen in a chain's life, as reported to a {@link ChainListener} and counted in
 * {@link NodeStats}.
 *
 * <p>Thread safety: immutable.
 */
public enum ChainEventType {
    /** The initiator opened a chain. */
    STARTED,
    /** A node sent an envelope for the first time (retransmissions are {@link #RETRANSMITTED}). */
    SENT,
    /** The initiator resent its latest unanswered message. */
    RETRANSMITTED,
    /** A handler was called with a new step (the responder's or the initiator's). */
    HANDLED,
    /** The responder answered a duplicate from its reply cache or a tombstone, without calling the handler. */
    DUPLICATE_ANSWERED,
    /** A message for an older step, or a reply to a chain that already ended, was ignored. */
    STALE_IGNORED,
    /** An inbound envelope was refused; the detail names the {@link RejectReason}. */
    REJECTED,
    /** A peer broke the protocol (skipped ahead, exceeded the step bound, answered after a terminal). */
    VIOLATION,
    /** The responder refused to open a chain because the peer has too many in flight. */
    BUSY,
    /** A chain ended as completed (on the initiator) or with a terminal reply (on the responder). */
    COMPLETED,
    /** A chain ended as failed. */
    FAILED,
    /** A chain was superseded. */
    SUPERSEDED,
    /** The initiator gave up waiting for a reply. */
    TIMED_OUT,
    /** A responder handler deferred its answer ({@link ResponderAction.Defer}). */
    DEFERRED,
    /**
     * A deferred answer was dropped: it came after its chain ended (superseded, timed out, the node closed), or it
     * was not a reply (an exception, null, another deferral).
     */
    LATE_ANSWER_DROPPED,
    /** A responder forgot a chain: its tombstone's dedup window passed, or it sat idle past its idle timeout. */
    TOMBSTONE_EXPIRED
}
