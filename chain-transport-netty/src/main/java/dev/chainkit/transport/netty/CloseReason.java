package dev.chainkit.transport.netty;

/**
 * Why a connection was closed. The closing side counts it ({@link TransportStats#closed}) and, where the peer can
 * still hear it, tells the peer in a {@code CLOSE} frame, which the peer counts as
 * {@link TransportStats#closedByPeer}. Each reason has a fixed code on the wire ({@link #code()}).
 *
 * <p>Thread safety: immutable.
 */
public enum CloseReason {
    /** The first bytes were not a chainkit handshake (wrong magic). */
    BAD_MAGIC(1),
    /** The peers share no wire-format version, or a frame carried a version other than the one agreed. */
    UNSUPPORTED_VERSION(2),
    /** A frame's length prefix exceeds the maximum frame size (or the small handshake limit before the link). */
    OVERSIZE_FRAME(3),
    /** The connection ended in the middle of a frame. */
    TRUNCATED_FRAME(4),
    /** A frame type, or a message tag of a known protocol, that is not registered. */
    UNKNOWN_TAG(5),
    /** A frame whose body does not decode (bad lengths, bad UTF-8, a record's checks refused it, trailing bytes). */
    MALFORMED_FRAME(6),
    /** A frame that has no place at this point (an envelope before the handshake, a second hello, text over WebSocket). */
    UNEXPECTED_FRAME(7),
    /** The handshake did not complete within the handshake timeout (a late or missing proof). */
    HANDSHAKE_TIMEOUT(8),
    /** The dialing node is not in the acceptor's secrets file. */
    UNKNOWN_NODE(9),
    /** A proof of identity did not verify: a wrong secret, or a peer that does not hold ours. */
    WRONG_PROOF(10),
    /** A hello reused a nonce already seen: a recorded handshake played again. */
    REPLAYED_HANDSHAKE(11),
    /** The peer's incarnation is older than one already seen for that node. */
    STALE_INCARNATION(12),
    /** The acceptor is not the node the dialer meant to reach. */
    WRONG_PEER(13),
    /** Both nodes dialed each other: the link dialed by the node with the smaller id is kept. */
    DUPLICATE_LINK(14),
    /** A newer connection of the same peer (or its newer incarnation) replaced this one. */
    REPLACED(15),
    /** Nothing arrived for the idle timeout: the peer is dead, or the path blackholes. */
    IDLE_TIMEOUT(16),
    /** This node (or the peer, when received) is shutting down. */
    NODE_CLOSED(17),
    /** An HTTP request that is not a WebSocket upgrade at the configured path. */
    BAD_UPGRADE(18),
    /** The TLS handshake failed (plaintext to a TLS port, an untrusted certificate, a wrong host name). */
    TLS_FAILURE(19),
    /** The peer closed the connection without saying why. */
    PEER_CLOSED(20),
    /** A socket error (reset, broken pipe, unreachable). */
    IO_ERROR(21);

    private final int code;

    CloseReason(int code) {
        this.code = code;
    }

    /** The reason's code on the wire, fixed forever. */
    public int code() {
        return code;
    }

    /**
     * The reason with {@code code}, or null when the code is unknown (a newer peer's reason).
     *
     * @param code a wire code
     */
    public static CloseReason ofCode(int code) {
        for (CloseReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
