package dev.chainkit.transport.netty;

import dev.chainkit.core.NodeId;
import java.net.SocketAddress;

/**
 * Hears a node's links come and go, for applications (a "connected" indicator) and operations. Every method has an
 * empty default.
 *
 * <p>Threading: called on the node's event-loop thread; must not block. An exception it throws is logged and
 * ignored.
 */
public interface TransportListener {

    /** A listener that does nothing. */
    TransportListener NONE = new TransportListener() { };

    /**
     * A link to {@code peer} completed its handshake.
     *
     * @param peer the authenticated peer
     * @param incarnation the peer's incarnation
     * @param dialed whether this node dialed it (false: the peer dialed in)
     */
    default void linkUp(NodeId peer, long incarnation, boolean dialed) {
    }

    /**
     * The link to {@code peer} closed.
     *
     * @param peer the peer
     * @param reason why (as this node closed it, or as the peer said, or {@link CloseReason#PEER_CLOSED})
     */
    default void linkDown(NodeId peer, CloseReason reason) {
    }

    /**
     * A connection was closed before it became a link (a refused or failed handshake).
     *
     * @param remote the remote address
     * @param reason why
     * @param byPeer whether the peer refused it (true) or this node did (false)
     */
    default void refused(SocketAddress remote, CloseReason reason, boolean byPeer) {
    }
}
