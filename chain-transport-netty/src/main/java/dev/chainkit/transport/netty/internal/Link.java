package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import io.netty.channel.Channel;

/**
 * An authenticated connection: the peer proved its identity, so every envelope on it must come from that peer's
 * incarnation. Not API.
 *
 * <p>Thread safety: confined to the node's event loop.
 */
final class Link {

    final Connection connection;
    final Channel channel;
    final NodeId peer;
    final long incarnation;
    final boolean dialed;
    final EnvelopeCodec.Names names;
    /** Reused to read each envelope's bytes (grows to the largest envelope seen, at most the frame limit). */
    byte[] scratch = new byte[256];
    /** Written since the last flush. */
    boolean dirty;

    Link(Connection connection, NodeId self, NodeId peer, long incarnation) {
        this.connection = connection;
        this.channel = connection.channel;
        this.peer = peer;
        this.incarnation = incarnation;
        this.dialed = connection.dialed;
        this.names = new EnvelopeCodec.Names(self, peer);
    }

    @Override
    public String toString() {
        return "Link[" + peer + "#" + incarnation + (dialed ? " dialed" : " accepted") + "]";
    }
}
