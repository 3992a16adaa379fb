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
    /** The drop reasons already logged at WARN on this link (a hostile peer must not flood the log). */
    private final java.util.EnumSet<dev.chainkit.transport.netty.DropReason> warned =
            java.util.EnumSet.noneOf(dev.chainkit.transport.netty.DropReason.class);

    Link(Connection connection, NodeId self, NodeId peer, long incarnation) {
        this.connection = connection;
        this.channel = connection.channel;
        this.peer = peer;
        this.incarnation = incarnation;
        this.dialed = connection.dialed;
        this.names = new EnvelopeCodec.Names(self, peer);
    }

    /** True the first time {@code reason} is seen on this link. */
    boolean warnOnce(dev.chainkit.transport.netty.DropReason reason) {
        return warned.add(reason);
    }

    @Override
    public String toString() {
        return "Link[" + peer + "#" + incarnation + (dialed ? " dialed" : " accepted") + "]";
    }
}
