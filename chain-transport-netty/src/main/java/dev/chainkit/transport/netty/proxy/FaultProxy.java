package dev.chainkit.transport.netty.proxy;

import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.transport.netty.TransportSettings;
import dev.chainkit.transport.netty.internal.EnvelopeCodec;
import dev.chainkit.transport.netty.internal.Frames;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frame-aware TCP proxy for fault testing: a node dials the proxy instead of its peer, and the proxy relays each
 * connection to the target, frame by frame, doing to each envelope frame what its {@link FramePolicy} decides (drop,
 * duplicate, delay). On top of the policy it can blackhole a direction (everything in it vanishes, heartbeats
 * included, while the connections stay open, as on a dead path) and cut every connection at once. Handshake,
 * heartbeat and close frames are never subject to the policy, only to blackholes and cuts.
 *
 * <p>It only ever listens and connects on loopback addresses. Over TLS it cannot see frames: point it at plaintext
 * links.
 *
 * <h2>Design notes</h2>
 * One event-loop thread for every connection pair. Each side cuts its stream into frames by their length prefix and
 * reads an envelope's header (never its payload) to describe it; delayed copies are scheduled on the loop, so a
 * later frame may overtake an earlier one, as on a network, but frames always stay whole. When one side's outbox is
 * full the proxy stops reading from the other, so it never buffers more than the two sockets allow.
 *
 * <p>Thread safety: {@link #blackhole}, {@link #cutAll}, {@link #stats} and {@link #close} may be called from any
 * thread; the policy is called on the proxy's thread.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

    private final InetSocketAddress target;
    private final FramePolicy policy;
    private final CodecRegistry codecs;
    private final EventLoopGroup group;
    private final Channel server;
    private final List<Channel> open = new ArrayList<>();
    private final AtomicLongArray counts = new AtomicLongArray(ProxyStats.Counter.values().length);
    private volatile boolean blackholeToTarget;
    private volatile boolean blackholeFromTarget;

    private FaultProxy(InetSocketAddress listen, InetSocketAddress target, FramePolicy policy, CodecRegistry codecs) {
        this.target = target;
        this.policy = policy;
        this.codecs = codecs;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chainkit-proxy", true),
                NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false).childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel inbound) {
                            accept(inbound);
                        }
                    }).bind(listen).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            throw new IllegalStateException("fault proxy cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a proxy on {@code listen} that relays to {@code target}.
     *
     * @param listen where to listen (a loopback address; port 0 picks a free one)
     * @param target the node to relay to (a loopback address)
     * @param policy what to do with each envelope frame
     * @param codecs the protocols' codecs, to name message kinds; an empty registry names them {@code tag N}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an address is not a loopback address
     * @throws IllegalStateException if {@code listen} cannot be bound
     */
    public static FaultProxy start(InetSocketAddress listen, InetSocketAddress target, FramePolicy policy,
            CodecRegistry codecs) {
        requireLoopback(listen, "listen");
        requireLoopback(target, "target");
        return new FaultProxy(listen, target, Objects.requireNonNull(policy, "policy"),
                Objects.requireNonNull(codecs, "codecs"));
    }

    /** Where the proxy listens: dial this instead of the target. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * Starts or stops discarding everything that travels in {@code direction} (connections stay open; new ones are
     * affected too).
     *
     * @throws NullPointerException if {@code direction} is null
     */
    public void blackhole(Direction direction, boolean on) {
        if (Objects.requireNonNull(direction, "direction") == Direction.TO_TARGET) {
            blackholeToTarget = on;
        } else {
            blackholeFromTarget = on;
        }
        log.debug("Proxy to [{}]: blackhole {} {}", target, direction, on ? "on" : "off");
    }

    /** Closes every relayed connection now, both sides (the nodes see their links drop). */
    public void cutAll() {
        group.next().execute(() -> {
            for (Channel c : new ArrayList<>(open)) {
                c.close();
            }
            counts.incrementAndGet(ProxyStats.Counter.CUTS.ordinal());
        });
    }

    /** A snapshot of what the proxy did. */
    public ProxyStats stats() {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new ProxyStats(c);
    }

    /** Closes every connection and the listening socket, and stops the proxy's thread. Idempotent. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ relaying

    private void accept(Channel inbound) {
        open.add(inbound);
        inbound.closeFuture().addListener(f -> open.remove(inbound));
        new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel outbound) {
                        open.add(outbound);
                        outbound.closeFuture().addListener(f -> open.remove(outbound));
                        wire(inbound, outbound);
                    }
                }).connect(target).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        inbound.read();
                        f.channel().read();
                    } else {
                        inbound.close();
                    }
                });
    }

    private void wire(Channel inbound, Channel outbound) {
        inbound.pipeline().addLast(splitter(), new Relay(outbound, Direction.TO_TARGET));
        outbound.pipeline().addLast(splitter(), new Relay(inbound, Direction.FROM_TARGET));
    }

    private static LengthFieldBasedFrameDecoder splitter() {
        return new LengthFieldBasedFrameDecoder(TransportSettings.MAX_FRAME_LIMIT + 4, 0, 4, 0, 0);
    }

    /** Relays the frames one side reads to the other side, as the policy and the blackholes say. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel other;
        private final Direction direction;

        Relay(Channel other, Direction direction) {
            this.other = other;
            this.direction = direction;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            if (direction == Direction.TO_TARGET ? blackholeToTarget : blackholeFromTarget) {
                counts.incrementAndGet(ProxyStats.Counter.BLACKHOLED.ordinal());
                frame.release();
                return;
            }
            FrameVerdict verdict = verdict(frame);
            if (verdict.copies() == 0) {
                counts.incrementAndGet(ProxyStats.Counter.DROPPED.ordinal());
                frame.release();
                return;
            }
            if (verdict.copies() > 1) {
                counts.addAndGet(ProxyStats.Counter.DUPLICATED.ordinal(), verdict.copies() - 1);
            }
            for (int i = 0; i < verdict.copies(); i++) {
                ByteBuf copy = i == verdict.copies() - 1 ? frame : frame.retainedDuplicate();
                long delayNs = verdict.delayNs(i);
                if (delayNs == 0) {
                    relay(copy);
                } else {
                    counts.incrementAndGet(ProxyStats.Counter.DELAYED.ordinal());
                    ctx.executor().schedule(() -> relay(copy), delayNs, TimeUnit.NANOSECONDS);
                }
            }
        }

        private void relay(ByteBuf frame) {
            if (!other.isActive()) {
                frame.release();
                return;
            }
            counts.incrementAndGet(ProxyStats.Counter.RELAYED.ordinal());
            other.writeAndFlush(frame);
        }

        private FrameVerdict verdict(ByteBuf frame) {
            if (frame.readableBytes() < Frames.HEADER_BYTES
                    || frame.getUnsignedByte(frame.readerIndex() + 5) != Frames.ENVELOPE) {
                return FrameVerdict.pass();
            }
            FrameInfo info;
            try {
                byte[] body = new byte[frame.readableBytes() - Frames.HEADER_BYTES];
                frame.getBytes(frame.readerIndex() + Frames.HEADER_BYTES, body);
                WireReader r = new WireReader(body);
                EnvelopeCodec.Header h = EnvelopeCodec.readHeader(r, new EnvelopeCodec.Names(null, null));
                info = new FrameInfo(direction, h.sender(), h.receiver(), h.protocol(), kind(h, r), h.step(),
                        frame.readableBytes());
            } catch (RuntimeException malformed) {
                return FrameVerdict.pass();
            }
            try {
                return Objects.requireNonNull(policy.decide(info, System.nanoTime()), "verdict");
            } catch (RuntimeException e) {
                log.warn("Fault policy threw on [{}]; relaying the frame unchanged", info, e);
                return FrameVerdict.pass();
            }
        }

        private String kind(EnvelopeCodec.Header h, WireReader r) {
            if (h.kind() == EnvelopeKind.BUSY) {
                return "Busy";
            }
            if (h.kind() == EnvelopeKind.ABORTED) {
                return "Aborted";
            }
            int tag = r.readVarInt();
            Class<?> type = codecs.find(h.protocol()).map(ProtocolCodec::tags).map(t -> t.get(tag)).orElse(null);
            return type == null ? "tag " + tag : type.getSimpleName();
        }

        /** Reads on only while the other side can take it; its writability change resumes reading here. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (other.isWritable()) {
                ctx.channel().read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                other.read();
            }
        }

        /**
         * A close crosses the proxy like a frame: not through a blackhole. A dead path carries no FIN either, so the
         * far end finds out by its own idle timeout, as it would on a real network.
         */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!(direction == Direction.TO_TARGET ? blackholeToTarget : blackholeFromTarget)) {
                other.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Proxy connection error: {}", cause.toString());
            ctx.close();
        }
    }

    private static void requireLoopback(InetSocketAddress a, String what) {
        Objects.requireNonNull(a, what);
        if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the fault proxy only uses loopback addresses; " + what + " is " + a);
        }
    }
}
