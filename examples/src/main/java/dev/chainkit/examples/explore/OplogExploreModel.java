package dev.chainkit.examples.explore;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.examples.cluster.ClusterStores;
import dev.chainkit.examples.cluster.HistoryAudit;
import dev.chainkit.examples.cluster.SyncAudit;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.OpFate;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The op-log sync of a tournament as an explorer model: one server and its clients, each making its ops in order,
 * on the {@link TournamentCluster} that {@code chainsim run} plays scenarios on. What {@code chainsim explore}
 * checks: by default ({@link #OplogExploreModel(int, int)}) a server {@code hq} and judges {@code c1..cK}, each
 * registering its own players (op {@code cIoJ} registers player {@code cIpJ}); any cluster and workload of a
 * scenario file through {@link #OplogExploreModel(ServerSpec, List, List)} (a violation file replayed by
 * {@code chainsim run}, a test that needs conflicting ops).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>What is checked: what the property runner checks.</b> In every state: the cluster's safety invariants
 *   ({@link TournamentCluster#invariantViolation()}: no op twice in a log, the server's log only grows, every state
 *   the replay of its log, no client ahead of the server); a client's promises over its whole life
 *   ({@link HistoryAudit}: its synced history never shrinks, what it told its user about an op never changes); the
 *   engine's "no handler sees a step twice" ({@link ChainAudit}); and the termination promises of {@link SyncAudit}, the audit of {@code
 *   TournamentSyncCheck}: no step beyond the protocol's declared maximum, no more conflict rounds than ops carried,
 *   no forward of an op back to the client that made it, no second completed forward of an op to a client, no
 *   handler that threw or broke the protocol. In every terminal state: convergence (every log identical, every
 *   state its replay, nothing pending) and that every op a user made is in the server's log exactly once, unless
 *   its author dropped it (a conflict's decision) or it was refused on the spot, and then in no log.</li>
 *   <li><b>Why state caching misses none of them.</b> The explorer checks the invariant after every transition,
 *   also one that reaches a known state, but expands a state once, from the first (shortest) path that reached it;
 *   a check that reads history the state's description does not hold could pass from that path and fail from
 *   another. So each check is either <em>immediate</em> (a function of the state and the event: a forward that
 *   opens carrying an op authored by its receiver, read from the server's log and cursor at that instant; a handler
 *   that fails; an engine-reported violation; the cluster's invariants, which read the logs and states), or the
 *   history it reads is part of the state's description: {@link #digest} writes, per node, the audit's open chains
 *   of its running incarnation (declared bound, conflict rounds, ops carried) and a server's completed forwards
 *   ({@link SyncAudit#digest}), and a client's longest synced history and the fates it told its user
 *   ({@link HistoryAudit#digest}), all bounded by the ops made, so a loop still returns to a state described alike.
 *   The engine's handled steps are in its own description (the responder's chains and
 *   tombstones, kept while a copy of a step can still arrive: the network's message lifetime is at most the dedup
 *   window). What is left out is the step bound of a chain whose initiator already ended it or crashed, should its
 *   responder still send on it: that bound is the one recorded when the chain opened, which the state does not
 *   carry; keeping every ended chain would make every state unique and hide every livelock.</li>
 *   <li><b>Ops refused on the spot</b> are outcomes, as in {@code chainsim run}: recorded in the cluster's
 *   submissions, never an error.</li>
 * </ul>
 *
 * <p>Thread safety: one world per instance ({@link #fresh()}); used on the explorer's thread.
 */
public final class OplogExploreModel implements ExploreModel<Object, OplogExploreModel.Op> {

    /** The server's name in the default configuration. */
    public static final String SERVER = "hq";

    /**
     * One op a node's user makes.
     *
     * @param node the node (a client, or the server)
     * @param label the op's label and id, {@code c1o1}, or null (then the node names it)
     * @param op what it does
     */
    public record Op(String node, String label, TournamentOp op) {
        /** @throws NullPointerException if {@code node} or {@code op} is null */
        public Op {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(op, "op");
        }
    }

    private final ServerSpec server;
    private final List<ClientSpec> clients;
    private final List<Op> workload;
    private ChainAudit chainAudit;
    private SyncAudit syncAudit;
    private TournamentCluster cluster;
    private HistoryAudit history;

    /**
     * The default configuration: a server {@code hq} and judges {@code c1..cK}, judge {@code cI} registering
     * players {@code cIp1..cIpM} with ops labelled {@code cIo1..cIoM}.
     *
     * @param clients how many judges, 1 or more
     * @param ops how many ops each judge makes, 0 or more
     * @throws IllegalArgumentException if a count is out of range
     */
    public OplogExploreModel(int clients, int ops) {
        this(ServerSpec.organizer(SERVER), judges(clients, ops), registrations(clients, ops));
    }

    /**
     * Any cluster of one server and its clients, and their users' ops.
     *
     * @param server the server
     * @param clients the clients, in order
     * @param workload the ops, each node's in the order it makes them
     * @throws IllegalArgumentException if an op is made on a node that is neither the server nor a client, two
     *     nodes share a name, or two ops a label
     * @throws NullPointerException if an argument or an element is null
     */
    public OplogExploreModel(ServerSpec server, List<ClientSpec> clients, List<Op> workload) {
        this.server = Objects.requireNonNull(server, "server");
        this.clients = List.copyOf(clients);
        this.workload = List.copyOf(workload);
        Set<String> names = new HashSet<>();
        names.add(server.name());
        for (ClientSpec c : this.clients) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two nodes are named " + c.name());
            }
        }
        Set<String> labels = new HashSet<>();
        for (Op op : this.workload) {
            if (!names.contains(op.node())) {
                throw new IllegalArgumentException("op " + describeOp(op) + " is made on " + op.node()
                        + ", which is not a node; nodes are " + names);
            }
            if (op.label() != null && !labels.add(op.label())) {
                throw new IllegalArgumentException("two ops are labelled " + op.label());
            }
        }
    }

    /**
     * The model of a scenario file's cluster and ops: its server, its clients, and the ops of its {@code at} lines,
     * each node's in file order (their times are not used: the explorer chooses when each is made).
     *
     * @param scenario a scenario with one server and no event but ops ({@link ScenarioParser#parseExplored}
     *     checks a file with an explored path for that, with the line at fault)
     * @return the model
     * @throws IllegalArgumentException if the scenario has several servers or another event than an op
     */
    public static OplogExploreModel of(Scenario scenario) {
        if (scenario.servers().size() != 1) {
            throw new IllegalArgumentException("the explorer plays one server, but scenario " + scenario.name()
                    + " has " + scenario.servers().size());
        }
        List<Op> ops = new ArrayList<>();
        for (Event e : scenario.events()) {
            if (!(e instanceof Event.LocalOp op)) {
                throw new IllegalArgumentException("line " + e.line() + ": the explorer plays ops only, not " + e);
            }
            ops.add(new Op(op.node(), op.label().orElse(null), op.op()));
        }
        return new OplogExploreModel(scenario.server(), scenario.clients(), ops);
    }

    private static List<ClientSpec> judges(int clients, int ops) {
        if (clients < 1 || ops < 0) {
            throw new IllegalArgumentException("need at least 1 client and 0 or more ops each, but got " + clients
                    + " client(s) and " + ops + " op(s)");
        }
        List<ClientSpec> specs = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            specs.add(ClientSpec.judge("c" + i));
        }
        return specs;
    }

    private static List<Op> registrations(int clients, int ops) {
        List<Op> work = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            for (int j = 1; j <= ops; j++) {
                work.add(new Op("c" + i, "c" + i + "o" + j, new TournamentOp.Register("c" + i + "p" + j)));
            }
        }
        return work;
    }

    /** The server. */
    public ServerSpec server() {
        return server;
    }

    /** The clients, in order. */
    public List<ClientSpec> clients() {
        return clients;
    }

    @Override
    public OplogExploreModel fresh() {
        return new OplogExploreModel(server, clients, workload);
    }

    @Override
    public ChainListener listener() {
        chainAudit = new ChainAudit();
        syncAudit = new SyncAudit();
        return event -> {
            chainAudit.onEvent(event);
            syncAudit.onEvent(event);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<SimNode<Object>> start(Simulation sim) {
        chainAudit.attach(sim);
        syncAudit.bind(sim);
        cluster = new TournamentCluster(sim, server, clients);
        syncAudit.bind(cluster);
        history = new HistoryAudit(sim, cluster, clients.stream().map(ClientSpec::name).toList());
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
        return workload;
    }

    @Override
    public String actor(Op work) {
        return work.node();
    }

    @Override
    public String describe(Op work) {
        return describeOp(work);
    }

    private static String describeOp(Op work) {
        return (work.label() == null ? "" : work.label() + " = ") + work.op().text();
    }

    @Override
    public void apply(Cluster<Object> c, Op work) {
        cluster.submit(work.node(), work.label(), work.op());
    }

    @Override
    public Optional<String> invariant(Cluster<Object> c) {
        String broken = chainAudit.violation();
        if (broken == null) {
            broken = syncAudit.violation();
        }
        if (broken != null) {
            return Optional.of(broken);
        }
        Optional<String> invariant = cluster.invariantViolation();
        return invariant.isPresent() ? invariant : Optional.ofNullable(history.violation());
    }

    @Override
    public Optional<String> terminal(Cluster<Object> c) {
        Optional<String> diverged = cluster.divergence();
        if (diverged.isPresent()) {
            return Optional.of("not converged: " + diverged.get());
        }
        OpLog<TournamentOp> log = cluster.log(server.name());
        for (TournamentCluster.Submission s : cluster.submissions()) {
            if (s.id().isEmpty()) {
                continue; // refused on the spot without a label: nothing to look for
            }
            OpId id = s.id().get();
            long copies = log.ops().count(op -> op.id().equals(id));
            boolean gone = s.rejected().isPresent()
                    || cluster.record(id).map(r -> r.fate() == OpFate.DROPPED).orElse(false);
            if (copies != (gone ? 0 : 1)) {
                return Optional.of("op " + cluster.labelOf(id) + " made by " + s.node() + " is " + copies
                        + " time(s) in the server's log " + cluster.labels(server.name())
                        + (gone ? " though it was " + s.rejected().map(r -> "refused on the spot: " + r)
                                .orElse("dropped by its author") : ""));
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
        syncAudit.digest(node.id(), sink);
        history.digest(node.id(), sink);
    }

    private static Map<String, Object> name(Map<? extends dev.chainkit.core.NodeId, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static void putOps(StateSink sink, OpLog<?> log) {
        sink.putInt(log.size());
        for (Operation<?> op : log.ops()) {
            op.digest(sink);
        }
    }

    @Override
    public CodecRegistry codecs() {
        return OplogCodecs.registry(TournamentCluster.domain());
    }

    /** The engine audit of the current world (after {@link #listener}): chain counts and "no step twice". */
    public ChainAudit chainAudit() {
        return chainAudit;
    }

    /** The cluster of the current world (after {@link #start}). */
    public TournamentCluster cluster() {
        return cluster;
    }
}
