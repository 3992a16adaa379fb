package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.wire.WireReader;
import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * The last handler of a connection's pipeline, in each of its phases (accepting, dialing, linked): it receives
 * frames, and turns every exception, a failed TLS handshake and the end of the connection into the connection's
 * one typed close. Nothing throws out of it into Netty. Not API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
abstract class ConnectionHandler extends ChannelInboundHandlerAdapter {

    final Connection connection;
    final NodeHost host;

    ConnectionHandler(Connection connection) {
        this.connection = connection;
        this.host = connection.host;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (!connection.closing()) {
                frame(ctx, frame.getUnsignedByte(frame.readerIndex() + 1), frame);
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Handles one frame.
     *
     * @param type the frame type
     * @param frame the frame from its version byte; released by the caller
     */
    abstract void frame(ChannelHandlerContext ctx, int type, ByteBuf frame);

    /** A frame that has no place here: an unknown type, or a known one out of turn. */
    final void unexpected(int type, String phase) {
        if (Frames.known(type)) {
            connection.close(CloseReason.UNEXPECTED_FRAME, Frames.name(type) + " frame " + phase);
        } else {
            connection.close(CloseReason.UNKNOWN_TAG, "unknown frame type " + type);
        }
    }

    /** The peer's CLOSE frame: its reason and detail. */
    final void peerClose(ByteBuf frame) {
        WireReader r = body(frame);
        try {
            int code = r.readByte();
            String detail = r.readString();
            connection.closedByPeer(CloseReason.ofCode(code), detail);
        } catch (RuntimeException e) {
            connection.closedByPeer(null, "unreadable CLOSE frame");
        }
    }

    /** A reader over the frame's body (after version and type), copied out of the buffer. */
    static WireReader body(ByteBuf frame) {
        int n = frame.readableBytes() - 2;
        byte[] bytes = new byte[n];
        frame.getBytes(frame.readerIndex() + 2, bytes);
        return new WireReader(bytes);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        connection.inactive();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.failed(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            connection.close(CloseReason.TLS_FAILURE, String.valueOf(e.cause().getMessage()));
        }
    }
}
