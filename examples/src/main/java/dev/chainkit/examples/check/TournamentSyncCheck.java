package dev.chainkit.examples.check;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.examples.cluster.ClusterStores;
import dev.chainkit.examples.cluster.HistoryAudit;
import dev.chainkit.examples.cluster.SyncAudit;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.sync.OpFate;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.check.Action;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import dev.chainkit.sim.check.PropertyCheck;
import dev.chainkit.sim.check.Schedule;
import dev.chainkit.sim.check.ScheduleGenerator;
import dev.chainkit.sim.check.TimedAction;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The property check that guards the tournament sync's termination and convergence: random workloads and faults,
 * seed by seed, on a {@link TournamentCluster}, with the invariants checked after every simulated event and the
 * liveness and termination bounds once faults calm and the network drains. Run it with
 * {@link dev.chainkit.sim.check.PropertyRunner} (the JUnit sweep {@code TournamentSyncProperties} and
 * {@code chainsim check} do).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One cluster per seed.</b> The check built from a {@link SweepConfig} stands for the whole sweep;
 *   {@link #forSeed} draws the seed's cluster ({@link ClusterShape}: 1 to 4 clients, their roles and habits, the
 *   schedule's span) and returns a fresh check for one run, which holds that run's audit. So every run, shrinking
 *   runs included, starts from nothing, and a seed always names the same cluster.</li>
 *   <li><b>Schedules.</b> Faults come from a {@link ScheduleGenerator} within the config's ranges (loss,
 *   duplication, latency spread, targeted rules on every message kind, partitions, crashes and restarts of any
 *   node, the server included, all over by the horizon, where random faults calm); the workload comes from
 *   {@link TournamentWorkload}: timed ops drawn against a plausible tournament, some conflicting on purpose. A few
 *   seeds add what the ordinary ranges never reach ({@link ClusterShape#draw}): a user who thinks longer than a
 *   chain's deadline, and a long outage of minutes that cuts off a client making no ops of its own (or crashes it
 *   or the server). The check itself heals and restarts everything at the horizon, so a shrunk schedule that lost
 *   a heal or a restart still ends its faults there, as its scenario file says.</li>
 *   <li><b>Invariants, after every event.</b> No op id twice in any log; the server's log only grows by appending
 *   and no client's synced history ever shrinks (a finalized op is never rolled back or reordered); every node's
 *   state is the replay of its log; no client believes an op is synced that the server lacks
 *   ({@link TournamentCluster#invariantViolation()}), and what a client tells its user about an op (synced,
 *   dropped, rejected) never changes ({@link HistoryAudit}); no handler sees the same step of a chain twice
 *   ({@link ChainAudit}, per incarnation: a restarted node has forgotten what it handled); and the termination promises as chains run ({@link SyncAudit}): no step beyond the
 *   protocol's declared maximum, no more conflict rounds than ops carried, no forward back to an op's origin nor a
 *   second completed forward of an op to a client, no handler that threw or broke the protocol. The logs and
 *   states are immutable, so the cluster's invariants are evaluated only after events that changed one.</li>
 *   <li><b>Liveness, after calm and drain.</b> The run must be quiet within {@link #quietBoundNs()} of the
 *   horizon (else the runner reports it not quiet). Then the engines' idle timeout is let pass, so responders
 *   forget chains whose initiators crashed, and nothing may be sent meanwhile; then: no chain in flight on any
 *   node, on either side; all logs identical and every state their replay; every op a user made is in every log
 *   exactly once, or was dropped by its author's decision (and is in no log), or was rejected at once where it was
 *   made (and is in no log, and its node reports it rejected); and the bounds of {@link MessageBound} hold: the
 *   messages sent, the chains opened per client, the supersedes and the forwards per client.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; the runner uses one instance per run on one thread.
 */
public final class TournamentSyncCheck implements PropertyCheck<Object, SyncWork> {

    /** The most faults (a targeted rule, a partition with its heal, a crash with its restart) a schedule has. */
    public static final int MAX_FAULTS = 4;
    /** The message kinds targeted rules aim at: the scenario format's, and {@code any}. */
    static final String[] MESSAGE_KINDS = {"OpSync", "SyncSuccess", "SyncSuccessWithNewOps", "OpProcessor",
        "ProcessorDecision", "SyncFailed", "ForwardSync", "ForwardAck", FaultRule.ANY_KIND};
    private static final String NODE_DOWN = "node is down";

    private final SweepConfig config;
    private final ClusterStores stores;
    private final Consumer<RunStats> observer;
    private final ClusterShape shape;
    private final long seed;

    // One run's state; only a check for one seed (shape != null) has a run.
    private final ChainAudit chainAudit = new ChainAudit();
    private final SyncAudit syncAudit = new SyncAudit();
    private final Map<String, List<OplogClient<?, ?>>> incarnations = new LinkedHashMap<>();
    private Simulation sim;
    private TournamentCluster cluster;
    private HistoryAudit history;
    private Object[] seen = new Object[0];

    /**
     * A check of the sweep {@code config}.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public TournamentSyncCheck(SweepConfig config) {
        this(config, stats -> { });
    }

    /**
     * A check of the sweep {@code config} that reports each run's figures to {@code observer} (shrinking runs
     * included), on the thread running the check.
     *
     * @throws NullPointerException if an argument is null
     */
    public TournamentSyncCheck(SweepConfig config, Consumer<RunStats> observer) {
        this(config, observer, ClusterStores.inMemory(), null, 0);
    }

    /**
     * A check of the sweep {@code config} whose nodes keep their logs in {@code stores} (the sweep on real stores).
     *
     * @throws NullPointerException if an argument is null
     */
    public TournamentSyncCheck(SweepConfig config, ClusterStores stores) {
        this(config, stats -> { }, stores, null, 0);
    }

    private TournamentSyncCheck(SweepConfig config, Consumer<RunStats> observer, ClusterStores stores,
            ClusterShape shape, long seed) {
        this.stores = Objects.requireNonNull(stores, "stores");
        this.config = Objects.requireNonNull(config, "config");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.shape = shape;
        this.seed = seed;
    }

    /** The sweep this check draws from. */
    public SweepConfig config() {
        return config;
    }

    /** The check of one run of {@code seed}: its cluster drawn from the seed, a fresh audit. */
    @Override
    public TournamentSyncCheck forSeed(long runSeed) {
        return new TournamentSyncCheck(config, observer, stores, ClusterShape.draw(config, runSeed), runSeed);
    }

    /** The cluster of {@code runSeed}, as {@link #forSeed} draws it. */
    public ClusterShape shape(long runSeed) {
        return ClusterShape.draw(config, runSeed);
    }

    /** Every node keeps the default settings, so a failing seed replays as a scenario without a {@code retry} line. */
    @Override
    public NodeSettings settings() {
        return NodeSettings.defaults();
    }

    /**
     * The most a run of this seed may take to be quiet after the horizon, in nanoseconds, before its ops are known:
     * {@link MessageBound#quietBoundNs} for the nodes' retry policy and the seed's users, each as if it made all of
     * the config's {@code maxOps}. A run is held to the bound of the ops its users did make
     * ({@link #liveness}), which is never more.
     */
    public long quietBoundNs() {
        return MessageBound.quietBoundNs(settings().retryPolicy(), shape().clients().stream()
                .map(c -> new MessageBound.User(c.think().toNanos(), config.maxOps())).toList()) + hintPollNs();
    }

    /** The quiet bound of this run: its users' thinking times and the ops each made. */
    private long runQuietBoundNs() {
        return MessageBound.quietBoundNs(settings().retryPolicy(), shape.clients().stream()
                .map(c -> new MessageBound.User(c.think().toNanos(), cluster.submissions().stream()
                        .filter(s -> s.node().equals(c.name()) && s.rejected().isEmpty()).count()))
                .toList()) + hintPollNs();
    }

    /**
     * With several servers, a hint lost just before calm is found by the next poll of the heads: that long more
     * (with one server, nothing).
     */
    private long hintPollNs() {
        return shape().servers().size() > 1 ? shape().hints().poll().toNanos() : 0;
    }

    /** The horizon plus {@link #quietBoundNs()}: a run not quiet by then fails. */
    @Override
    public Duration limit() {
        return shape().horizon().plusNanos(quietBoundNs());
    }

    /** No node for the runner to add: {@link #prepare} builds the {@link TournamentCluster}. */
    @Override
    public List<NodeSpec<Object>> nodes() {
        return List.of();
    }

    @Override
    public ChainListener listener() {
        shape();
        return event -> {
            chainAudit.onEvent(event);
            syncAudit.onEvent(event);
        };
    }

    /**
     * Draws the seed's schedule: faults within the config's ranges on the seed's nodes, and its workload.
     *
     * @param nodes ignored: the nodes are the seed's {@link ClusterShape}
     */
    @Override
    public Schedule<SyncWork> generate(RandomGenerator random, List<NodeId> nodes) {
        ClusterShape s = shape();
        ScheduleGenerator<SyncWork> faults = ScheduleGenerator.<SyncWork>builder((r, n, i) -> {
            throw new IllegalStateException("the fault generator draws no workload");
        })
                .horizon(s.span())
                .workloads(0, 0)
                .faults(MAX_FAULTS)
                .loss(config.maxLoss())
                .duplicate(config.maxDuplicate())
                .latency(Duration.ofMillis(1), config.maxLatency())
                .protocols(OplogProtocols.sync(), OplogProtocols.forward())
                .messageKinds(MESSAGE_KINDS)
                .maxRuleCount(3)
                .maxRuleDelay(Duration.ofMillis(500))
                // a seed's long outage is its only fault of its kind, so no other heal or restart ends it early
                .partitions(config.partitions() && !s.outage().filter(o -> !o.crash()).isPresent())
                .crashes(config.crashes() && !s.outage().filter(ClusterShape.Outage::crash).isPresent())
                .build();
        Schedule<SyncWork> schedule = faults.generate(random, s.nodeIds());
        List<TimedAction<SyncWork>> actions = new ArrayList<>();
        for (TimedAction<SyncWork> ta : schedule.actions()) {
            actions.add(ta.action() instanceof Action.Fault<SyncWork> f ? new TimedAction<>(ta.at(),
                    new Action.Fault<>(onALink(f.rule(), s))) : ta);
        }
        s.outage().ifPresent(o -> actions.addAll(outage(o, s)));
        actions.addAll(TournamentWorkload.draw(random, s, config.maxOps()));
        actions.sort(Comparator.comparing(TimedAction::at));
        return new Schedule<>(schedule.network(), s.horizon(), actions);
    }

    /**
     * The long outage's two actions: a partition of the quiet client from every other node and its heal, or a
     * crash and its restart.
     */
    private static List<TimedAction<SyncWork>> outage(ClusterShape.Outage o, ClusterShape s) {
        NodeId down = NodeId.of(o.down());
        if (o.crash()) {
            return List.of(new TimedAction<>(o.start(), new Action.Crash<>(down)),
                    new TimedAction<>(o.end(), new Action.Restart<>(down)));
        }
        Set<NodeId> rest = new HashSet<>(s.nodeIds());
        rest.remove(down);
        return List.of(new TimedAction<>(o.start(), Action.Partition.of(Set.of(down), rest)),
                new TimedAction<>(o.end(), new Action.Heal<>()));
    }

    /**
     * The rule on a link that exists: every link joins a server and a client that uses it, so a rule the generator
     * drew between two clients is moved to the first client's link to its (first) server, one between two servers to
     * the first server's link to a client of it, and one between a client and a server it does not use to that
     * client's first server.
     */
    private static FaultRule onALink(FaultRule rule, ClusterShape shape) {
        String from = rule.from().name();
        String to = rule.to().name();
        boolean fromServer = shape.isServer(from);
        boolean toServer = shape.isServer(to);
        if (!fromServer && !toServer) {
            return retarget(rule, from, firstServerOf(shape, from));
        }
        if (fromServer && toServer) {
            String client = shape.clients().stream().filter(c -> serversOf(shape, c).contains(from))
                    .map(ClientSpec::name).findFirst().orElse(null);
            return client != null ? retarget(rule, from, client)
                    : retarget(rule, shape.clients().get(0).name(), firstServerOf(shape, shape.clients().get(0).name()));
        }
        String client = fromServer ? to : from;
        String server = fromServer ? from : to;
        if (serversOf(shape, shape.client(client)).contains(server)) {
            return rule;
        }
        return fromServer ? retarget(rule, firstServerOf(shape, client), client)
                : retarget(rule, client, firstServerOf(shape, client));
    }

    private static FaultRule retarget(FaultRule rule, String from, String to) {
        return new FaultRule(rule.action(), rule.count(), rule.messageKind(), NodeId.of(from), NodeId.of(to),
                rule.delay());
    }

    private static List<String> serversOf(ClusterShape shape, ClientSpec client) {
        return client.serversAmong(shape.serverNames());
    }

    private static String firstServerOf(ClusterShape shape, String client) {
        return serversOf(shape, shape.client(client)).get(0);
    }

    @Override
    public void prepare(Cluster<Object> runnerCluster) {
        ClusterShape s = shape();
        if (sim != null) {
            throw new IllegalStateException("a check for one seed runs once; the runner asks forSeed for each run");
        }
        sim = runnerCluster.sim();
        chainAudit.attach(sim);
        syncAudit.bind(sim);
        cluster = new TournamentCluster(sim, s.servers(), s.clients(), stores, s.hints());
        history = new HistoryAudit(sim, cluster, s.clients().stream().map(ClientSpec::name).toList());
        syncAudit.bind(cluster);
        for (ClientSpec c : s.clients()) {
            incarnations.put(c.name(), new ArrayList<>());
        }
        // Every fault is over by the horizon, also in a shrunk schedule that lost a heal or a restart: else the
        // shrinker could trade the failure it shrinks for a node that never comes back. Scheduled before the
        // schedule's actions, so it comes first at the horizon, as in the scenario file (FailureScenario).
        sim.at(s.horizon(), () -> {
            sim.heal();
            for (NodeId n : s.nodeIds()) {
                if (!sim.node(n).isUp()) {
                    sim.restart(n);
                }
            }
        });
        changed();
    }

    @Override
    public void applyWorkload(Cluster<Object> runnerCluster, SyncWork work) {
        cluster.submit(work.node(), work.label(), work.op());
    }

    // ---------------------------------------------------------------- invariants

    @Override
    public Optional<String> invariant(Cluster<Object> runnerCluster) {
        String broken = syncAudit.violation();
        if (broken == null) {
            broken = chainAudit.violation();
        }
        if (broken == null && changed()) {
            broken = cluster.invariantViolation().orElse(null);
            if (broken == null) {
                broken = history.violation();
            }
        }
        return Optional.ofNullable(broken);
    }

    /**
     * Whether any node's life, log, state or synced tip changed since the last call (all immutable, so identity
     * tells); also notes every new client incarnation, whose op records tell the fate of its user's ops.
     */
    private boolean changed() {
        List<SimNode<?>> nodes = sim.nodes();
        if (seen.length != nodes.size() * 4) {
            seen = new Object[nodes.size() * 4];
        }
        boolean changed = false;
        for (int i = 0; i < nodes.size(); i++) {
            Object app = nodes.get(i).app();
            Object log = null;
            Object state = null;
            Object tip = null;
            if (app instanceof HostedLog<?, ?> server) {
                log = server.log();
                state = server.state();
            } else if (app instanceof OplogClient<?, ?> client) {
                log = client.log();
                state = client.state();
                tip = client.syncedTip();
                if (seen[4 * i] != app) {
                    incarnations.get(nodes.get(i).id().name()).add(client);
                }
            }
            int k = 4 * i;
            if (seen[k] != app || seen[k + 1] != log || seen[k + 2] != state || seen[k + 3] != tip) {
                seen[k] = app;
                seen[k + 1] = log;
                seen[k + 2] = state;
                seen[k + 3] = tip;
                changed = true;
            }
        }
        return changed;
    }

    // ---------------------------------------------------------------- liveness

    @Override
    public Optional<String> liveness(Cluster<Object> runnerCluster) {
        long quietAfterNs = sim.nowNs() - shape.horizon().toNanos();
        long quietBoundNs = runQuietBoundNs();
        if (quietAfterNs > quietBoundNs) {
            return Optional.of("quiet only " + ms(quietAfterNs) + " after the last fault; the bound is "
                    + ms(quietBoundNs));
        }
        long sentAtQuiet = sim.counters().sent();
        sim.runFor(settings().responderIdleTimeout().plusMillis(1));
        if (sim.counters().sent() != sentAtQuiet || !sim.isQuiet()) {
            return Optional.of("did not stay quiet: " + (sim.counters().sent() - sentAtQuiet)
                    + " messages were sent in the idle timeout after quiet; " + sim.pending());
        }
        for (SimNode<?> n : sim.nodes()) {
            ChainNode engine = n.chainNode();
            if (engine.hasInitiatorChains() || engine.hasResponderChains()) {
                return Optional.of(n.id() + " still holds a chain after quiet and the idle timeout: " + engine);
            }
        }
        Optional<String> divergence = cluster.divergence();
        if (divergence.isPresent()) {
            return Optional.of("not converged: " + divergence.get());
        }
        String broken = fatesViolation();
        if (broken == null) {
            broken = boundsViolation(quietAfterNs);
        }
        return Optional.ofNullable(broken);
    }

    /**
     * Every op a user made is in every log exactly once, or was dropped by its author's decision, or was rejected
     * at once; dropped and rejected ops are in no log, and nothing is left pending.
     */
    private String fatesViolation() {
        OpLog<TournamentOp> log = cluster.storeLog();
        Map<OpId, String> droppedOnServers = cluster.droppedServerOps();
        for (TournamentCluster.Submission s : cluster.submissions()) {
            if (s.id().isEmpty()) {
                continue;
            }
            OpId id = s.id().get();
            String what = cluster.labelOf(id) + " (" + s.op().text() + " on " + s.node() + ")";
            boolean inLog = log.contains(id);
            if (s.rejected().isPresent()) {
                if (inLog) {
                    return what + " was rejected at once (" + s.rejected().get() + ") but is in the logs";
                }
                if (!shape.isServer(s.node()) && !s.rejected().get().equals(NODE_DOWN)
                        && fateOf(s.node(), id) != OpFate.REJECTED) {
                    return what + " was rejected at once but its node reports it " + fateOf(s.node(), id);
                }
                continue;
            }
            if (shape.isServer(s.node())) {
                String dropped = droppedOnServers.get(id);
                if (!inLog && dropped == null) {
                    return what + " was made on the server but is in no log";
                }
                if (inLog && dropped != null) {
                    return what + " is in every log, but its server says it dropped it: " + dropped;
                }
                continue;
            }
            OpFate fate = fateOf(s.node(), id);
            if (fate == OpFate.DROPPED && inLog) {
                return what + " is in every log, but its author says it dropped it";
            }
            if (fate != OpFate.DROPPED && !inLog) {
                return what + " is in no log, but its author did not drop it (its fate: " + fate + ")";
            }
            if (inLog && fate != OpFate.SYNCED) {
                return what + " is in every log, but its author says it is " + fate;
            }
        }
        return null;
    }

    /**
     * What the author's incarnations know of an op: dropped if any dropped it, otherwise what the latest one that
     * knows it says; null if none knows it.
     */
    private OpFate fateOf(String client, OpId id) {
        OpFate fate = null;
        for (OplogClient<?, ?> life : incarnations.getOrDefault(client, List.of())) {
            OpRecord r = life.opRecords().get(id);
            if (r != null && fate != OpFate.DROPPED) {
                fate = r.fate();
            }
        }
        if (fate == null) {
            fate = cluster.record(id).map(OpRecord::fate).orElse(null);
        }
        return fate;
    }

    /** The bounds of {@link MessageBound}: messages, syncs per client, supersedes, forwards per client. */
    private String boundsViolation(long quietAfterNs) {
        RetryPolicy policy = settings().retryPolicy();
        List<Integer> declared = new ArrayList<>();
        int syncChains = 0;
        int forwardChains = 0;
        long conflicts = 0;
        long superseded = 0;
        Map<String, int[]> perClient = new HashMap<>(); // syncs, causes, forwards, incomplete forwards
        Map<String, int[]> perLink = new HashMap<>(); // by server|client: forwards, incomplete forwards
        for (ClientSpec c : shape.clients()) {
            perClient.put(c.name(), new int[4]);
        }
        for (SyncAudit.ChainRecord r : syncAudit.chains()) {
            declared.add(r.maxSteps());
            conflicts += r.conflictRounds();
            if (r.sync()) {
                syncChains++;
                int[] p = perClient.get(r.initiator().name());
                p[0]++;
                if (r.end() == ChainEventType.SUPERSEDED || r.end() == ChainEventType.FAILED
                        || r.end() == ChainEventType.TIMED_OUT) {
                    p[1]++;
                }
                if (r.end() == ChainEventType.SUPERSEDED) {
                    superseded++;
                }
            } else {
                forwardChains++;
                int[] p = perClient.get(r.peer().name());
                int[] link = perLink.computeIfAbsent(r.initiator().name() + "|" + r.peer().name(), k -> new int[2]);
                p[2]++;
                link[0]++;
                if (r.end() != ChainEventType.COMPLETED) {
                    p[3]++;
                    link[1]++;
                }
            }
        }
        long bound = MessageBound.messages(policy, declared, sim.counters().duplicated());
        long sent = sim.counters().sent();
        int rejected = (int) cluster.submissions().stream().filter(s -> s.rejected().isPresent()).count();
        int dropped = (int) cluster.submissions().stream().filter(s -> s.rejected().isEmpty()
                && !shape.isServer(s.node()) && fateOf(s.node(), s.id().get()) == OpFate.DROPPED)
                .count();
        observer.accept(new RunStats(seed, shape.clients().size(), cluster.submissions().size(), rejected, dropped,
                syncChains, (int) superseded, forwardChains, conflicts, syncAudit.retransmissions(), sent, bound,
                TimeUnit.NANOSECONDS.toMillis(quietAfterNs), TimeUnit.NANOSECONDS.toMillis(runQuietBoundNs())));
        if (sent > bound) {
            return sent + " messages sent, above the bound of " + bound + " for " + declared.size() + " chains";
        }
        OpLog<TournamentOp> log = cluster.storeLog();
        int logged = log.size() - 1;
        if (superseded > (long) shape.clients().size() * logged) {
            return superseded + " syncs were superseded, above " + shape.clients().size() + " clients x " + logged
                    + " log changes";
        }
        for (ClientSpec c : shape.clients()) {
            int[] p = perClient.get(c.name());
            long made = cluster.submissions().stream()
                    .filter(s -> s.node().equals(c.name()) && s.rejected().isEmpty()).count();
            long restarts = sim.node(c.name()).incarnation() - 1;
            if (p[0] > made + restarts + p[1] + p[2]) {
                return c.name() + " opened " + p[0] + " syncs, above its " + made + " ops + " + restarts
                        + " restarts + " + p[1] + " syncs ended by supersede or fault + " + p[2] + " forwards";
            }
            long own = log.ops().count(op -> op.author().node().equals(c.name()));
            for (String server : shape.serverNames()) { // each server forwards each op at most once to a client
                int[] link = perLink.getOrDefault(server + "|" + c.name(), new int[2]);
                if (link[0] > logged - own + link[1]) {
                    return server + " opened " + link[0] + " forwards to " + c.name() + ", above the "
                            + (logged - own) + " ops of other nodes + " + link[1] + " forwards that did not complete";
                }
            }
        }
        return null;
    }

    private ClusterShape shape() {
        if (shape == null) {
            throw new IllegalStateException("this check stands for a whole sweep, whose cluster varies with the seed;"
                    + " run it through PropertyRunner (which asks forSeed for each run) or call forSeed(seed)");
        }
        return shape;
    }

    private static String ms(long ns) {
        return TimeUnit.NANOSECONDS.toMillis(ns) + "ms";
    }

    @Override
    public String toString() {
        return shape == null ? "TournamentSyncCheck[" + config + "]"
                : "TournamentSyncCheck[seed " + seed + ", " + shape.nodeNames() + "]";
    }
}
