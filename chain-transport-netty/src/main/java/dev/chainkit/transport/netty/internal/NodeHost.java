package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.UnknownTagException;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.DropReason;
import dev.chainkit.transport.netty.LinkInfo;
import dev.chainkit.transport.netty.NodeSecrets;
import dev.chainkit.transport.netty.TransportListener;
import dev.chainkit.transport.netty.TransportSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node on its event loop: its {@link ChainNode}, its links, its dialers and its listening socket; the
 * {@link Transport} the node sends through. Not API ({@link dev.chainkit.transport.netty.NettyNode} is).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One thread.</b> The node, every one of its channels (accepted and dialed), its timers and its dialers
 *   live on one event loop, so an inbound envelope goes from the socket to {@link ChainNode#onEnvelope} with no
 *   hand-off and no lock, and a reply is written in the same call.</li>
 *   <li><b>Writes are batched, never blocking.</b> {@link #send} encodes into a reused buffer and appends the frame
 *   to the link's batch, one pooled buffer that collects the link's frames (up to 16 KiB); one task per loop turn
 *   hands each marked link's batch to its channel and flushes it, so the replies to a whole read batch leave in one
 *   buffer and one system call per link. A buffer per frame cost an allocation, an outbound-buffer entry and a
 *   gathered I/O vector for every 41-byte envelope (P6 in docs/BENCHMARKS.md). Over WebSocket each frame is still
 *   written alone: the wire format makes every frame one binary message there.</li>
 *   <li><b>Bounded outboxes.</b> A link above its high-water mark takes no more envelopes (dropped, counted, left to
 *   the engine's retransmission) and pauses reading from its peer until it drains, so a slow or hostile reader
 *   costs the sender at most the mark (plus one frame) of memory. A batch goes to the channel as soon as it would
 *   take the channel past the mark, so the batch changes neither the bound nor the moment reading pauses.</li>
 *   <li><b>A node can only speak as itself.</b> Every inbound envelope must name the link's authenticated peer and
 *   incarnation as its sender and this node as its receiver; anything else is dropped and counted, and never reaches
 *   the node.</li>
 * </ul>
 *
 * <p>Thread safety: confined to {@link #loop}, except the final fields and {@link #counters}.
 */
public final class NodeHost implements Transport {

    private static final Logger log = LoggerFactory.getLogger(NodeHost.class);
    /** The most bytes of frames a link collects before handing them to its channel (TCP links). */
    private static final int BATCH_BYTES = 16 << 10;

    final NodeId id;
    final long incarnation;
    final TransportSettings settings;
    /** Replaced at run time by {@link #replaceSecrets}; a handshake reads it once, when it starts. */
    volatile NodeSecrets secrets;
    final EventLoop loop;
    final Counters counters = new Counters();
    final Links links;
    final Pipelines pipelines;
    private final EventLoopScheduler scheduler;
    final RandomGenerator reconnectRandom;
    private final EnvelopeCodec envelopes;
    private final TransportListener listener;
    private final WireWriter out = new WireWriter(512);
    private final Map<NodeId, Dialer> dialers = new LinkedHashMap<>();
    private final Set<Connection> connections = new HashSet<>();
    private final List<Link> dirty = new ArrayList<>();
    private final Runnable flush = this::flushDirty;
    private final Set<String> missingCodecsLogged = new HashSet<>();
    private volatile Set<NodeId> linkedPeers = Set.of();
    private ChainNode node;
    private Channel server;
    private boolean flushScheduled;
    private boolean closed;

    /**
     * @param reconnectRandom the dialers' jitter source (confined to the loop)
     */
    public NodeHost(NodeId id, long incarnation, TransportSettings settings, NodeSecrets secrets, CodecRegistry codecs,
            EventLoop loop, TransportListener listener, SslContext acceptTls, SslContext dialTls,
            RandomGenerator reconnectRandom) {
        this.id = id;
        this.incarnation = incarnation;
        this.settings = settings;
        this.secrets = secrets;
        this.loop = loop;
        this.listener = listener;
        this.reconnectRandom = reconnectRandom;
        this.envelopes = new EnvelopeCodec(codecs);
        this.links = new Links(id);
        this.pipelines = new Pipelines(this, acceptTls, dialTls);
        this.scheduler = new EventLoopScheduler(loop, NanoClock.system());
    }

    /** Replaces the secrets used by handshakes that start from now on; any thread. */
    public void replaceSecrets(NodeSecrets replacement) {
        this.secrets = java.util.Objects.requireNonNull(replacement, "secrets");
    }

    /** The counters; any thread. */
    public Counters counters() {
        return counters;
    }

    /** The peers with a link up now; any thread. */
    public Set<NodeId> linkedPeers() {
        return linkedPeers;
    }

    /** The scheduler of this node's loop (one per node, on {@link NanoClock#system()}), for its {@link ChainNode}. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * On the loop: builds the node with {@code build} (given this host as its transport), binds the listening
     * socket if {@code listen} is set, and starts the dialers.
     *
     * @return the bind's future, or null when not listening
     */
    public ChannelFuture start(Function<NodeHost, ChainNode> build, InetSocketAddress listen,
            Map<NodeId, InetSocketAddress> peers) {
        node = build.apply(this);
        ChannelFuture bind = null;
        if (listen != null) {
            bind = new ServerBootstrap().group(loop, loop).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            settings.outboxLowBytes(), settings.outboxHighBytes()))
                    .childHandler(pipelines.accepted()).bind(listen);
            server = bind.channel();
        }
        peers.forEach((peer, address) -> dialers.put(peer, new Dialer(this, peer, address)));
        dialers.values().forEach(Dialer::start);
        log.info("Node [{}] (incarnation {}) started{}{}", id, incarnation, listen == null ? "" : ", listening on "
                + listen, peers.isEmpty() ? "" : ", dialing " + peers.keySet());
        return bind;
    }

    /** The node; on the loop. */
    public ChainNode node() {
        return node;
    }

    /** The listening socket's address, or null. Any thread once started. */
    public SocketAddress localAddress() {
        return server == null ? null : server.localAddress();
    }

    // ------------------------------------------------------------------ outbound

    @Override
    public void send(Envelope e) {
        if (closed) {
            return;
        }
        Link link = links.get(e.receiver());
        if (link == null) {
            counters.dropped(DropReason.NO_LINK);
            return;
        }
        Channel ch = link.channel;
        if (!ch.isWritable()) {
            counters.dropped(DropReason.OUTBOX_FULL);
            return;
        }
        out.reset();
        try {
            if (!envelopes.encode(e, out)) {
                counters.dropped(DropReason.NO_CODEC);
                if (missingCodecsLogged.add(e.protocol())) {
                    log.error("Node [{}] has no codec for protocol [{}]: its envelopes are dropped", id, e.protocol());
                }
                return;
            }
        } catch (RuntimeException ex) {
            counters.dropped(DropReason.ENCODE_FAILED);
            log.error("Node [{}] cannot encode [{}]", id, e, ex);
            return;
        }
        if (out.size() + 2 > settings.maxFrameBytes()) {
            counters.dropped(DropReason.TOO_LARGE);
            log.warn("Node [{}] drops [{}]: {} bytes exceed the frame limit of {}", id, e, out.size() + 2,
                    settings.maxFrameBytes());
            return;
        }
        if (link.connection.webSocket) {
            ch.write(Frames.frame(ch.alloc(), link.connection.version, Frames.ENVELOPE, out.array(), out.size()),
                    ch.voidPromise());
        } else {
            append(link, ch);
        }
        counters.add(Counters.SENT, 1);
        if (!link.dirty) {
            link.dirty = true;
            dirty.add(link);
            if (!flushScheduled) {
                flushScheduled = true;
                loop.execute(flush);
            }
        }
    }

    /**
     * Appends the frame of the envelope in {@link #out} to the link's batch, and hands the batch to the channel once
     * it holds {@link #BATCH_BYTES} or as much as the outbox takes before its high-water mark, whichever is less: so
     * the outbox crosses its mark, turns unwritable and pauses reading exactly where single frames made it.
     */
    private void append(Link link, Channel ch) {
        int frameBytes = Frames.HEADER_BYTES + out.size();
        ByteBuf batch = link.batch;
        if (batch != null && batch.writableBytes() < frameBytes) {
            link.handOver();
            batch = null;
        }
        if (batch == null) {
            batch = ch.alloc().ioBuffer(Math.max(BATCH_BYTES, frameBytes));
            link.batch = batch;
        }
        Frames.write(batch, link.connection.version, Frames.ENVELOPE, out.array(), out.size());
        if (batch.readableBytes() >= Math.min(BATCH_BYTES, ch.bytesBeforeUnwritable())) {
            link.handOver();
        }
    }

    private void flushDirty() {
        flushScheduled = false;
        long now = System.nanoTime();
        for (int i = 0; i < dirty.size(); i++) {
            Link l = dirty.get(i);
            l.dirty = false;
            l.handOver();
            l.channel.flush();
            l.watch.wrote(now);
        }
        dirty.clear();
    }

    // ------------------------------------------------------------------ inbound

    void onEnvelopeFrame(Link link, ByteBuf frame) {
        int n = frame.readableBytes() - 2;
        if (link.scratch.length < n) {
            link.scratch = new byte[Math.max(n, Math.min(2 * link.scratch.length, settings.maxFrameBytes()))];
        }
        frame.getBytes(frame.readerIndex() + 2, link.scratch, 0, n);
        Envelope e;
        try {
            e = envelopes.decode(new WireReader(link.scratch, 0, n), link.names);
        } catch (EnvelopeCodec.UnknownProtocolException ex) {
            counters.dropped(DropReason.UNKNOWN_PROTOCOL);
            log.debug("Node [{}] drops an envelope from [{}]: {}", id, link.peer, ex.detail());
            return;
        } catch (UnknownTagException ex) {
            link.connection.close(CloseReason.UNKNOWN_TAG, "ENVELOPE " + ex.getMessage());
            return;
        } catch (WireFormatException ex) {
            link.connection.close(CloseReason.MALFORMED_FRAME, "ENVELOPE " + ex.getMessage());
            return;
        }
        if (!e.sender().equals(link.peer) || e.senderIncarnation() != link.incarnation) {
            counters.dropped(DropReason.SPOOFED_SENDER);
            if (link.warnOnce(DropReason.SPOOFED_SENDER)) {
                log.warn("Node [{}] drops [{}] on the link of [{}#{}]: sender [{}#{}] is not the authenticated peer"
                        + " (later drops on this link are counted, logged at debug)", id, e, link.peer,
                        link.incarnation, e.sender(), e.senderIncarnation());
            } else {
                log.debug("Node [{}] drops [{}] on the link of [{}#{}]: spoofed sender", id, e, link.peer,
                        link.incarnation);
            }
            return;
        }
        if (!e.receiver().equals(id)) {
            counters.dropped(DropReason.WRONG_RECEIVER);
            if (link.warnOnce(DropReason.WRONG_RECEIVER)) {
                log.warn("Node [{}] drops [{}] from [{}]: addressed to [{}] (later drops on this link are counted,"
                        + " logged at debug)", id, e, link.peer, e.receiver());
            } else {
                log.debug("Node [{}] drops [{}] from [{}]: wrong receiver", id, e, link.peer);
            }
            return;
        }
        counters.add(Counters.RECEIVED, 1);
        node.onEnvelope(e);
    }

    void readPaused() {
        counters.add(Counters.READ_PAUSES, 1);
    }

    // ------------------------------------------------------------------ connections and links

    Connection newConnection(Channel ch, boolean dialed, NodeId expectedPeer) {
        Connection c = new Connection(this, ch, dialed, expectedPeer);
        if (closed) {
            ch.close();
            return c;
        }
        connections.add(c);
        c.startDeadline(settings.handshakeTimeoutNs());
        return c;
    }

    /** A handshake verified {@code peer} at {@code incarnation} on {@code c}: admit the link, or refuse it. */
    void authenticated(Connection c, NodeId peer, long peerIncarnation) {
        Links.Decision d = links.decide(peer, peerIncarnation, c.dialed);
        switch (d) {
            case REFUSE_STALE -> {
                c.close(CloseReason.STALE_INCARNATION, "incarnation " + peerIncarnation + " of '" + peer
                        + "' is older than " + links.highest(peer));
                return;
            }
            case REFUSE_DUPLICATE -> {
                c.close(CloseReason.DUPLICATE_LINK, "both nodes dialed; the link dialed by the other is kept");
                return;
            }
            case REPLACE, REPLACE_DUPLICATE -> {
                Link old = links.get(peer);
                links.remove(old);
                old.connection.close(d == Links.Decision.REPLACE ? CloseReason.REPLACED : CloseReason.DUPLICATE_LINK,
                        "replaced by a newer link of '" + peer + "' (incarnation " + peerIncarnation + ")");
            }
            case ADMIT -> { }
        }
        if (!c.dialed) {
            c.channel.writeAndFlush(Frames.empty(c.channel.alloc(), c.version, Frames.WELCOME));
        }
        Link link = new Link(c, id, peer, peerIncarnation, settings.heartbeatIntervalNs(), settings.idleTimeoutNs());
        c.link = link;
        c.cancelDeadline();
        links.put(link);
        pipelines.linkUp(link);
        counters.add(Counters.LINKS_ESTABLISHED, 1);
        linksChanged();
        log.info("Node [{}] linked to [{}] (incarnation {}), {}", id, peer, peerIncarnation,
                c.dialed ? "dialed to " + c.channel.remoteAddress() : "accepted from " + c.channel.remoteAddress());
        Dialer dialer = dialers.get(peer);
        if (dialer != null) {
            dialer.linkUp();
        }
        tell(() -> listener.linkUp(peer, peerIncarnation, c.dialed));
        node.peerReachable(peer);
    }

    /** A connection ended (any phase). */
    void connectionClosed(Connection c, CloseReason reason, boolean byPeer) {
        connections.remove(c);
        Link link = c.link;
        if (link == null) {
            tell(() -> listener.refused(c.channel.remoteAddress(), reason, byPeer));
            return;
        }
        link.closed();
        if (links.remove(link)) {
            linksChanged();
            log.info("Node [{}] lost its link to [{}]: [{}]", id, link.peer, reason);
            if (!link.dialed && dialers.containsKey(link.peer)) {
                dialers.get(link.peer).wake();
            }
        }
        tell(() -> listener.linkDown(link.peer, reason));
    }

    void connectFailed(NodeId peer, InetSocketAddress address, Throwable cause) {
        counters.add(Counters.CONNECT_FAILURES, 1);
        log.debug("Node [{}] could not connect to [{}] at [{}]: {}", id, peer, address, String.valueOf(cause));
    }

    /** The links as they are now; on the loop. */
    public List<LinkInfo> linkInfo() {
        List<LinkInfo> infos = new ArrayList<>();
        for (Link l : links.all()) {
            infos.add(new LinkInfo(l.peer, l.incarnation, l.dialed, l.channel.remoteAddress(), l.outboxBytes(),
                    l.channel.isWritable()));
        }
        return infos;
    }

    private void linksChanged() {
        counters.set(Counters.LINKS, links.size());
        linkedPeers = Set.copyOf(links.all().stream().map(l -> l.peer).toList());
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("A transport listener of node [{}] threw", id, e);
        }
    }

    /**
     * On the loop: closes the node (failing its open chains), every connection (telling each peer NODE_CLOSED),
     * the listening socket and the dialers. Idempotent.
     *
     * @return the close futures of every channel, to wait on
     */
    public List<ChannelFuture> close() {
        List<ChannelFuture> closing = new ArrayList<>();
        if (closed) {
            return closing;
        }
        closed = true;
        dialers.values().forEach(Dialer::stop);
        if (node != null) {
            node.close();
        }
        for (Connection c : new ArrayList<>(connections)) {
            c.close(CloseReason.NODE_CLOSED, "node " + id + " is shutting down");
            closing.add(c.channel.closeFuture());
        }
        if (server != null) {
            closing.add(server.close());
        }
        log.info("Node [{}] (incarnation {}) closed", id, incarnation);
        return closing;
    }
}
