package dev.chainkit.core;

/**
 * Why a node refused an inbound envelope. A rejected envelope changes no state; it is counted and logged.
 *
 * <p>Which refusals are answered: only requests (envelopes of chains another node opened) are ever answered, each
 * with at most one {@link EnvelopeKind#ABORTED} envelope naming a {@link FailureCause}, and only when the initiator
 * could otherwise wait out its whole deadline for nothing, or lose a chain silently: {@link #UNKNOWN_PROTOCOL},
 * {@link #UNKNOWN_CHAIN}, {@link #STALE_RECEIVER}, {@link #STALE_SENDER}, {@link #LATE_OPENING} and
 * {@link #INCARNATION_REUSED}. A reply is never answered, so an answer cannot start a loop (the initiator places
 * an answer as a reply and answers nothing), and one request gets at most one small answer, so nothing is
 * amplified. Envelopes that are malformed, misaddressed or carry a refused payload are not answered: the sender
 * is broken, and a retransmission cannot fix it.
 *
 * <p>Thread safety: immutable.
 */
public enum RejectReason {
    /** The transport delivered null. */
    NULL_ENVELOPE,
    /** The envelope is addressed to another node. */
    WRONG_RECEIVER,
    /**
     * No protocol of that name is registered on this node (a request: answered,
     * {@link FailureCause#UNKNOWN_PROTOCOL}), or a reply names another protocol than its chain's.
     */
    UNKNOWN_PROTOCOL,
    /** The payload is not of the protocol's message type. */
    PAYLOAD_TYPE,
    /** The protocol's {@link Protocol#validate} refused the payload. */
    PAYLOAD_INVALID,
    /** The step's parity does not fit the direction (initiators send even steps, responders odd ones). */
    BAD_STEP,
    /** The envelope's kind does not fit the direction (initiators send only {@link EnvelopeKind#STEP}). */
    BAD_KIND,
    /** The sender is neither the chain's initiator nor its responder, or its incarnation contradicts the chain id. */
    WRONG_SENDER,
    /** A non-opening step of a chain this node does not know (it restarted or forgot the chain); answered. */
    UNKNOWN_CHAIN,
    /**
     * Addressed to an older incarnation of this node; a request is answered ({@link FailureCause#RESPONDER_RESTARTED}).
     */
    STALE_RECEIVER,
    /**
     * Sent by an older incarnation of a peer whose newer incarnation was already seen; a request is answered
     * ({@link FailureCause#INCARNATION_REGRESSED}), so a peer whose incarnation went back learns it at once.
     */
    STALE_SENDER,
    /**
     * The opening message of a chain that was already forgotten (arrived after its dedup window, or its initiator
     * counts its sequences from 1 again without a new incarnation); answered ({@link FailureCause#LATE_OPENING}).
     */
    LATE_OPENING,
    /**
     * An opening whose chain id this node holds for a different opening (a different {@link Protocol#fingerprint}):
     * its initiator restarted and reused its incarnation. Answered ({@link FailureCause#INCARNATION_REUSED}), so the
     * new chain fails at once instead of getting the old chain's answer.
     */
    INCARNATION_REUSED
}
