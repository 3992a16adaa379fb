package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a link to one configured peer: dials at start, and after every failed attempt or lost link waits as the
 * {@link dev.chainkit.transport.netty.ReconnectPolicy} says (full jitter, growing per failed attempt, back to the
 * first window once a link completes its handshake) and dials again. While the peer's own connection to this node
 * is the link, it does not dial; it resumes when that link drops. Not API.
 *
 * <p>Thread safety: confined to the node's event loop.
 */
final class Dialer {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final NodeHost host;
    private final NodeId peer;
    private final InetSocketAddress address;
    private final Bootstrap bootstrap;
    private int attempt;
    private ScheduledFuture<?> pending;
    private boolean connecting;
    private boolean stopped;

    Dialer(NodeHost host, NodeId peer, InetSocketAddress address) {
        this.host = host;
        this.peer = peer;
        this.address = address;
        this.bootstrap = new Bootstrap().group(host.loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(host.settings.handshakeTimeoutNs())))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(host.settings.outboxLowBytes(),
                        host.settings.outboxHighBytes()))
                .handler(host.pipelines.dialed(peer, address));
    }

    /** Dials now. */
    void start() {
        connect();
    }

    /** A link to the peer came up (dialed by either side): the next loss starts from the first window. */
    void linkUp() {
        attempt = 0;
    }

    /** The peer's own link to this node dropped: dial, unless already dialing or waiting to. */
    void wake() {
        if (!stopped && pending == null && !connecting) {
            scheduleNext();
        }
    }

    void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void connect() {
        pending = null;
        if (stopped) {
            return;
        }
        Link link = host.links.get(peer);
        if (link != null && link.channel.isActive() && !link.dialed) {
            return;
        }
        connecting = true;
        log.debug("Node [{}] dials [{}] at [{}], attempt [{}]", host.id, peer, address, attempt);
        ChannelFuture f = bootstrap.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connecting = false;
                host.connectFailed(peer, address, done.cause());
                if (!stopped) {
                    scheduleNext();
                }
            } else {
                f.channel().closeFuture().addListener(closed -> closed());
            }
        });
    }

    private void closed() {
        connecting = false;
        if (!stopped) {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        long delayNs = host.settings.reconnect().delayNs(attempt, host.reconnectRandom);
        attempt = Math.min(attempt + 1, 62);
        log.debug("Node [{}] dials [{}] again in [{}] ms", host.id, peer, TimeUnit.NANOSECONDS.toMillis(delayNs));
        pending = host.loop.schedule(this::connect, delayNs, TimeUnit.NANOSECONDS);
    }
}
