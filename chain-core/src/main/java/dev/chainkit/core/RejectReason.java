package dev.chainkit.core;

/**
 * Why a node refused an inbound envelope. A rejected envelope changes no chain state; it is counted and logged.
 *
 * <p>Thread safety: immutable.
 */
public enum RejectReason {
    /** The transport delivered null. */
    NULL_ENVELOPE,
    /** The envelope is addressed to another node. */
    WRONG_RECEIVER,
    /** No protocol of that name is registered on this node. */
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
    /** A non-opening step of a chain this node does not know (it restarted or forgot the chain). */
    UNKNOWN_CHAIN,
    /** Addressed to an older incarnation of this node. */
    STALE_RECEIVER,
    /** Sent by an older incarnation of a peer whose newer incarnation was already seen. */
    STALE_SENDER,
    /** The opening message of a chain that was already forgotten (arrived after its dedup window). */
    LATE_OPENING
}
