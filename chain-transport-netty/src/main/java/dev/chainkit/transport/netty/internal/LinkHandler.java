package dev.chainkit.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A link's last handler: envelopes go to the host, heartbeats only prove life, a CLOSE ends the link. Every read
 * batch that carried a frame tells the link's {@link LinkWatch} the peer was heard. When the link's outbox is full,
 * reading from the peer pauses until it drains, so a peer that floods without reading is pushed back by TCP. Not
 * API.
 *
 * <p>Thread safety: confined to the link's event loop.
 */
final class LinkHandler extends ConnectionHandler {

    private final Link link;

    LinkHandler(Link link) {
        super(link.connection);
        this.link = link;
    }

    @Override
    void frame(ChannelHandlerContext ctx, int type, ByteBuf frame) {
        link.heard = true;
        if (type == Frames.ENVELOPE) {
            host.onEnvelopeFrame(link, frame);
        } else if (type == Frames.CLOSE) {
            peerClose(frame);
        } else if (type != Frames.HEARTBEAT) {
            unexpected(type, "on a link");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (link.heard) {
            link.heard = false;
            link.watch.heard(System.nanoTime());
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (!writable) {
            host.readPaused();
        }
        ctx.channel().config().setAutoRead(writable);
        ctx.fireChannelWritabilityChanged();
    }
}
