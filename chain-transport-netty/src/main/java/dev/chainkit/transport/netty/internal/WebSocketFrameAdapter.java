package dev.chainkit.transport.netty.internal;

import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Carries chainkit frames over WebSocket: the payloads of binary (and continuation) messages, in order, are the
 * same byte stream a TCP connection carries, and each frame this node writes goes out as one binary message. A
 * text message, or an HTTP request that is not an upgrade at the configured path, closes the connection. Not API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
final class WebSocketFrameAdapter extends ChannelDuplexHandler {

    private final Connection connection;

    WebSocketFrameAdapter(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof FullHttpRequest req) {
            String uri = req.uri();
            req.release();
            byte[] text = ("chainkit: WebSocket upgrades only, at " + connection.host.settings.webSocketPath() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(),
                    HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(text));
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length).set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            connection.close(CloseReason.BAD_UPGRADE, "HTTP request for '" + uri + "' is not a WebSocket upgrade at "
                    + connection.host.settings.webSocketPath());
        } else {
            String what = msg.getClass().getSimpleName();
            io.netty.util.ReferenceCountUtil.release(msg);
            connection.close(CloseReason.UNEXPECTED_FRAME, what + " over WebSocket; frames travel as binary messages");
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
