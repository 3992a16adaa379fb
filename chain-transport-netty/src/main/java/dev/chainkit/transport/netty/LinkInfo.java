package dev.chainkit.transport.netty;

import dev.chainkit.core.NodeId;
import java.net.SocketAddress;

/**
 * One link as it is at the moment it was read: who is at the other end and how full its outbox is.
 *
 * <p>Thread safety: immutable.
 *
 * @param peer the authenticated peer
 * @param incarnation the peer's incarnation
 * @param dialed whether this node dialed the link
 * @param remote the peer's socket address
 * @param outboxBytes bytes written to the link and not yet taken by the socket
 * @param writable whether the outbox is below its high-water mark (else envelopes to the peer are dropped)
 */
public record LinkInfo(NodeId peer, long incarnation, boolean dialed, SocketAddress remote, long outboxBytes,
        boolean writable) {
}
