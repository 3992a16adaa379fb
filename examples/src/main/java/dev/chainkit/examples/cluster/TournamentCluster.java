package dev.chainkit.examples.cluster;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Decide;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.Decision;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tournament synced by the op-log protocol on a simulated network: one {@link OplogServer} and its
 * {@link OplogClient}s, each a node of a {@link Simulation} that keeps its store across crashes. It is what
 * {@code chainsim run} plays scenarios on and what the property checks sweep.
 *
 * <p>It remembers each op's label and what happened to it, keeps every client incarnation (so the fate of an op
 * outlives a crash of its author), and checks the protocol's invariants ({@link #invariantViolation()}).
 *
 * <p>Thread safety: not thread-safe; use on the simulation's thread.
 */
public final class TournamentCluster {

    /** The id of the one log every node keeps. */
    public static final String LOG_ID = "tournament";
    /** The genesis op's label and id. */
    public static final String GENESIS = "o0";

    private static final Tournament DOMAIN = new Tournament();

    private final Simulation sim;
    private final String serverName;
    private final SimNode<OplogServer<TournamentState, TournamentOp>> server;
    private final Map<String, SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new LinkedHashMap<>();
    private final Map<String, List<OplogClient<TournamentState, TournamentOp>>> incarnations = new LinkedHashMap<>();
    private final Map<String, OpId> idsByLabel = new LinkedHashMap<>();
    private final Map<OpId, String> labelsById = new LinkedHashMap<>();
    private final List<Submission> submissions = new ArrayList<>();
    private final Map<String, Replayed> replayed = new HashMap<>();
    private OpLog<TournamentOp> lastServerLog;

    /**
     * Adds the server and the clients to {@code sim}. Every log starts with the genesis op {@code o0}, made by
     * the server's organizer, that creates the tournament.
     *
     * @param sim the simulation to add the nodes to
     * @param serverSpec the server
     * @param clientSpecs the clients, with their users' roles and decision habits
     */
    public TournamentCluster(Simulation sim, ServerSpec serverSpec, List<ClientSpec> clientSpecs) {
        this(sim, serverSpec, clientSpecs, ClusterStores.inMemory());
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
        Objects.requireNonNull(stores, "stores");
        this.sim = Objects.requireNonNull(sim, "sim");
        this.serverName = serverSpec.name();
        Operation<TournamentOp> genesis = new Operation<>(OpId.of(GENESIS), new Author(serverName, Role.organizer()),
                0, new TournamentOp.Create(LOG_ID, serverName));
        idsByLabel.put(GENESIS, genesis.id());
        labelsById.put(genesis.id(), GENESIS);
        NodeId serverId = NodeId.of(serverName);
        List<NodeId> clientIds = clientSpecs.stream().map(c -> NodeId.of(c.name())).toList();
        server = sim.addNode(serverName, ctx -> new OplogServer<>(ctx.node(), ctx.scheduler(), ctx.clock(), DOMAIN,
                LOG_ID, new Author(serverName, serverSpec.role()),
                stores.server(ctx, LOG_ID, genesis), clientIds));
        for (ClientSpec spec : clientSpecs) {
            DecisionPolicy<TournamentOp> policy = DecisionPolicy.of(
                    spec.decide() == Decide.PURGE ? Decision::purge : Decision::skip, spec.think());
            List<OplogClient<TournamentState, TournamentOp>> lives = new ArrayList<>();
            incarnations.put(spec.name(), lives);
            clients.put(spec.name(), sim.addNode(spec.name(), ctx -> {
                OplogClient<TournamentState, TournamentOp> client = new OplogClient<>(ctx.node(), ctx.scheduler(),
                        ctx.clock(), DOMAIN, LOG_ID, new Author(spec.name(), spec.role()), serverId,
                        stores.client(ctx, LOG_ID, genesis), policy);
                lives.add(client);
                return client;
            }));
        }
        sim.quietWhen(this::isIdle);
    }

    /** The domain every node folds its log with. */
    public static Tournament domain() {
        return DOMAIN;
    }

    /** The server's node name. */
    public String serverName() {
        return serverName;
    }

    /** Every node's name, the server first. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        names.add(serverName);
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
        if (node.equals(serverName)) {
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
    public Optional<OpId> idOf(String label) {
        return Optional.ofNullable(idsByLabel.get(label));
    }

    /** The label of an op, or its id when it has none. */
    public String labelOf(OpId id) {
        return labelsById.getOrDefault(id, id.value());
    }

    /** The log of {@code node}: its live incarnation's, or what its store kept while it is down. */
    @SuppressWarnings("unchecked")
    public OpLog<TournamentOp> log(String node) {
        if (node.equals(serverName)) {
            return server.isUp() ? server.app().log()
                    : ((ServerStore<TournamentOp>) server.durable().find(ClusterStores.KEY).orElseThrow()).load(LOG_ID)
                            .orElseThrow().log();
        }
        SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(node);
        return c.isUp() ? c.app().log()
                : ((ClientStore<TournamentOp>) c.durable().find(ClusterStores.KEY).orElseThrow()).log();
    }

    /** The log of {@code node} as labels. */
    public List<String> labels(String node) {
        return log(node).ops().map(op -> labelOf(op.id())).toJavaList();
    }

    /** Ops a client still holds unsynced (0 for the server or a node that is down). */
    public int pendingOps(String node) {
        SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(node);
        return c == null || !c.isUp() ? 0 : c.app().pendingOps().size();
    }

    /**
     * What the author of {@code id} knows of it: the record of the first client incarnation that carried it in a
     * chain, else the latest one that knows it.
     */
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
        if (!server.isUp() || !server.app().isIdle()) {
            return false;
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
    public Optional<String> divergence() {
        OpLog<TournamentOp> reference = log(serverName);
        for (String node : nodeNames()) {
            OpLog<TournamentOp> l = log(node);
            if (!l.equals(reference)) {
                return Optional.of(node + " has " + labels(node) + " but " + serverName + " has "
                        + labels(serverName));
            }
            if (pendingOps(node) > 0) {
                return Optional.of(node + " still has " + pendingOps(node) + " pending ops");
            }
        }
        return stateMismatch();
    }

    /**
     * Checks the safety invariants, meant to run after every simulated event: the server's log only grows by
     * appending; every live node's state is the replay of its log; no client believes an op is synced that the
     * server lacks (its synced part is a prefix of the server's log). A log never holds an op id twice by
     * construction ({@link OpLog} refuses it).
     *
     * @return empty while they hold, otherwise the first broken one
     */
    public Optional<String> invariantViolation() {
        OpLog<TournamentOp> serverLog = log(serverName);
        if (serverLog != lastServerLog) {
            if (lastServerLog != null && (serverLog.size() < lastServerLog.size()
                    || !serverLog.ops().take(lastServerLog.size()).equals(lastServerLog.ops()))) {
                return Optional.of("the server's log changed other than by appending: it was " + lastServerLog.ops()
                        .map(op -> labelOf(op.id())).mkString(" ") + ", now " + String.join(" ", labels(serverName)));
            }
            lastServerLog = serverLog;
        }
        for (Map.Entry<String, SimNode<OplogClient<TournamentState, TournamentOp>>> e : clients.entrySet()) {
            if (!e.getValue().isUp()) {
                continue;
            }
            OplogClient<TournamentState, TournamentOp> c = e.getValue().app();
            int synced = c.log().indexOf(c.syncedTip()) + 1;
            if (synced > serverLog.size() || !c.log().ops().take(synced).equals(serverLog.ops().take(synced))) {
                return Optional.of(e.getKey() + " believes " + c.log().ops().take(synced)
                        .map(op -> labelOf(op.id())).mkString(" ") + " is synced, but the server has "
                        + String.join(" ", labels(serverName)));
            }
        }
        return stateMismatch();
    }

    private Optional<String> stateMismatch() {
        if (server.isUp() && !isReplayOf(serverName, server.app().log(), server.app().state())) {
            return Optional.of(serverName + "'s state is not the replay of its log");
        }
        for (Map.Entry<String, SimNode<OplogClient<TournamentState, TournamentOp>>> e : clients.entrySet()) {
            OplogClient<TournamentState, TournamentOp> c = e.getValue().app();
            if (c != null && !isReplayOf(e.getKey(), c.log(), c.state())) {
                return Optional.of(e.getKey() + "'s state is not the replay of its log");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code state} is the replay of {@code log}. Logs and states are immutable, so a pair already found
     * to match (the same two objects) is not replayed again: the check after every event stays cheap.
     */
    private boolean isReplayOf(String node, OpLog<TournamentOp> log, TournamentState state) {
        Replayed last = replayed.get(node);
        if (last != null && last.log() == log && last.state() == state) {
            return true;
        }
        if (!DOMAIN.replay(log).equals(state)) {
            return false;
        }
        replayed.put(node, new Replayed(log, state));
        return true;
    }

    /** A log and a state found to be its replay, compared by identity. */
    private record Replayed(OpLog<TournamentOp> log, TournamentState state) { }

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
