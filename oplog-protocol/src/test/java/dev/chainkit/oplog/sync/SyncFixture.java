package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.NetworkConfig;
import io.vavr.control.Either;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tournament synced between a server {@code hq} and clients on the simulator: the protocol's tests drive it
 * op by op and fault by fault.
 */
final class SyncFixture {

    static final String LOG = "friday";
    static final Tournament DOMAIN = new Tournament();
    static final Operation<TournamentOp> GENESIS = new Operation<>(OpId.of("o0"),
            new Author("hq", Role.organizer()), 0, new TournamentOp.Create(LOG, "hq"));
    static final NodeId HQ = NodeId.of("hq");

    final Simulation sim;
    final SimNode<OplogServer<TournamentState, TournamentOp>> server;
    final Map<String, SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new LinkedHashMap<>();

    /** A fixture with judge clients of the given names, a reliable 1 ms network and the default settings. */
    static SyncFixture judges(String... names) {
        Builder b = new Builder();
        for (String n : names) {
            b.client(n, Role.judge(), DecisionPolicy.skip());
        }
        return b.build();
    }

    private SyncFixture(Builder b) {
        sim = Simulation.builder().seed(b.seed).network(b.network).build();
        List<NodeId> clientIds = new ArrayList<>();
        for (String name : b.roles.keySet()) {
            clientIds.add(NodeId.of(name));
        }
        server = sim.addNode("hq", ctx -> new OplogServer<>(ctx.node(), ctx.scheduler(), ctx.clock(), DOMAIN, LOG,
                new Author("hq", Role.organizer()),
                ctx.durable().get("store", () -> ServerStore.inMemory(OpLog.genesis(GENESIS))), clientIds));
        for (Map.Entry<String, Role> e : b.roles.entrySet()) {
            String name = e.getKey();
            DecisionPolicy<TournamentOp> policy = b.policies.get(name);
            clients.put(name, sim.addNode(name, ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(),
                    DOMAIN, LOG, new Author(name, e.getValue()), HQ,
                    ctx.durable().get("store", () -> ClientStore.inMemory(OpLog.genesis(GENESIS))), policy)));
        }
    }

    OplogClient<TournamentState, TournamentOp> client(String name) {
        return clients.get(name).app();
    }

    OplogServer<TournamentState, TournamentOp> hq() {
        return server.app();
    }

    ChainNode chainNode(String name) {
        return name.equals("hq") ? server.chainNode() : clients.get(name).chainNode();
    }

    /** Makes an op now on {@code node} (a client or {@code hq}), labelled {@code label}. */
    Either<OpError, Operation<TournamentOp>> op(String node, String label, String text) {
        TournamentOp payload = TournamentOp.parse(text).getOrElseThrow(msg -> new IllegalArgumentException(msg));
        return node.equals("hq") ? hq().submit(OpId.of(label), payload)
                : client(node).submit(OpId.of(label), payload);
    }

    /** Schedules an op at {@code ms} milliseconds of virtual time. */
    void at(long ms, String node, String label, String text) {
        sim.at(Duration.ofMillis(ms), () -> op(node, label, text));
    }

    /** Runs until quiet (asserting it gets there within a virtual minute). */
    RunResult settle() {
        sim.quietWhen(() -> hq() != null && hq().isIdle()
                && clients.values().stream().allMatch(c -> c.app() != null && c.app().isIdle()));
        RunResult r = sim.runUntilQuiet(Duration.ofMinutes(1));
        assertTrue(r.quiet(), () -> "not quiet: " + r.pending());
        return r;
    }

    /** The labels of a node's log, space-separated. */
    String labels(String node) {
        OpLog<TournamentOp> l = node.equals("hq") ? hq().log() : client(node).log();
        return l.ops().map(op -> op.id().value()).mkString(" ");
    }

    /** Asserts every node's log reads {@code expected} and every state is the replay of its log. */
    void assertAllLogs(String expected) {
        assertEquals(expected, labels("hq"), "hq");
        assertEquals(DOMAIN.replay(hq().log()), hq().state());
        for (String c : clients.keySet()) {
            assertEquals(expected, labels(c), c);
            assertEquals(DOMAIN.replay(client(c).log()), client(c).state(), c + " state");
            assertTrue(client(c).pendingOps().isEmpty(), c + " has pending ops");
        }
    }

    long sent(String kind) {
        return sim.counters().of(kind).sent();
    }

    static final class Builder {
        private final Map<String, Role> roles = new LinkedHashMap<>();
        private final Map<String, DecisionPolicy<TournamentOp>> policies = new LinkedHashMap<>();
        private NetworkConfig network = NetworkConfig.reliable();
        private long seed = 1;

        Builder client(String name, Role role, DecisionPolicy<TournamentOp> policy) {
            roles.put(name, role);
            policies.put(name, policy);
            return this;
        }

        Builder network(NetworkConfig n) {
            network = n;
            return this;
        }

        Builder seed(long s) {
            seed = s;
            return this;
        }

        SyncFixture build() {
            return new SyncFixture(this);
        }
    }
}
