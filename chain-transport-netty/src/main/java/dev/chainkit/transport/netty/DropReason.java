package dev.chainkit.transport.netty;

/**
 * Why an envelope was dropped instead of sent or delivered. Every drop is counted
 * ({@link TransportStats#dropped}); the engine's retransmission recovers what an honest peer lost.
 *
 * <p>Thread safety: immutable.
 */
public enum DropReason {
    /** Outbound: no authenticated link to the receiver right now (it is dialed, or will dial in). */
    NO_LINK,
    /** Outbound: the link's outbox is above its high-water mark (the peer reads slower than this node writes). */
    OUTBOX_FULL,
    /** Outbound: no codec is registered for the envelope's protocol. */
    NO_CODEC,
    /** Outbound: the protocol's codec could not write the payload (a programming error, logged). */
    ENCODE_FAILED,
    /** Outbound: the encoded envelope exceeds the maximum frame size. */
    TOO_LARGE,
    /** Inbound: the envelope names a sender other than the authenticated peer, or another incarnation of it. */
    SPOOFED_SENDER,
    /** Inbound: the envelope is addressed to another node. */
    WRONG_RECEIVER,
    /** Inbound: the envelope's protocol has no codec on this node (the link stays up). */
    UNKNOWN_PROTOCOL
}
