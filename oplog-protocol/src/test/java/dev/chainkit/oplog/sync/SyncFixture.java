package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.ResponderAction;
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
import java.util.LinkedHashMap;
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
    final SimNode<HostedLog<TournamentState, TournamentOp>> server;
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
        server = sim.addNode("hq", ctx -> {
            ServerStore<TournamentOp> store = ctx.durable().get("store", () -> {
                ServerStore<TournamentOp> fresh = ServerStore.inMemory();
                io.vavr.collection.Map<NodeId, Role> members = io.vavr.collection.LinkedHashMap.of(HQ, Role.organizer());
                for (Map.Entry<String, Role> m : b.members.entrySet()) {
                    members = members.put(NodeId.of(m.getKey()), m.getValue());
                }
                fresh.loadOrCreate(LOG, GENESIS, members);
                return b.serverStore.apply(fresh);
            });
            OplogServer<TournamentState, TournamentOp> host = OplogServer.builder(ctx.node(), DOMAIN, store)
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).execution(b.execution.apply(ctx))
                    .limits(b.limits).listener(b.listener).build();
            return host.host(store.load(LOG).orElseThrow());
        });
        for (Map.Entry<String, Role> e : b.roles.entrySet()) {
            String name = e.getKey();
            DecisionPolicy<TournamentOp> policy = b.policies.get(name);
            clients.put(name, sim.addNode(name, ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(),
                    DOMAIN, LOG, new Author(name, e.getValue()), HQ,
                    ctx.durable().get("store", () -> ClientStore.inMemory(OpLog.genesis(GENESIS))), policy)));
        }
    }

    /**
     * Adds a node that runs no client, for a test to open chains from by hand; it acknowledges forwards (as applied)
     * so the server's forwards to it end.
     */
    SimNode<ChainNode> rawNode(String name) {
        return sim.addNode(name, ctx -> {
            ctx.node().register(OplogProtocols.<TournamentOp>forward(), (chain, m) -> ResponderAction.replyAndTerminate(
                    new ForwardMessage.ForwardAck<>(ForwardMessage.ForwardAck.Status.APPLIED)));
            return ctx.node();
        });
    }

    OplogClient<TournamentState, TournamentOp> client(String name) {
        return clients.get(name).app();
    }

    HostedLog<TournamentState, TournamentOp> hq() {
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
        private final Map<String, Role> members = new LinkedHashMap<>();
        private NetworkConfig network = NetworkConfig.reliable();
        private long seed = 1;
        private java.util.function.UnaryOperator<ServerStore<TournamentOp>> serverStore = s -> s;
        private SyncLimits limits = SyncLimits.defaults();
        private ServerListener listener = ServerListener.NONE;

        /** The server's sync limits. */
        Builder limits(SyncLimits l) {
            limits = l;
            return this;
        }

        /** Hears the server's refusals and commits. */
        Builder listener(ServerListener l) {
            listener = l;
            return this;
        }
        private java.util.function.Function<dev.chainkit.sim.NodeContext, StoreExecution> execution =
                ctx -> StoreExecution.onNodeThread(ctx.scheduler());

        /** Wraps the server's in-memory store (to watch or fail its calls). */
        Builder serverStore(java.util.function.UnaryOperator<ServerStore<TournamentOp>> wrap) {
            serverStore = wrap;
            return this;
        }

        /** How the server's store calls run. */
        Builder execution(java.util.function.Function<dev.chainkit.sim.NodeContext, StoreExecution> e) {
            execution = e;
            return this;
        }

        /** A member of the log that runs no client: a test drives its node by hand ({@link #rawNode}). */
        Builder member(String name, Role role) {
            members.put(name, role);
            return this;
        }

        Builder client(String name, Role role, DecisionPolicy<TournamentOp> policy) {
            roles.put(name, role);
            members.put(name, role);
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
