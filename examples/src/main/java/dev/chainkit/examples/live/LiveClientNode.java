package dev.chainkit.examples.live;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.transport.netty.NettyNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client of the scenario on the network: an {@link OplogClient} on a SQLite store that dials its servers, in its
 * order of preference (each through its link's fault proxy), whose user answers conflicts as the scenario's
 * {@code decide=} and {@code think=} say. Every few milliseconds it tells the observer what changed in its user's op
 * records, so that what an op became outlives a crash of its author.
 *
 * <p>Thread safety: see {@link LiveNode}.
 */
final class LiveClientNode implements LiveNode {

    /** How often the records are compared with what was told, in nanoseconds. */
    private static final long WATCH_NS = 10_000_000;

    private final NodeParts parts;
    private final NettyNode node;
    private final List<NodeId> servers;
    private final OplogClient<TournamentState, TournamentOp> client;
    private final Map<OpId, OpRecord> told = new HashMap<>();

    private LiveClientNode(NodeParts parts, NettyNode node, List<NodeId> servers,
            OplogClient<TournamentState, TournamentOp> client) {
        this.parts = parts;
        this.node = node;
        this.servers = servers;
        this.client = client;
    }

    /** Opens the store, builds the client and dials its servers. See {@link LiveNode#start}. */
    static LiveClientNode start(NodeSpec spec, NodeObserver observer) {
        NodeParts parts = new NodeParts(spec, observer);
        NettyNode node = null;
        try {
            ClientSpec me = NodeSpec.client(parts.scenario, spec.node());
            List<NodeId> servers = spec.servers().keySet().stream().map(NodeId::of).toList();
            ClientStore<TournamentOp> store = parts.db.clientStore(TournamentCluster.LOG_ID,
                    TournamentCluster.domain(), TournamentCluster.genesis(parts.scenario.server().name()));
            AtomicReference<OplogClient<TournamentState, TournamentOp>> client = new AtomicReference<>();
            NettyNode.Builder b = parts.node();
            spec.servers().forEach((name, port) -> b.peer(NodeId.of(name), NodeSpec.at(port)));
            node = b.onStart(n -> client.set(OplogClient.builder(n, TournamentCluster.domain(),
                            TournamentCluster.LOG_ID, new Author(me.name(), me.role()), store)
                            .scheduler(parts.scheduler).clock(NanoClock.system()).servers(servers)
                            .policy(TournamentCluster.decisions(me, parts.scale.real(me.think()))).build()))
                    .start();
            LiveClientNode c = new LiveClientNode(parts, node, servers, client.get());
            node.execute(n -> c.watch());
            return c;
        } catch (RuntimeException e) {
            parts.close(node, () -> { });
            throw e;
        }
    }

    /** Tells the observer every record that changed since it last looked; again in {@link #WATCH_NS}. */
    private void watch() {
        NodeObserver observer = parts.observer();
        for (OpRecord r : client.opRecords().values()) {
            if (!r.equals(told.get(r.id()))) {
                told.put(r.id(), r);
                observer.onRecord(r);
            }
        }
        parts.scheduler.schedule(WATCH_NS, this::watch);
    }

    @Override
    public long incarnation() {
        return parts.incarnation;
    }

    @Override
    public int port() {
        return 0;
    }

    @Override
    public List<OpResult> submit(List<OpRequest> ops) {
        return node.call(n -> {
            List<OpResult> results = ops.stream().map(r -> r.makeWith(client::submit)).toList();
            watch();
            return results;
        }).join();
    }

    @Override
    public Status status() {
        boolean linked = node.linkedPeers().containsAll(servers);
        return node.call(n -> {
            List<String> busy = new ArrayList<>();
            int pending = client.pendingOps().size();
            if (pending > 0) {
                busy.add(pending + " pending op(s)");
            }
            if (client.awaitingDecision()) {
                busy.add("its user is deciding a conflict");
            }
            if (!client.isIdle() && busy.isEmpty()) {
                busy.add("a sync in flight or due");
            }
            if (n.hasInitiatorChains()) {
                busy.add(n.stats().initiatorChains() + " chain(s) in flight");
            }
            return new Status(busy.isEmpty(), String.join(", ", busy), linked);
        }).join();
    }

    @Override
    public Snapshot snapshot() {
        return node.call(n -> {
            TournamentState replayed = TournamentCluster.domain().replay(client.log());
            return Snapshot.of(client.log(), client.pendingOps().size(), replayed.equals(client.state()) ? null
                    : "its state is not the replay of its log");
        }).join();
    }

    @Override
    public void crash() {
        parts.mute();
        parts.close(node, () -> { });
    }

    @Override
    public void close() {
        parts.close(node, () -> { });
    }
}
