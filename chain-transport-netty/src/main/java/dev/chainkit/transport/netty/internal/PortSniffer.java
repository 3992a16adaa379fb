package dev.chainkit.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Tells a WebSocket upgrade from a chainkit connection on one port by its first four bytes: {@code "GET "} starts
 * an HTTP request; anything else is a frame's length prefix (which can never read as {@code "GET "}, since that
 * would be a length above the largest frame limit). Installs the matching handlers after itself and leaves the
 * pipeline; the bytes it held go on to them. Not API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
final class PortSniffer extends ByteToMessageDecoder {

    private static final int GET_ = 'G' << 24 | 'E' << 16 | 'T' << 8 | ' ';

    private final Connection connection;

    PortSniffer(Connection connection) {
        this.connection = connection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        boolean http = connection.host.settings.webSocketPath() != null && in.getInt(in.readerIndex()) == GET_;
        if (http) {
            connection.host.pipelines.installWebSocket(ctx.pipeline(), ctx.name(), connection);
        } else {
            connection.host.pipelines.installFrames(ctx.pipeline(), ctx.name(), connection);
        }
        ctx.pipeline().remove(this);
    }
}
