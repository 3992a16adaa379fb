package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Builds each connection's pipeline for its phase. Not API.
 * <pre>
 * accepted:  [tls] sniffer                                      handshake(acceptor)
 *   TCP:     [tls] frames                                       handshake(acceptor)
 *   WS:      [tls] http  aggregator  websocket  ws-adapter  frames  handshake(acceptor)
 * dialed:    [tls] frames                                       handshake(dialer)
 * linked:    ...   frames                                       link (its LinkWatch: heartbeats, idle timeout)
 * </pre>
 *
 * <p>Thread safety: the initializers run on the connection's event loop; the rest is called there.
 */
final class Pipelines {

    private static final String HANDSHAKE = "handshake";

    private final NodeHost host;
    private final SslContext acceptTls;
    private final SslContext dialTls;

    Pipelines(NodeHost host, SslContext acceptTls, SslContext dialTls) {
        this.host = host;
        this.acceptTls = acceptTls;
        this.dialTls = dialTls;
    }

    /** The initializer of accepted connections. */
    ChannelInitializer<Channel> accepted() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Connection c = host.newConnection(ch, false, null);
                ChannelPipeline p = ch.pipeline();
                if (acceptTls != null) {
                    p.addLast("tls", acceptTls.newHandler(ch.alloc()));
                }
                p.addLast("sniffer", new PortSniffer(c));
                p.addLast(HANDSHAKE, new AcceptorHandshake(c));
            }
        };
    }

    /** The initializer of a connection dialed to {@code peer} at {@code address}. */
    ChannelInitializer<Channel> dialed(NodeId peer, InetSocketAddress address) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Connection c = host.newConnection(ch, true, peer);
                ChannelPipeline p = ch.pipeline();
                if (dialTls != null) {
                    p.addLast("tls", dialTls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                }
                p.addLast("frames", new FrameDecoder(c));
                p.addLast(HANDSHAKE, new DialerHandshake(c));
            }
        };
    }

    /** After the sniffer: the frame decoder. */
    void installFrames(ChannelPipeline p, String after, Connection c) {
        p.addAfter(after, "frames", new FrameDecoder(c));
    }

    /** After the sniffer: HTTP, the WebSocket upgrade, the adapter and the frame decoder. */
    void installWebSocket(ChannelPipeline p, String after, Connection c) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(host.settings.webSocketPath())
                .maxFramePayloadLength(host.settings.maxFrameBytes() + 4)
                .handshakeTimeoutMillis(TimeUnit.NANOSECONDS.toMillis(host.settings.handshakeTimeoutNs()))
                .checkStartsWith(false)
                .allowExtensions(false)
                .build();
        c.webSocket = true;
        p.addAfter(after, "http", new HttpServerCodec());
        p.addAfter("http", "aggregator", new HttpObjectAggregator(8192));
        p.addAfter("aggregator", "websocket", new WebSocketServerProtocolHandler(config));
        p.addAfter("websocket", "ws-adapter", new WebSocketFrameAdapter(c));
        p.addAfter("ws-adapter", "frames", new FrameDecoder(c));
    }

    /** The handshake is done: the link's handler replaces the handshake's, and the link's watch starts. */
    void linkUp(Link link) {
        ChannelPipeline p = link.channel.pipeline();
        link.connection.decoder.linkUp(host.settings.maxFrameBytes(), link.connection.version);
        p.replace(HANDSHAKE, "link", new LinkHandler(link));
        link.watch.start(System.nanoTime());
    }
}
