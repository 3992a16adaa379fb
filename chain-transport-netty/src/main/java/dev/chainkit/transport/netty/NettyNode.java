package dev.chainkit.transport.netty;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.Responder;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.transport.netty.internal.NodeHost;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A {@link ChainNode} on the network: it listens for peers, dials the peers it is given, authenticates every
 * connection, and carries envelopes over TCP (or WebSocket, on the same port) to the nodes of other processes and
 * machines.
 *
 * <pre>{@code
 * NettyNode server = NettyNode.builder(NodeId.of("server"), System.currentTimeMillis())
 *         .secrets(NodeSecrets.load(Path.of("server.secrets")))
 *         .codec(PING_CODEC)
 *         .register(PING, (chain, m) -> ResponderAction.replyAndTerminate(new Answer("pong")))
 *         .listen(new InetSocketAddress("127.0.0.1", 7070))
 *         .start();
 * }</pre>
 *
 * <h2>Threading</h2>
 * The node runs on one Netty event loop thread: its engine, its timers, every handler and listener call, every
 * outcome completion, and the I/O of all its connections. {@link #execute} and {@link #call} run code there;
 * {@link ChainNode} must only be touched there. {@link dev.chainkit.core.spi.Transport#send} never blocks: it writes
 * to the link's outbox or drops (and counts) the envelope. The loop is the node's own thread unless the builder is
 * given a shared {@link EventLoopGroup}, in which case several nodes may share a thread (each is still confined to
 * one).
 *
 * <p>See the package documentation for the wire format, the handshake and the design notes.
 *
 * <p>Thread safety: {@link #execute}, {@link #call}, {@link #stats}, {@link #linkedPeers}, {@link #localAddress},
 * {@link #replaceSecrets} and {@link #close} may be called from any thread.
 */
public final class NettyNode implements AutoCloseable {

    private static final long START_TIMEOUT_S = 10;
    private static final long CLOSE_TIMEOUT_S = 5;

    private final NodeId id;
    private final NodeHost host;
    private final EventLoop loop;
    private final EventLoopGroup ownedGroup;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean dialsPeers;

    private NettyNode(NodeId id, NodeHost host, EventLoop loop, EventLoopGroup ownedGroup, boolean dialsPeers) {
        this.id = id;
        this.dialsPeers = dialsPeers;
        this.host = host;
        this.loop = loop;
        this.ownedGroup = ownedGroup;
    }

    /**
     * Starts building a node.
     *
     * @param id the node's id (the name its peers know it by, and its line in their secrets files)
     * @param incarnation the node's incarnation, at least 1, different after every restart (a boot timestamp such
     *     as {@code System.currentTimeMillis()}, or a persisted counter); peers refuse a connection from an
     *     incarnation older than one they have seen
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code incarnation} is below 1
     */
    public static Builder builder(NodeId id, long incarnation) {
        return new Builder(id, incarnation);
    }

    /** This node's id. */
    public NodeId id() {
        return id;
    }

    /** The address this node listens on (with the actual port when it was given port 0), or null. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) host.localAddress();
    }

    /**
     * Runs {@code action} with the node on its thread, after what was submitted before.
     *
     * @throws NullPointerException if {@code action} is null
     * @throws java.util.concurrent.RejectedExecutionException if the node's loop has shut down
     */
    public void execute(Consumer<ChainNode> action) {
        Objects.requireNonNull(action, "action");
        loop.execute(() -> action.accept(host.node()));
    }

    /**
     * Runs {@code action} with the node on its thread and hands back its result, say
     * {@code node.call(n -> n.start(PING, server, new Ask("hi"), handler))}.
     *
     * @return completes with the result, or exceptionally with what {@code action} threw
     * @throws NullPointerException if {@code action} is null
     */
    public <T> CompletableFuture<T> call(Function<ChainNode, T> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(action.apply(host.node()));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * The scheduler of the node's thread, for applications bound to the node (a protocol's server or client
     * object takes the node's scheduler); use it on the node's thread.
     */
    public Scheduler scheduler() {
        return host.scheduler();
    }

    /**
     * Replaces the secrets that handshakes check from now on: a node added to the file may connect, a node removed
     * can no longer connect (links already up stay up; applications refuse what such a node may no longer do).
     * Callable from any thread.
     *
     * @throws NullPointerException if {@code secrets} is null
     * @throws IllegalArgumentException if this node dials peers and {@code secrets} lacks its own line
     */
    public void replaceSecrets(NodeSecrets secrets) {
        java.util.Objects.requireNonNull(secrets, "secrets");
        if (!dialsPeers || secrets.contains(id)) {
            host.replaceSecrets(secrets);
            return;
        }
        throw new IllegalArgumentException("node " + id + " dials peers but the new secrets have no line for '"
                + id + "'");
    }

    /** A snapshot of this node's transport counters. */
    public TransportStats stats() {
        return host.counters().snapshot();
    }

    /**
     * The links as they are now, with their outbox sizes. Waits (at most a second) for the node's thread to read
     * them; on the node's thread it reads them directly.
     *
     * @throws IllegalStateException if the node's thread does not answer within a second (closed, or busy)
     */
    public List<LinkInfo> links() {
        if (loop.inEventLoop()) {
            return host.linkInfo();
        }
        try {
            return loop.submit(host::linkInfo).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the links of " + id, e);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("node " + id + " did not report its links: " + e, e);
        }
    }

    /** The peers this node has an authenticated link to right now. */
    public Set<NodeId> linkedPeers() {
        return host.linkedPeers();
    }

    /**
     * Shuts the node down: closes its engine (open chains end with a {@code Failed("node closed")} outcome), tells
     * every peer {@link CloseReason#NODE_CLOSED}, closes every connection and the listening socket, and stops the
     * node's own event loop (a shared group is left running). Waits at most a few seconds. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            List<ChannelFuture> closing = loop.submit(host::close).get(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
            for (ChannelFuture f : closing) {
                f.awaitUninterruptibly(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            // the loop is gone or stuck: shutting the group down below is all that is left
        } finally {
            if (ownedGroup != null) {
                ownedGroup.shutdownGracefully(0, CLOSE_TIMEOUT_S, TimeUnit.SECONDS)
                        .awaitUninterruptibly(CLOSE_TIMEOUT_S + 1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "NettyNode[" + id + ", links=" + linkedPeers() + "]";
    }

    /**
     * Builds and starts a {@link NettyNode}. Not thread-safe.
     */
    public static final class Builder {
        private final NodeId id;
        private final long incarnation;
        private NodeSecrets secrets;
        private CodecRegistry codecs = CodecRegistry.empty();
        private InetSocketAddress listen;
        private final Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
        private final List<Consumer<ChainNode>> setup = new ArrayList<>();
        private final List<String> registered = new ArrayList<>();
        private TransportSettings settings = TransportSettings.defaults();
        private NodeSettings nodeSettings = NodeSettings.defaults();
        private ChainListener chainListener = ChainListener.NONE;
        private TransportListener transportListener = TransportListener.NONE;
        private SslContext acceptTls;
        private SslContext dialTls;
        private EventLoopGroup group;
        private RandomGenerator random;

        private Builder(NodeId id, long incarnation) {
            this.id = Objects.requireNonNull(id, "id");
            if (incarnation < 1) {
                throw new IllegalArgumentException("incarnation must be at least 1, got " + incarnation);
            }
            this.incarnation = incarnation;
        }

        /**
         * The secrets that prove identities (see {@link NodeSecrets} for who needs which): required.
         *
         * @throws NullPointerException if {@code secrets} is null
         */
        public Builder secrets(NodeSecrets secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /**
         * Adds the codec of one protocol this node speaks.
         *
         * @throws IllegalArgumentException if a codec for that protocol was added already
         */
        public Builder codec(ProtocolCodec<?> codec) {
            this.codecs = codecs.with(codec);
            return this;
        }

        /**
         * Adds the codecs of several protocols.
         *
         * @throws IllegalArgumentException if one of their protocols has a codec already
         */
        public Builder codecs(CodecRegistry registry) {
            this.codecs = codecs.with(registry);
            return this;
        }

        /**
         * Answers chains of {@code protocol} with {@code responder}; registered on the node's thread before it
         * listens or dials, so no early envelope finds it missing.
         *
         * @throws NullPointerException if an argument is null
         */
        public <M> Builder register(Protocol<M> protocol, Responder<M> responder) {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(responder, "responder");
            registered.add(protocol.name());
            setup.add(node -> node.register(protocol, responder));
            return this;
        }

        /**
         * Runs {@code action} on the node's thread once it is built, before it listens or dials (register
         * responders, start an application bound to it).
         *
         * @throws NullPointerException if {@code action} is null
         */
        public Builder onStart(Consumer<ChainNode> action) {
            setup.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * Listens for peers (TCP, and WebSocket at the settings' path) on {@code address}; port 0 picks a free one.
         *
         * @throws NullPointerException if {@code address} is null
         */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Keeps a link to {@code peer} at {@code address}: dials it at start and again whenever the link is lost.
         * The node must have its own secret.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code peer} is this node or was added already
         */
        public Builder peer(NodeId peer, InetSocketAddress address) {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(address, "address");
            if (peer.equals(id)) {
                throw new IllegalArgumentException("node " + id + " cannot dial itself");
            }
            if (peers.putIfAbsent(peer, address) != null) {
                throw new IllegalArgumentException("peer " + peer + " was added already (at " + peers.get(peer) + ")");
            }
            return this;
        }

        /** Link behaviour. @throws NullPointerException if null */
        public Builder settings(TransportSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The engine's settings. @throws NullPointerException if null */
        public Builder nodeSettings(NodeSettings settings) {
            this.nodeSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Receives every chain event, on the node's thread. @throws NullPointerException if null */
        public Builder chainListener(ChainListener listener) {
            this.chainListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Hears links come and go, on the node's thread. @throws NullPointerException if null */
        public Builder transportListener(TransportListener listener) {
            this.transportListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * TLS for accepted connections (a server context, {@code SslContextBuilder.forServer(...)}): every accepted
         * connection must then speak TLS, WebSocket included.
         *
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if it is a client context
         */
        public Builder acceptTls(SslContext context) {
            if (!Objects.requireNonNull(context, "context").isServer()) {
                throw new IllegalArgumentException("acceptTls needs a server SslContext (SslContextBuilder.forServer)");
            }
            this.acceptTls = context;
            return this;
        }

        /**
         * TLS for dialed connections (a client context, {@code SslContextBuilder.forClient()}, trusting the peers'
         * certificates; the peer's address is checked against its certificate).
         *
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if it is a server context
         */
        public Builder dialTls(SslContext context) {
            if (!Objects.requireNonNull(context, "context").isClient()) {
                throw new IllegalArgumentException("dialTls needs a client SslContext (SslContextBuilder.forClient)");
            }
            this.dialTls = context;
            return this;
        }

        /**
         * Runs the node on one loop of {@code group} (shared with other nodes, not shut down by {@link #close})
         * instead of a thread of its own.
         *
         * @throws NullPointerException if null
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * The random source of the engine's retransmission jitter and of the reconnect jitter (seed it to replay);
         * by default a generator seeded from the node's id and incarnation for the engine and from the clock for
         * reconnects. Used on the node's thread only.
         *
         * @throws NullPointerException if null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the node on its thread, binds the listening socket (if any) and starts dialing. Returns once it
         * listens; links come up in the background (an envelope sent before is dropped and retransmitted by the
         * engine, and a link that comes up resends what waits for that peer at once).
         *
         * @throws IllegalStateException if no secrets were given, the node dials but has no secret of its own, a
         *     registered protocol has no codec, the node neither listens nor dials, or the address cannot be bound
         */
        public NettyNode start() {
            if (secrets == null) {
                throw new IllegalStateException("node " + id + " needs secrets (NodeSecrets.load(file))");
            }
            if (!peers.isEmpty() && !secrets.contains(id)) {
                throw new IllegalStateException("node " + id + " dials " + peers.keySet()
                        + " but its secrets have no line for '" + id + "'");
            }
            for (String protocol : registered) {
                if (codecs.find(protocol).isEmpty()) {
                    throw new IllegalStateException("node " + id + " answers protocol '" + protocol
                            + "' but has no codec for it (Builder.codec)");
                }
            }
            if (listen == null && peers.isEmpty()) {
                throw new IllegalStateException("node " + id + " neither listens nor dials a peer");
            }
            EventLoopGroup owned = group == null ? new MultiThreadIoEventLoopGroup(1,
                    new DefaultThreadFactory("chainkit-" + id.name(), false), NioIoHandler.newFactory()) : null;
            EventLoop loop = (owned != null ? owned : group).next();
            RandomGenerator reconnectRandom = random != null ? random : new SplittableRandom();
            NodeHost host = new NodeHost(id, incarnation, settings, secrets, codecs, loop, transportListener, acceptTls,
                    dialTls, reconnectRandom);
            NettyNode node = new NettyNode(id, host, loop, owned, !peers.isEmpty());
            try {
                ChannelFuture bind = loop.submit(() -> host.start(h -> {
                    ChainNode.Builder b = ChainNode.builder(id, incarnation).settings(nodeSettings).transport(h)
                            .clock(NanoClock.system()).scheduler(h.scheduler()).listener(chainListener);
                    if (random != null) {
                        b.random(random);
                    }
                    ChainNode n = b.build();
                    setup.forEach(s -> s.accept(n));
                    return n;
                }, listen, Map.copyOf(peers))).get(START_TIMEOUT_S, TimeUnit.SECONDS);
                if (bind != null && !bind.awaitUninterruptibly(START_TIMEOUT_S, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("node " + id + " could not listen on " + listen + " within "
                            + START_TIMEOUT_S + " s");
                }
                if (bind != null && !bind.isSuccess()) {
                    throw new IllegalStateException("node " + id + " cannot listen on " + listen + ": "
                            + bind.cause().getMessage(), bind.cause());
                }
                return node;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.close();
                throw new IllegalStateException("interrupted while starting node " + id, e);
            } catch (ExecutionException | TimeoutException e) {
                node.close();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IllegalStateException("node " + id + " failed to start: " + cause, cause);
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        }
    }
}
