package dev.chainkit.examples.explore;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.examples.cluster.ClusterStores;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.explore.ExploreModel;
import dev.chainkit.sim.explore.Explorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The op-log sync of a tournament as an explorer model: a server {@code hq} and judges {@code c1..cK}, each judge
 * registering its own players (op {@code cIoJ} registers player {@code cIpJ}), on the {@link TournamentCluster} that
 * {@code chainsim run} plays scenarios on. What {@code chainsim explore} checks.
 *
 * <p>Checks: in every state, the cluster's safety invariants (no op twice in a log, the server's log only grows,
 * every state the replay of its log, no client ahead of the server) and the engine's "no step handled twice"
 * ({@link ChainAudit}); in every terminal state, convergence (every log identical, nothing pending) and that every
 * op a judge made is in the server's log exactly once (nothing acknowledged is lost).
 *
 * <p>Thread safety: one world per instance ({@link #fresh()}); used on the explorer's thread.
 */
public final class OplogExploreModel implements ExploreModel<Object, OplogExploreModel.Op> {

    /** The server's name. */
    public static final String SERVER = "hq";

    /**
     * One op a judge makes.
     *
     * @param node the judge
     * @param label the op's label and id, {@code c1o1}
     * @param op what it does
     */
    public record Op(String node, String label, TournamentOp op) {
    }

    private final int clients;
    private final int ops;
    private ChainAudit audit;
    private TournamentCluster cluster;

    /**
     * @param clients how many judges, 1 or more
     * @param ops how many ops each judge makes, 0 or more
     * @throws IllegalArgumentException if a count is out of range
     */
    public OplogExploreModel(int clients, int ops) {
        if (clients < 1 || ops < 0) {
            throw new IllegalArgumentException("need at least 1 client and 0 or more ops each, but got " + clients
                    + " client(s) and " + ops + " op(s)");
        }
        this.clients = clients;
        this.ops = ops;
    }

    /** The judges' specs: {@code c1..cK}, role judge. */
    public List<ClientSpec> clientSpecs() {
        List<ClientSpec> specs = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            specs.add(ClientSpec.judge("c" + i));
        }
        return specs;
    }

    @Override
    public OplogExploreModel fresh() {
        return new OplogExploreModel(clients, ops);
    }

    @Override
    public ChainListener listener() {
        audit = new ChainAudit();
        return audit;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<SimNode<Object>> start(Simulation sim) {
        audit.attach(sim);
        cluster = new TournamentCluster(sim, ServerSpec.organizer(SERVER), clientSpecs());
        List<SimNode<Object>> nodes = new ArrayList<>();
        sim.nodes().forEach(n -> nodes.add((SimNode<Object>) n));
        return nodes;
    }

    @Override
    public NodeSettings settings() {
        return Explorer.DEFAULT_SETTINGS;
    }

    @Override
    public List<Op> workload() {
        List<Op> work = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            for (int j = 1; j <= ops; j++) {
                work.add(new Op("c" + i, "c" + i + "o" + j, new TournamentOp.Register("c" + i + "p" + j)));
            }
        }
        return work;
    }

    @Override
    public String actor(Op work) {
        return work.node();
    }

    @Override
    public String describe(Op work) {
        return work.label() + " = " + work.op().text();
    }

    @Override
    public void apply(Cluster<Object> c, Op work) {
        TournamentCluster.Submission s = cluster.submit(work.node(), work.label(), work.op());
        s.rejected().ifPresent(reason -> {
            throw new IllegalStateException("op " + work.label() + " was refused on the spot: " + reason);
        });
    }

    @Override
    public Optional<String> invariant(Cluster<Object> c) {
        String broken = audit.violation();
        return broken != null ? Optional.of(broken) : cluster.invariantViolation();
    }

    @Override
    public Optional<String> terminal(Cluster<Object> c) {
        Optional<String> diverged = cluster.divergence();
        if (diverged.isPresent()) {
            return Optional.of("not converged: " + diverged.get());
        }
        OpLog<TournamentOp> log = cluster.log(SERVER);
        for (TournamentCluster.Submission s : cluster.submissions()) {
            OpId id = s.id().orElseThrow();
            long copies = log.ops().count(op -> op.id().equals(id));
            if (copies != 1) {
                return Optional.of("op " + s.label() + " made by " + s.node() + " is " + copies
                        + " time(s) in the server's log " + cluster.labels(SERVER));
            }
        }
        return Optional.empty();
    }

    @Override
    public void digest(SimNode<Object> node, StateSink sink) {
        Object store = node.durable().find(ClusterStores.KEY).orElse(null);
        if (store instanceof ClientStore<?> cs) {
            sink.putString("client store");
            putOps(sink, cs.log());
            // not the store's op counter: reading it takes a number (it is one more than the ops this node made, which
            // the explorer writes as its workload progress)
            sink.putString(cs.syncedTip() == null ? null : cs.syncedTip().value());
        } else if (store instanceof ServerStore<?> ss) {
            sink.putString("server store");
            Optional<? extends StoredLog<?>> stored = ss.load(TournamentCluster.LOG_ID);
            sink.putBoolean(stored.isPresent());
            stored.ifPresent(l -> {
                putOps(sink, l.log());
                sink.putString(new TreeMap<>(name(l.cursors().toJavaMap())).toString());
                sink.putString(new TreeMap<>(name(l.members().toJavaMap())).toString());
            });
        } else {
            sink.putString("no store");
        }
        Object app = node.app();
        sink.putValue(app instanceof StateDigestible ? app : null);
    }

    private static Map<String, Object> name(Map<? extends dev.chainkit.core.NodeId, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static void putOps(StateSink sink, OpLog<?> log) {
        sink.putInt(log.size());
        for (Operation<?> op : log.ops()) {
            sink.putString(op.id().value()).putString(op.author().toString()).putLong(op.createdAtMs())
                    .putString(String.valueOf(op.payload()));
        }
    }

    @Override
    public CodecRegistry codecs() {
        return OplogCodecs.registry(TournamentCluster.domain());
    }

    /** The cluster of the current world (after {@link #start}). */
    public TournamentCluster cluster() {
        return cluster;
    }
}
