package dev.chainkit.transport.netty.internal;

import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into frames: {@code length:u32 | version:u8 | type:u8 | body}. Emits each frame as a
 * retained slice starting at its version byte. A length below 2 or above the limit, or a version this connection
 * does not speak, closes the connection with a typed reason as soon as the header is in, before the body is
 * buffered, so a hostile length never makes the node buffer more than the limit. Before the handshake completes
 * the limit is {@link Frames#HANDSHAKE_MAX_FRAME}. Not API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private final Connection connection;
    private int maxFrameBytes = Frames.HANDSHAKE_MAX_FRAME;
    private int version = -1;
    private boolean failed;

    FrameDecoder(Connection connection) {
        this.connection = connection;
        connection.decoder = this;
    }

    /** The link is up: frames may be as large as {@code maxFrameBytes} and must carry {@code version}. */
    void linkUp(int maxFrameBytes, int version) {
        this.maxFrameBytes = maxFrameBytes;
        this.version = version;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int at = in.readerIndex();
        long length = in.getUnsignedInt(at);
        if (length < 2) {
            fail(in, CloseReason.MALFORMED_FRAME, "frame length " + length + " is below 2 (version and type)");
            return;
        }
        if (length > maxFrameBytes) {
            fail(in, CloseReason.OVERSIZE_FRAME, "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes
                    + (version < 0 ? " before the handshake" : ""));
            return;
        }
        if (in.readableBytes() < 5) {
            return;
        }
        int v = in.getUnsignedByte(at + 4);
        if (version < 0 ? v < Frames.MIN_VERSION || v > Frames.MAX_VERSION : v != version) {
            fail(in, CloseReason.UNSUPPORTED_VERSION, "frame of wire version " + v + "; this link speaks "
                    + (version < 0 ? Frames.MIN_VERSION + ".." + Frames.MAX_VERSION : Integer.toString(version)));
            return;
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice((int) length));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!failed && in.isReadable()) {
            decode(ctx, in, out);
            if (in.isReadable() && !failed) {
                connection.truncated(in.readableBytes());
            }
        }
        in.skipBytes(in.readableBytes());
    }

    private void fail(ByteBuf in, CloseReason reason, String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        connection.close(reason, detail);
    }
}
