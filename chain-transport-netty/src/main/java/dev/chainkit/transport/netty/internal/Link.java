package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import dev.chainkit.transport.netty.DropReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.EnumSet;

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
    /** Heartbeats and the idle timeout. */
    final LinkWatch watch;
    /** Reused to read each envelope's bytes (grows to the largest envelope seen, at most the frame limit). */
    byte[] scratch = new byte[256];
    /** Written since the last flush. */
    boolean dirty;
    /**
     * Frames written since the last flush and not yet handed to the channel (TCP only: over WebSocket each frame is
     * a message of its own), or null; see {@link NodeHost}'s design notes.
     */
    ByteBuf batch;
    /** A frame was read since the last read batch ended. */
    boolean heard;
    /** The drop reasons already logged at WARN on this link (a hostile peer must not flood the log). */
    private final EnumSet<DropReason> warned = EnumSet.noneOf(DropReason.class);

    Link(Connection connection, NodeId self, NodeId peer, long incarnation, long heartbeatNs, long idleNs) {
        this.connection = connection;
        this.channel = connection.channel;
        this.peer = peer;
        this.incarnation = incarnation;
        this.dialed = connection.dialed;
        this.names = new EnvelopeCodec.Names(self, peer);
        this.watch = new LinkWatch(this, heartbeatNs, idleNs);
    }

    /** True the first time {@code reason} is seen on this link. */
    boolean warnOnce(DropReason reason) {
        return warned.add(reason);
    }

    /** Hands the pending batch, if any, to the channel (unflushed), or drops it if the channel is closed. */
    void handOver() {
        ByteBuf b = batch;
        if (b != null) {
            batch = null;
            if (channel.isActive()) {
                channel.write(b, channel.voidPromise());
            } else {
                b.release();
            }
        }
    }

    /** The link is gone: its watch stops, and what was never handed to the channel is released. */
    void closed() {
        watch.stop();
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    /** Bytes waiting to leave: the pending batch and the channel's outbound buffer. */
    long outboxBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return (out == null ? 0 : out.totalPendingWriteBytes()) + (batch == null ? 0 : batch.readableBytes());
    }

    @Override
    public String toString() {
        return "Link[" + peer + "#" + incarnation + (dialed ? " dialed" : " accepted") + "]";
    }
}
