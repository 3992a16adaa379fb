package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.fault.NetworkConfig;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import io.vavr.collection.LinkedHashMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One server node hosts several tournaments: each log has its own members, syncs and forwards. */
class ManyLogsTest {

    private static final Tournament DOMAIN = new Tournament();

    private static Operation<TournamentOp> genesis(String log) {
        return new Operation<>(OpId.of("o0"), new Author("hq", Role.organizer()), 0, new TournamentOp.Create(log, "hq"));
    }

    @Test
    void twoLogsOnOneServerStayApartAndEachConvergesWithItsOwnMembers() {
        Simulation sim = Simulation.builder().seed(3).network(NetworkConfig.reliable()).build();
        ServerStore<TournamentOp> store = ServerStore.inMemory();
        store.loadOrCreate("friday", genesis("friday"), LinkedHashMap.of(NodeId.of("a"), Role.judge(),
                NodeId.of("b"), Role.judge()));
        store.loadOrCreate("saturday", genesis("saturday"), LinkedHashMap.of(NodeId.of("c"), Role.judge()));
        SimNode<OplogServer<TournamentState, TournamentOp>> hq = sim.addNode("hq", ctx -> {
            OplogServer<TournamentState, TournamentOp> server = OplogServer.builder(ctx.node(), DOMAIN, store)
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).build();
            server.host(store.load("friday").orElseThrow());
            server.host(store.load("saturday").orElseThrow());
            return server;
        });
        SimNode<OplogClient<TournamentState, TournamentOp>> a = client(sim, "a", "friday");
        SimNode<OplogClient<TournamentState, TournamentOp>> b = client(sim, "b", "friday");
        SimNode<OplogClient<TournamentState, TournamentOp>> c = client(sim, "c", "saturday");
        SimNode<OplogClient<TournamentState, TournamentOp>> intruder = client(sim, "c2", "friday");
        sim.at(Duration.ofMillis(10), () -> a.app().submit(new TournamentOp.Register("alice")));
        sim.at(Duration.ofMillis(10), () -> c.app().submit(new TournamentOp.Register("carol")));
        sim.at(Duration.ofMillis(10), () -> intruder.app().submit(new TournamentOp.Register("ivan")));
        sim.runFor(Duration.ofSeconds(5));

        OplogServer<TournamentState, TournamentOp> server = hq.app();
        assertEquals("o0 a.1", ids(server.log("friday").orElseThrow().log()));
        assertEquals("o0 c.1", ids(server.log("saturday").orElseThrow().log()));
        assertEquals(server.log("friday").orElseThrow().log(), b.app().log(), "b got friday's ops by forward");
        assertEquals(server.log("saturday").orElseThrow().log(), c.app().log());
        assertEquals("o0 c2.1", ids(intruder.app().log()), "c2 is no member of friday: its op stays pending");
        assertEquals(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER, intruder.app().lastRefusal().get().reason());
        assertTrue(server.log("sunday").isEmpty());
    }

    private static SimNode<OplogClient<TournamentState, TournamentOp>> client(Simulation sim, String name,
            String log) {
        return sim.addNode(name, ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(), DOMAIN, log,
                new Author(name, Role.judge()), SyncFixture.HQ, ClientStore.inMemory(OpLog.genesis(genesis(log))),
                DecisionPolicy.skip()));
    }

    private static String ids(OpLog<TournamentOp> log) {
        return log.ops().map(op -> op.id().value()).mkString(" ");
    }
}
