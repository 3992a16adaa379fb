package dev.chainkit.examples.cluster;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Decide;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.examples.scenario.Hints;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.Decision;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import io.vavr.control.Either;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tournament synced by the op-log protocol on a simulated network: an {@link OplogServer} hosting its log (or
 * several, sharing one store: a {@link SharedStore}) and its {@link OplogClient}s, each a node of a {@link
 * Simulation} that keeps its store across crashes. It is what {@code chainsim run} plays scenarios on and what the
 * property checks sweep.
 *
 * <p>It remembers each op's label and what happened to it, keeps every client incarnation (so the fate of an op
 * outlives a crash of its author), and checks the protocol's invariants ({@link #invariantViolation()}). With
 * several servers, the reference every node is held to is the shared store's log (what the database holds); with
 * one, the server's log.
 *
 * <p>Thread safety: not thread-safe; use on the simulation's thread.
 */
public final class TournamentCluster implements ClusterView {

    /** The id of the one log every node keeps. */
    public static final String LOG_ID = "tournament";
    /** The genesis op's label and id. */
    public static final String GENESIS = "o0";

    private static final Tournament DOMAIN = new Tournament();

    private final Simulation sim;
    private final String serverName;
    private final Map<String, SimNode<HostedLog<TournamentState, TournamentOp>>> servers = new LinkedHashMap<>();
    /** The store the servers share, or null with one server. */
    private final SharedStore<TournamentOp> shared;
    private final Map<String, SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new LinkedHashMap<>();
    private final Map<String, List<OplogClient<TournamentState, TournamentOp>>> incarnations = new LinkedHashMap<>();
    /** Every server incarnation, so the fate of a server's own op outlives a crash of that server. */
    private final List<HostedLog<TournamentState, TournamentOp>> serverLives = new ArrayList<>();
    private final Map<String, OpId> idsByLabel = new LinkedHashMap<>();
    private final Map<OpId, String> labelsById = new LinkedHashMap<>();
    private final List<Submission> submissions = new ArrayList<>();
    /** The rules, remembering recent results: every node and the invariant check share them (see LogWatch). */
    private final SharedResults<TournamentState, TournamentOp> domain;
    private final Map<String, Watched> watched = new HashMap<>();

    /**
     * Adds the server and the clients to {@code sim}. Every log starts with the genesis op {@code o0}, made by
     * the server's organizer, that creates the tournament.
     *
     * @param sim the simulation to add the nodes to
     * @param serverSpec the server
     * @param clientSpecs the clients, with their users' roles and decision habits
     */
    public TournamentCluster(Simulation sim, ServerSpec serverSpec, List<ClientSpec> clientSpecs) {
        this(sim, List.of(serverSpec), clientSpecs, DOMAIN, ClusterStores.inMemory(), Hints.DEFAULT);
    }

    /**
     * Adds the server and the clients to {@code sim}, their logs kept in {@code stores}. See
     * {@link #TournamentCluster(Simulation, ServerSpec, List)}.
     *
     * @param sim the simulation to add the nodes to
     * @param serverSpec the server
     * @param clientSpecs the clients, with their users' roles and decision habits
     * @param stores what the nodes keep their logs in
     */
    public TournamentCluster(Simulation sim, ServerSpec serverSpec, List<ClientSpec> clientSpecs,
            ClusterStores stores) {
        this(sim, List.of(serverSpec), clientSpecs, DOMAIN, stores, Hints.DEFAULT);
    }

    /**
     * Adds the servers and the clients to {@code sim}. With several servers they share one {@link SharedStore}
     * (hints travelling as {@code hints} says), and each client starts served by the first server of its list;
     * with one, the server keeps its log in {@code stores}. The genesis op {@code o0} is made by the first server's
     * organizer.
     *
     * @param sim the simulation to add the nodes to
     * @param serverSpecs the servers, at least one
     * @param clientSpecs the clients, with their users' roles, decision habits and servers
     * @param stores what the clients (and a single server) keep their logs in
     * @param hints how hints travel between several servers
     * @throws IllegalArgumentException if there is no server, or a client names a server that is not one
     */
    public TournamentCluster(Simulation sim, List<ServerSpec> serverSpecs, List<ClientSpec> clientSpecs,
            ClusterStores stores, Hints hints) {
        this(sim, serverSpecs, clientSpecs, DOMAIN, stores, hints);
    }

    /** As the public constructors, with other rules than the tournament's own (tests count their calls). */
    TournamentCluster(Simulation sim, List<ServerSpec> serverSpecs, List<ClientSpec> clientSpecs,
            Domain<TournamentState, TournamentOp> rules, ClusterStores stores, Hints hints) {
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(hints, "hints");
        if (serverSpecs.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one server");
        }
        this.sim = Objects.requireNonNull(sim, "sim");
        this.domain = new SharedResults<>(rules);
        this.serverName = serverSpecs.get(0).name();
        List<String> serverNames = serverSpecs.stream().map(ServerSpec::name).toList();
        Operation<TournamentOp> genesis = genesis(serverName);
        idsByLabel.put(GENESIS, genesis.id());
        labelsById.put(genesis.id(), GENESIS);
        for (ClientSpec spec : clientSpecs) {
            for (String used : spec.serversAmong(serverNames)) {
                if (!serverNames.contains(used)) {
                    throw new IllegalArgumentException("client " + spec.name() + " names " + used
                            + ", which is not a server of " + serverNames);
                }
            }
        }
        io.vavr.collection.Map<NodeId, Role> registry = members(serverSpecs, clientSpecs);
        this.shared = serverSpecs.size() > 1 ? new SharedStore<>(sim, hints) : null;
        if (shared != null) {
            createShared(shared.store(), serverSpecs, clientSpecs);
        }
        for (ServerSpec spec : serverSpecs) {
            String name = spec.name();
            servers.put(name, sim.addNode(name, ctx -> {
                ServerStore<TournamentOp> store = shared != null
                        ? ctx.durable().get(ClusterStores.KEY, () -> shared.forServer(name))
                        : stores.server(ctx, LOG_ID, genesis, registry);
                HostedLog<TournamentState, TournamentOp> hosted = OplogServer.builder(ctx.node(), domain, store)
                        .scheduler(ctx.scheduler()).clock(ctx.clock()).build().host(store.load(LOG_ID).orElseThrow());
                serverLives.add(hosted);
                return hosted;
            }));
        }
        for (ClientSpec spec : clientSpecs) {
            DecisionPolicy<TournamentOp> policy = decisions(spec, spec.think());
            List<NodeId> uses = spec.serversAmong(serverNames).stream().map(NodeId::of).toList();
            List<OplogClient<TournamentState, TournamentOp>> lives = new ArrayList<>();
            incarnations.put(spec.name(), lives);
            clients.put(spec.name(), sim.addNode(spec.name(), ctx -> {
                OplogClient<TournamentState, TournamentOp> client = OplogClient.builder(ctx.node(), domain, LOG_ID,
                        new Author(spec.name(), spec.role()), stores.client(ctx, LOG_ID, genesis))
                        .scheduler(ctx.scheduler()).clock(ctx.clock()).servers(uses).policy(policy).build();
                lives.add(client);
                return client;
            }));
        }
        sim.quietWhen(this::isIdle);
    }

    /**
     * Creates the tournament's log in a store that several servers share, as a cluster of {@code serverSpecs}
     * starts: the genesis op of the first server, the member registry, and each client served by the first server
     * of its list (as if it had subscribed there).
     *
     * @param store the shared store, holding no tournament log yet
     * @param serverSpecs the servers, at least one
     * @param clientSpecs the clients
     * @throws IllegalArgumentException if there is no server
     * @throws RuntimeException if the store fails (as {@link ServerStore#commit} says)
     */
    public static void createShared(ServerStore<TournamentOp> store, List<ServerSpec> serverSpecs,
            List<ClientSpec> clientSpecs) {
        if (serverSpecs.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one server");
        }
        List<String> serverNames = serverSpecs.stream().map(ServerSpec::name).toList();
        store.loadOrCreate(LOG_ID, genesis(serverNames.get(0)), members(serverSpecs, clientSpecs));
        io.vavr.collection.Map<NodeId, NodeId> servedBy = io.vavr.collection.HashMap.empty();
        for (ClientSpec spec : clientSpecs) { // a client starts as if it had subscribed to its first server
            servedBy = servedBy.put(NodeId.of(spec.name()), NodeId.of(spec.serversAmong(serverNames).get(0)));
        }
        store.commit(List.of(new LogAppend<>(LOG_ID, 1, io.vavr.collection.Vector.empty(),
                io.vavr.collection.HashMap.empty(), io.vavr.collection.HashMap.empty(), servedBy)));
    }

    /**
     * The genesis op every log of a cluster served by {@code serverName} starts with: {@code o0}, made by the server
     * as organizer at time 0, creating the tournament {@link #LOG_ID}.
     *
     * @param serverName the server's node name
     * @return the op
     */
    public static Operation<TournamentOp> genesis(String serverName) {
        return new Operation<>(OpId.of(GENESIS), new Author(serverName, Role.organizer()), 0,
                new TournamentOp.Create(LOG_ID, serverName));
    }

    /**
     * The log's member registry: every server and every client, each with its user's role, in file order.
     *
     * @param servers the servers
     * @param clients the clients
     * @return node to role
     */
    public static io.vavr.collection.Map<NodeId, Role> members(List<ServerSpec> servers, List<ClientSpec> clients) {
        io.vavr.collection.Map<NodeId, Role> members = io.vavr.collection.LinkedHashMap.empty();
        for (ServerSpec spec : servers) {
            members = members.put(NodeId.of(spec.name()), spec.role());
        }
        for (ClientSpec spec : clients) {
            members = members.put(NodeId.of(spec.name()), spec.role());
        }
        return members;
    }

    /**
     * What a client's user answers to a conflict ({@code decide=}), after thinking for {@code think}.
     *
     * @param client the client
     * @param think how long the user thinks (the file's {@code think=}, or that time scaled for a live run)
     * @return the policy
     */
    public static DecisionPolicy<TournamentOp> decisions(ClientSpec client, Duration think) {
        return DecisionPolicy.of(client.decide() == Decide.PURGE ? Decision::purge : Decision::skip, think);
    }

    /** The domain every node folds its log with. */
    public static Tournament domain() {
        return DOMAIN;
    }

    /** The (first) server's node name: the genesis op's author. */
    @Override
    public String serverName() {
        return serverName;
    }

    /** The servers' node names, in order. */
    public List<String> serverNames() {
        return List.copyOf(servers.keySet());
    }

    /** Whether {@code node} is a server. */
    @Override
    public boolean isServer(String node) {
        return servers.containsKey(node);
    }

    /** The store the servers share, if there are several. */
    public Optional<SharedStore<TournamentOp>> sharedStore() {
        return Optional.ofNullable(shared);
    }

    /** Every node's name, the servers first. */
    @Override
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>(servers.keySet());
        names.addAll(clients.keySet());
        return names;
    }

    /**
     * Makes an op on {@code node} now, as its user.
     *
     * @param node a node name (the server's or a client's)
     * @param label the op's label, or null (then the node names it)
     * @param op what the op does
     * @return what happened: made, or rejected with the reason (a crashed node makes nothing)
     * @throws IllegalArgumentException if the node is unknown or the label is already used
     */
    public Submission submit(String node, String label, TournamentOp op) {
        if (label != null && idsByLabel.containsKey(label)) {
            throw new IllegalArgumentException("op label " + label + " is already used");
        }
        OpId id = label == null ? null : OpId.of(label);
        Either<OpError, Operation<TournamentOp>> made;
        SimNode<HostedLog<TournamentState, TournamentOp>> server = servers.get(node);
        if (server != null) {
            made = server.isUp() ? server.app().submit(id, op) : null;
        } else {
            SimNode<OplogClient<TournamentState, TournamentOp>> client = clients.get(node);
            if (client == null) {
                throw new IllegalArgumentException("unknown node " + node + "; known: " + nodeNames());
            }
            made = client.isUp() ? client.app().submit(id, op) : null;
        }
        String reason = made == null ? "node is down" : made.isLeft() ? made.getLeft().toString() : "";
        OpId madeId = made != null && made.isRight() ? made.get().id() : id;
        if (madeId != null) {
            String shown = label != null ? label : madeId.value();
            idsByLabel.put(shown, madeId);
            labelsById.put(madeId, shown);
        }
        Submission s = new Submission(sim.nowNs(), node, label, op, Optional.ofNullable(madeId),
                reason.isEmpty() ? Optional.empty() : Optional.of(reason));
        submissions.add(s);
        return s;
    }

    /** Every op users tried to make, in order, with what happened to it. */
    public List<Submission> submissions() {
        return Collections.unmodifiableList(submissions);
    }

    /** The op id a label stands for, if the label was made (or is {@code o0}). */
    @Override
    public Optional<OpId> idOf(String label) {
        return Optional.ofNullable(idsByLabel.get(label));
    }

    /** The label of an op, or its id when it has none. */
    public String labelOf(OpId id) {
        return labelsById.getOrDefault(id, id.value());
    }

    /** The log of {@code node}: its live incarnation's, or what its store kept while it is down. */
    @Override
    @SuppressWarnings("unchecked")
    public OpLog<TournamentOp> log(String node) {
        SimNode<HostedLog<TournamentState, TournamentOp>> server = servers.get(node);
        if (server != null) {
            if (server.isUp()) {
                return server.app().log();
            }
            return shared != null ? storeLog()
                    : ((ServerStore<TournamentOp>) server.durable().find(ClusterStores.KEY).orElseThrow()).load(LOG_ID)
                            .orElseThrow().log();
        }
        SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(node);
        return c.isUp() ? c.app().log()
                : ((ClientStore<TournamentOp>) c.durable().find(ClusterStores.KEY).orElseThrow()).log();
    }

    /**
     * The log every node is held to: what the shared store holds, with several servers; the server's log, with
     * one.
     */
    @Override
    public OpLog<TournamentOp> storeLog() {
        return shared != null ? shared.store().load(LOG_ID).orElseThrow().log() : log(serverName);
    }

    /**
     * The servers' own ops that another server's append pushed out and that no longer applied (in no log), with
     * the reason, across every incarnation of every server.
     */
    @Override
    public Map<OpId, String> droppedServerOps() {
        Map<OpId, String> dropped = new LinkedHashMap<>();
        for (HostedLog<TournamentState, TournamentOp> life : serverLives) {
            dropped.putAll(life.droppedOwnOps());
        }
        return dropped;
    }

    /** The log of {@code node} as labels. */
    @Override
    public List<String> labels(String node) {
        return log(node).ops().map(op -> labelOf(op.id())).toJavaList();
    }

    /** Ops a client still holds unsynced (0 for the server or a node that is down). */
    @Override
    public int pendingOps(String node) {
        SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(node);
        return c == null || !c.isUp() ? 0 : c.app().pendingOps().size();
    }

    /**
     * What the author of {@code id} knows of it: the record of the first client incarnation that carried it in a
     * chain, else the latest one that knows it.
     */
    @Override
    public Optional<OpRecord> record(OpId id) {
        OpRecord found = null;
        for (List<OplogClient<TournamentState, TournamentOp>> lives : incarnations.values()) {
            for (OplogClient<TournamentState, TournamentOp> life : lives) {
                OpRecord r = life.opRecords().get(id);
                if (r != null && (found == null || (found.firstChain() == null && r.firstChain() != null))) {
                    found = r;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether every node is up and idle: nothing pending, no sync or forward in flight or waiting. */
    public boolean isIdle() {
        for (SimNode<HostedLog<TournamentState, TournamentOp>> server : servers.values()) {
            if (!server.isUp() || !server.app().isIdle()) {
                return false;
            }
        }
        for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients.values()) {
            if (!c.isUp() || !c.app().isIdle()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every log is identical, every state is the replay of its log, and nothing is pending.
     *
     * @return empty when converged, otherwise what differs
     */
    @Override
    public Optional<String> divergence() {
        OpLog<TournamentOp> reference = storeLog();
        String where = shared != null ? "the shared store" : serverName;
        for (String node : nodeNames()) {
            OpLog<TournamentOp> l = log(node);
            if (!l.equals(reference)) {
                return Optional.of(node + " has " + labels(node) + " but " + where + " has "
                        + reference.ops().map(op -> labelOf(op.id())).mkString(" "));
            }
            if (pendingOps(node) > 0) {
                return Optional.of(node + " still has " + pendingOps(node) + " pending ops");
            }
        }
        return stateMismatch();
    }

    /**
     * Checks the safety invariants, meant to run after every simulated event: no log holds an op id twice; the
     * server's log only grows by appending (with several servers: the shared store's log only grows by appending,
     * and each server's durable prefix is a prefix of it, while the ops it is committing may give way); every live
     * node's state is the replay of its log; no client believes an op is synced that the server (the store) lacks:
     * its synced part is a prefix of the reference log.
     *
     * <p>Each is checked where it can have changed, and only on what changed (see {@link LogWatch}): a node whose
     * log, state and synced tip are the same objects as at the previous call is not looked at again, and a changed
     * one costs what its change touched. So checking after every event keeps a run linear in its length.
     *
     * @return empty while they hold, otherwise the first broken one
     */
    public Optional<String> invariantViolation() {
        OpLog<TournamentOp> reference = storeLog();
        String broken = shared != null ? sharedViolation(reference) : serverViolation(reference);
        if (broken != null) {
            return Optional.of(broken);
        }
        String name = shared != null ? "the shared store" : "the server";
        for (Map.Entry<String, SimNode<OplogClient<TournamentState, TournamentOp>>> e : clients.entrySet()) {
            OplogClient<TournamentState, TournamentOp> c = e.getValue().isUp() ? e.getValue().app() : null;
            if (c == null) {
                continue;
            }
            Watched w = watched.computeIfAbsent(e.getKey(), n -> new Watched(new LogWatch<>(domain)));
            broken = w.moveTo(c.log(), c.state());
            if (broken != null) {
                return Optional.of(e.getKey() + "'s " + broken);
            }
            if (w.checkedTip == c.syncedTip() && w.checkedAgainst == reference && w.watch.unchangedPrefix()
                    == c.log().size()) {
                continue; // nothing this check reads has changed
            }
            int synced = c.log().indexOf(c.syncedTip()) + 1;
            // Already known equal to the reference: what was checked before and is unchanged on both sides (the
            // reference only grows by appending, checked above).
            int from = Math.min(w.syncedChecked, w.watch.unchangedPrefix());
            if (synced > reference.size() || !samePositions(c.log(), reference, from, synced)) {
                return Optional.of(e.getKey() + " believes " + c.log().ops().take(synced)
                        .map(op -> labelOf(op.id())).mkString(" ") + " is synced, but " + name + " has "
                        + reference.ops().map(op -> labelOf(op.id())).mkString(" "));
            }
            w.syncedChecked = synced;
            w.checkedTip = c.syncedTip();
            w.checkedAgainst = reference;
        }
        return Optional.empty();
    }

    /** One server: its log only grows by appending, and its state is the replay of its log. */
    private String serverViolation(OpLog<TournamentOp> serverLog) {
        SimNode<HostedLog<TournamentState, TournamentOp>> server = servers.get(serverName);
        Watched serverWatch = watched.computeIfAbsent(serverName, n -> new Watched(new LogWatch<>(domain)));
        if (server.isUp() && serverWatch.incarnation != server.incarnation()) {
            // A restarted server starts from its durable log: ops it had appended but not yet made durable (never
            // acknowledged) are gone, which is no violation; growth is checked within each incarnation.
            serverWatch = new Watched(new LogWatch<>(domain));
            serverWatch.incarnation = server.incarnation();
            watched.put(serverName, serverWatch);
        }
        if (server.isUp()) { // a server that is down changes nothing: its store is its own
            int before = serverWatch.log == null ? 0 : serverWatch.log.size();
            String broken = serverWatch.moveTo(serverLog, server.app().state());
            if (broken != null) {
                return serverName + "'s " + broken;
            }
            if (serverWatch.watch.unchangedPrefix() < before) {
                return "the server's log changed other than by appending: it was " + serverWatch.previous
                        .ops().map(op -> labelOf(op.id())).mkString(" ") + ", now "
                        + String.join(" ", labels(serverName));
            }
        }
        return null;
    }

    /**
     * Several servers: the store's log only grows by appending and replays; each live server's state is the replay
     * of its log, and its durable prefix is a prefix of the store's log.
     */
    private String sharedViolation(OpLog<TournamentOp> storeLog) {
        Watched storeWatch = watched.computeIfAbsent("", n -> new Watched(new LogWatch<>(domain)));
        if (storeWatch.log != storeLog) {
            int before = storeWatch.log == null ? 0 : storeWatch.log.size();
            String broken = storeWatch.watch.moveTo(storeLog);
            if (broken != null) {
                return "the shared store's " + broken;
            }
            if (storeWatch.watch.unchangedPrefix() < before) {
                return "the shared store's log changed other than by appending: it was " + storeWatch.log.ops()
                        .map(op -> labelOf(op.id())).mkString(" ") + ", now " + storeLog.ops()
                        .map(op -> labelOf(op.id())).mkString(" ");
            }
            storeWatch.previous = storeWatch.log;
            storeWatch.log = storeLog;
        }
        for (Map.Entry<String, SimNode<HostedLog<TournamentState, TournamentOp>>> e : servers.entrySet()) {
            if (!e.getValue().isUp()) {
                continue;
            }
            HostedLog<TournamentState, TournamentOp> server = e.getValue().app();
            Watched w = watched.computeIfAbsent(e.getKey(), n -> new Watched(new LogWatch<>(domain)));
            String broken = w.moveTo(server.log(), server.state());
            if (broken != null) {
                return e.getKey() + "'s " + broken;
            }
            int durable = server.durableSize();
            if (durable == w.syncedChecked && w.checkedAgainst == storeLog && w.watch.unchangedPrefix() >= durable) {
                continue;
            }
            int from = Math.min(w.syncedChecked, w.watch.unchangedPrefix());
            if (durable > storeLog.size() || !samePositions(server.log(), storeLog, from, durable)) {
                return e.getKey() + " holds " + server.log().ops().take(durable).map(op -> labelOf(op.id()))
                        .mkString(" ") + " as durable, but the shared store has " + storeLog.ops()
                        .map(op -> labelOf(op.id())).mkString(" ");
            }
            w.syncedChecked = durable;
            w.checkedAgainst = storeLog;
        }
        return null;
    }

    /** Whether two logs hold the same ops at positions {@code from} (inclusive) to {@code to} (exclusive). */
    private static boolean samePositions(OpLog<TournamentOp> a, OpLog<TournamentOp> b, int from, int to) {
        for (int i = from; i < to; i++) {
            Operation<TournamentOp> x = a.get(i);
            Operation<TournamentOp> y = b.get(i);
            if (x != y && !x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    private Optional<String> stateMismatch() {
        return invariantViolation();
    }

    /** What the invariant check knows of one node (or of the shared store, under the name {@code ""}). */
    private static final class Watched {
        final LogWatch<TournamentState, TournamentOp> watch;
        OpLog<TournamentOp> log;
        OpLog<TournamentOp> previous;
        /**
         * How many ops of the node's log (a client's synced part, a server's durable prefix) were last found equal
         * to the reference, and against which versions.
         */
        int syncedChecked;
        OpId checkedTip;
        OpLog<TournamentOp> checkedAgainst;
        /** The incarnation watched (the server's; a restart starts a new watch). */
        long incarnation = 1;

        Watched(LogWatch<TournamentState, TournamentOp> watch) {
            this.watch = watch;
        }

        /** Moves the watch to the node's log and state. */
        String moveTo(OpLog<TournamentOp> newLog, TournamentState state) {
            String broken = watch.moveTo(newLog, state);
            if (broken == null) {
                previous = log;
                log = newLog;
            }
            return broken;
        }
    }

    /**
     * One op a user tried to make.
     *
     * @param atNs when, in virtual nanoseconds
     * @param node on which node
     * @param label its label, or null
     * @param op what it does
     * @param id its id when it was made (or the label's id when it was refused)
     * @param rejected why it was refused at once, if it was
     */
    public record Submission(long atNs, String node, String label, TournamentOp op, Optional<OpId> id,
            Optional<String> rejected) { }
}
