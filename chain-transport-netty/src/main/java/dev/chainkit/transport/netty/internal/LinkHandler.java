package dev.chainkit.transport.netty.internal;

import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;

/**
 * A link's last handler: envelopes go to the host, heartbeats only prove life, a CLOSE ends the link. An
 * {@link io.netty.handler.timeout.IdleStateHandler} before it reports silence: nothing written for the heartbeat
 * interval sends a HEARTBEAT; nothing read for the idle timeout closes as IDLE_TIMEOUT. When the link's outbox is
 * full, reading from the peer pauses until it drains, so a peer that floods without reading is pushed back by TCP.
 * Not API.
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
        if (type == Frames.ENVELOPE) {
            host.onEnvelopeFrame(link, frame);
        } else if (type == Frames.CLOSE) {
            peerClose(frame);
        } else if (type != Frames.HEARTBEAT) {
            unexpected(type, "on a link");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                connection.close(CloseReason.IDLE_TIMEOUT, "nothing heard for "
                        + TimeUnit.NANOSECONDS.toMillis(host.settings.idleTimeoutNs()) + " ms");
            } else if (e.state() == IdleState.WRITER_IDLE && ctx.channel().isWritable()) {
                ctx.writeAndFlush(Frames.empty(ctx.alloc(), connection.version, Frames.HEARTBEAT));
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
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
