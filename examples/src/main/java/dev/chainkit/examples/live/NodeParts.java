package dev.chainkit.examples.live;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.IncarnationFile;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the servers and the clients of a live run have alike: the scenario and its time scale, the store (SQLite,
 * or the shared PostgreSQL database of several servers), the
 * incarnation, the node's own event loop (whose scheduler the application gets before the node listens or dials,
 * so that no envelope arrives before the protocol's responders are registered), the network node's common
 * settings, and the chain listener that tells the {@link NodeObserver} until the node crashes.
 *
 * <p>Thread safety: {@link #close} and {@link #mute} from any thread; the rest is set up once.
 */
final class NodeParts {

    /** The events a live run's report counts (see {@link dev.chainkit.examples.cluster.ChainAudit}). */
    private static final Set<ChainEventType> TOLD = EnumSet.of(ChainEventType.STARTED, ChainEventType.SENT,
            ChainEventType.RETRANSMITTED, ChainEventType.DUPLICATE_ANSWERED, ChainEventType.HANDLED,
            ChainEventType.COMPLETED, ChainEventType.FAILED, ChainEventType.SUPERSEDED, ChainEventType.TIMED_OUT);

    final NodeSpec spec;
    final Scenario scenario;
    final TimeScale scale;
    final OplogDatabase db;
    final long incarnation;
    final EventLoopGroup group;
    final Scheduler scheduler;
    private final NodeObserver observer;
    private volatile boolean muted;

    /**
     * Reads the scenario, opens the store, takes the next incarnation and makes the node's event loop.
     *
     * @throws RuntimeException if the store or the incarnation file cannot be opened
     */
    NodeParts(NodeSpec spec, NodeObserver observer) {
        this.spec = spec;
        this.scenario = spec.scenario();
        this.scale = spec.scale();
        this.observer = observer;
        this.db = spec.database() != null ? OplogDatabase.postgres(spec.database().url(), spec.database().user(), null)
                : OplogDatabase.sqlite(spec.store());
        try {
            this.incarnation = IncarnationFile.at(spec.incarnationFile()).next();
            observer.onIncarnation(incarnation);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e instanceof IOException io ? new UncheckedIOException("node " + spec.node()
                    + " cannot keep its incarnation in " + spec.incarnationFile(), io) : (RuntimeException) e;
        }
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chainkit-" + spec.node(), false),
                NioIoHandler.newFactory());
        EventLoop loop = group.next();
        this.scheduler = (delayNs, task) -> {
            if (delayNs < 0) {
                throw new IllegalArgumentException("delayNs must be 0 or more, got " + delayNs);
            }
            ScheduledFuture<?> f = loop.schedule(task, delayNs, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }

    /** A network node of this node's name and incarnation, on its own loop, with the run's settings. */
    NettyNode.Builder node() {
        return NettyNode.builder(NodeId.of(spec.node()), incarnation)
                .secrets(NodeSecrets.load(spec.secrets()))
                .codecs(OplogCodecs.registry(TournamentCluster.domain()))
                .eventLoopGroup(group)
                .settings(scale.transport())
                .nodeSettings(NodeSettings.defaults().withRetryPolicy(scale.retryPolicy(scenario)))
                .chainListener(listener());
    }

    private ChainListener listener() {
        return (ChainEvent event) -> {
            if (!muted && TOLD.contains(event.type())) {
                observer.onEvent(event);
            }
        };
    }

    /** The observer, silent once muted. */
    NodeObserver observer() {
        return muted ? NodeObserver.NONE : observer;
    }

    /** From now on the observer hears nothing of this node: a crashed node tells nobody. */
    void mute() {
        muted = true;
    }

    /** Closes the network node (if started), stops the loop and closes the store. */
    void close(NettyNode node, Runnable beforeStore) {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            try {
                beforeStore.run();
            } finally {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
                db.close();
            }
        }
    }
}
