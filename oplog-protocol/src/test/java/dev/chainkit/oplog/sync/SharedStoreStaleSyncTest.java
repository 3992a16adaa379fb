package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import io.vavr.collection.HashMap;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Vector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On a shared store, a server does not take up an old chain of c1 that another server already took up (and whose op
 * c1's user dropped), although its own view never heard of that server's mark: the store refuses a mark that is not
 * newer than its own ({@link AppendConflict.MarkTaken}), and the chain is answered "sync failed" with nothing of it
 * applied. Found by review, when the store merged marks by max: no restart was needed to bring the op back.
 */
class SharedStoreStaleSyncTest {

    private static final String LOG = "friday";
    private static final Tournament DOMAIN = new Tournament();
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C1 = NodeId.of("c1");
    private static final NodeId C2 = NodeId.of("c2");

    /** One in-memory store two servers share; hints as the JDBC stores send them (ops or servers, not marks). */
    private static final class Shared implements ServerStore<TournamentOp> {
        private final ServerStore<TournamentOp> db;
        private final List<HintListener> listeners;
        private final HintListener[] mine = new HintListener[1];

        Shared(ServerStore<TournamentOp> db, List<HintListener> listeners) {
            this.db = db;
            this.listeners = listeners;
        }

        @Override
        public Optional<StoredLog<TournamentOp>> load(String logId) {
            return db.load(logId);
        }

        @Override
        public Optional<LogTail<TournamentOp>> tail(String logId, int from) {
            return db.tail(logId, from);
        }

        @Override
        public Optional<AppendConflict> commit(List<LogAppend<TournamentOp>> appends) {
            Optional<AppendConflict> c = db.commit(appends);
            if (c.isEmpty()) {
                for (LogAppend<TournamentOp> a : appends) {
                    if (!a.ops().isEmpty() || !a.servedBy().isEmpty()) {
                        for (HintListener l : List.copyOf(listeners)) {
                            if (l != mine[0]) {
                                l.hint(a.logId(), a.sizeAfter());
                            }
                        }
                    }
                }
            }
            return c;
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public HintSubscription listen(HintListener listener) {
            mine[0] = listener;
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    private static Operation<TournamentOp> op(String id, String author, Role role, String text) {
        return new Operation<>(OpId.of(id), new Author(author, role), 0,
                TournamentOp.parse(text).getOrElseThrow(m -> new IllegalArgumentException(m)));
    }

    @Test
    void anOldChainAlreadyTakenUpByAnotherServerIsNotTakenUpAgain() {
        Simulation sim = Simulation.builder().seed(1).network(NetworkConfig.reliable()).build();
        ServerStore<TournamentOp> db = ServerStore.inMemory();
        Operation<TournamentOp> o0 = new Operation<>(OpId.of("o0"), new Author("a", Role.organizer()), 0,
                new TournamentOp.Create(LOG, "a"));
        db.loadOrCreate(LOG, o0, LinkedHashMap.of(A, Role.organizer(), B, Role.organizer(), C1, Role.organizer(),
                C2, Role.judge()));
        Vector<Operation<TournamentOp>> players = Vector.of(op("r1", "c1", Role.organizer(), "register p1"),
                op("r2", "c1", Role.organizer(), "register p2"));
        db.commit(List.of(new LogAppend<>(LOG, 1, players, HashMap.empty(), HashMap.empty(),
                HashMap.of(C1, B, C2, A))));
        OpLog<TournamentOp> start = OpLog.genesis(o0).appendAll(players);
        List<HintListener> listeners = new ArrayList<>();

        java.util.Map<String, SimNode<HostedLog<TournamentState, TournamentOp>>> servers = new java.util.HashMap<>();
        for (NodeId s : List.of(A, B)) {
            servers.put(s.name(), sim.addNode(s.name(), ctx -> {
                ServerStore<TournamentOp> store = new Shared(db, listeners);
                return OplogServer.builder(ctx.node(), DOMAIN, store).scheduler(ctx.scheduler()).clock(ctx.clock())
                        .execution(StoreExecution.onNodeThread(ctx.scheduler())).build()
                        .host(store.load(LOG).orElseThrow());
            }));
        }
        SimNode<OplogClient<TournamentState, TournamentOp>> c1 = sim.addNode("c1", ctx -> OplogClient.builder(
                ctx.node(), DOMAIN, LOG, new Author("c1", Role.organizer()), ctx.durable().get("store",
                () -> ClientStore.inMemory(start))).scheduler(ctx.scheduler()).clock(ctx.clock())
                .servers(List.of(B, A)).policy(DecisionPolicy.skip()).build());
        SimNode<OplogClient<TournamentState, TournamentOp>> c2 = sim.addNode("c2", ctx -> OplogClient.builder(
                ctx.node(), DOMAIN, LOG, new Author("c2", Role.judge()), ctx.durable().get("store",
                () -> ClientStore.inMemory(start))).scheduler(ctx.scheduler()).clock(ctx.clock())
                .servers(List.of(A)).policy(DecisionPolicy.skip()).build());
        HostedLog<TournamentState, TournamentOp> a = servers.get("a").app();
        sim.runFor(Duration.ofMillis(100));

        // every copy of c1's sync to a is held 5 s (a is cut off, as c1's owner sees it)
        sim.addRule(FaultRule.delay(50, "OpSync", C1, A, Duration.ofSeconds(5)));
        a.submit(OpId.of("d"), TournamentOp.parse("drop p2").get());         // a's organizer drops p2
        c1.app().submit(OpId.of("s"), TournamentOp.parse("start").get());   // c1 starts: applies on c1 (2 players)
        c1.app().moveTo(A);                                                  // chain n: OpSync(r2, [s]) to a, held
        sim.runFor(Duration.ofMillis(10));
        c1.app().moveTo(B);                          // the owner gives a up: chain n+1 to b, which takes it up
        sim.runFor(Duration.ofSeconds(1));
        assertEquals(OpFate.DROPPED, c1.app().opRecords().get(OpId.of("s")).fate(), "c1's user dropped s");

        c2.app().submit(OpId.of("r3"), TournamentOp.parse("register p3").get()); // via a: now s would apply
        sim.runFor(Duration.ofSeconds(1));
        sim.runFor(Duration.ofSeconds(10));                                    // the held copies reach a

        String stored = db.load(LOG).orElseThrow().log().ops().map(o -> o.id().value()).mkString(" ");
        String seen = "store: " + stored + "; a: " + a.log().ops().map(o -> o.id().value()).mkString(" ")
                + "; c1: " + c1.app().log().ops().map(o -> o.id().value()).mkString(" ") + "; s on c1: "
                + c1.app().opRecords().get(OpId.of("s")) + "; marks in store: " + db.load(LOG).get().syncMarks();
        assertEquals("o0 r1 r2 d r3", stored, "the op c1's user dropped stays out of the log; " + seen);
    }
}
