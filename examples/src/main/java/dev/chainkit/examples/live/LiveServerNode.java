package dev.chainkit.examples.live;

import dev.chainkit.core.time.NanoClock;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.transport.netty.NettyNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server of the scenario on the network: an {@link OplogServer} hosting the tournament on a SQLite store, or with
 * several servers on their shared PostgreSQL database (where the runner created the log, and whose notifications
 * tell each server of the others' commits), as {@code chainsim serve} runs one (its store calls on a store thread,
 * each answer sent once its ops are durable), with the scenario's member registry and the same genesis op as the
 * simulator's cluster.
 *
 * <p>Thread safety: see {@link LiveNode}.
 */
final class LiveServerNode implements LiveNode {

    private final NodeParts parts;
    private final ExecutorService storeThread;
    private final NettyNode node;
    private final OplogServer<TournamentState, TournamentOp> server;
    private final HostedLog<TournamentState, TournamentOp> hosted;

    private LiveServerNode(NodeParts parts, ExecutorService storeThread, NettyNode node,
            OplogServer<TournamentState, TournamentOp> server, HostedLog<TournamentState, TournamentOp> hosted) {
        this.parts = parts;
        this.storeThread = storeThread;
        this.node = node;
        this.server = server;
        this.hosted = hosted;
    }

    /** Opens the store and hosts the log, then listens. See {@link LiveNode#start}. */
    static LiveServerNode start(NodeSpec spec, NodeObserver observer) {
        NodeParts parts = new NodeParts(spec, observer);
        ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, spec.node() + "-store"));
        NettyNode node = null;
        AtomicReference<OplogServer<TournamentState, TournamentOp>> server = new AtomicReference<>();
        try {
            if (parts.scenario.servers().stream().noneMatch(s -> s.name().equals(spec.node()))) {
                throw new IllegalArgumentException("scenario " + parts.scenario.name() + " has no server "
                        + spec.node());
            }
            ServerStore<TournamentOp> store = parts.db.serverStore(TournamentCluster.domain());
            StoredLog<TournamentOp> stored = store.loadOrCreate(TournamentCluster.LOG_ID,
                    TournamentCluster.genesis(parts.scenario.server().name()),
                    TournamentCluster.members(parts.scenario.servers(), parts.scenario.clients()));
            AtomicReference<HostedLog<TournamentState, TournamentOp>> hosted = new AtomicReference<>();
            node = parts.node()
                    .listen(NodeSpec.at(spec.listenPort()))
                    .onStart(n -> {
                        server.set(OplogServer.builder(n, TournamentCluster.domain(), store)
                                .scheduler(parts.scheduler).clock(NanoClock.system())
                                .execution(StoreExecution.offloaded(storeThread,
                                        task -> parts.group.next().execute(task)))
                                .build());
                        hosted.set(server.get().host(stored));
                    })
                    .start();
            return new LiveServerNode(parts, storeThread, node, server.get(), hosted.get());
        } catch (RuntimeException e) {
            if (server.get() != null) {
                server.get().close();
            }
            parts.close(node, () -> stopStore(storeThread));
            throw e;
        }
    }

    @Override
    public long incarnation() {
        return parts.incarnation;
    }

    @Override
    public int port() {
        return node.localAddress().getPort();
    }

    @Override
    public List<OpResult> submit(List<OpRequest> ops) {
        return node.call(n -> ops.stream().map(r -> r.makeWith(hosted::submit)).toList()).join();
    }

    @Override
    public Status status() {
        return node.call(n -> {
            List<String> busy = new ArrayList<>();
            if (!hosted.isIdle()) {
                busy.add("a commit or a forward under way");
            }
            if (n.hasInitiatorChains()) {
                busy.add(n.stats().initiatorChains() + " chain(s) in flight");
            }
            return new Status(busy.isEmpty(), String.join(", ", busy), true);
        }).join();
    }

    @Override
    public Snapshot snapshot() {
        return node.call(n -> {
            TournamentState replayed = TournamentCluster.domain().replay(hosted.log());
            return Snapshot.of(hosted.log(), 0, replayed.equals(hosted.state()) ? null
                    : "its state is not the replay of its log");
        }).join();
    }

    @Override
    public void crash() {
        parts.mute();
        server.close(); // a crashed server hears no more of the store
        parts.close(node, () -> {
            storeThread.shutdownNow();
            awaitStore(storeThread);
        });
    }

    @Override
    public void close() {
        server.close(); // no more hints from the store
        parts.close(node, () -> stopStore(storeThread));
    }

    /** Lets the store thread finish the commit under way, then stops it. */
    private static void stopStore(ExecutorService storeThread) {
        storeThread.shutdown();
        awaitStore(storeThread);
    }

    private static void awaitStore(ExecutorService storeThread) {
        try {
            if (!storeThread.awaitTermination(10, TimeUnit.SECONDS)) {
                storeThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
