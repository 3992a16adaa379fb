package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The op-log server and clients running on the real stores: SQLite in the simulator, PostgreSQL for real. */
class StoredSyncTest {

    private static final String LOG = "friday";
    private static final List<NodeId> CLIENTS = List.of(NodeId.of("c1"), NodeId.of("c2"), NodeId.of("c3"));

    @TempDir
    Path folder;

    private static TournamentOp register(String name) {
        return TournamentOp.parse("register " + name).get();
    }

    /** Opens the node's SQLite file, closing the crashed incarnation's connection first, as a new process would. */
    private OplogDatabase reopen(NodeContext ctx, List<OplogDatabase> open) {
        ctx.durable().<OplogDatabase>find("db").ifPresent(crashed -> {
            crashed.close();
            open.remove(crashed);
        });
        OplogDatabase db = OplogDatabase.sqlite(folder.resolve(ctx.id().name() + ".db"));
        ctx.durable().put("db", db);
        open.add(db);
        return db;
    }

    @Test
    void serverAndClientsOnSqliteConvergeAcrossCrashesInTheSimulator() {
        List<OplogDatabase> open = new ArrayList<>();
        try {
            Simulation sim = Simulation.builder().seed(12).build();
            SimNode<HostedLog<TournamentState, TournamentOp>> hq = sim.addNode("hq", ctx -> Ops.host(ctx,
                    reopen(ctx, open).serverStore(Ops.DOMAIN), LOG, CLIENTS,
                    StoreExecution.onNodeThread(ctx.scheduler())));
            List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new ArrayList<>();
            for (NodeId id : CLIENTS) {
                clients.add(sim.addNode(id.name(), ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(),
                        Ops.DOMAIN, LOG, new Author(id.name(), Role.judge()), NodeId.of("hq"),
                        reopen(ctx, open).clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG)), DecisionPolicy.skip())));
            }
            for (int i = 0; i < 10; i++) {
                int k = i;
                sim.at(Duration.ofMillis(10L * i), () -> clients.get(k % 3).app().submit(register("p" + k)));
            }
            sim.at(Duration.ofMillis(45), () -> sim.crash(NodeId.of("hq")));
            sim.at(Duration.ofMillis(95), () -> sim.crash(NodeId.of("c2"))); // with pending ops, maybe
            sim.at(Duration.ofSeconds(3), () -> sim.restart(NodeId.of("hq")));
            sim.at(Duration.ofSeconds(4), () -> sim.restart(NodeId.of("c2")));
            sim.quietWhen(() -> hq.isUp() && hq.app().isIdle() && clients.stream().allMatch(c -> c.isUp()
                    && c.app().isIdle()));
            assertTrue(sim.runUntilQuiet(Duration.ofMinutes(5)).quiet(), sim::pending);

            OpLog<TournamentOp> log = hq.app().log();
            assertEquals(11, log.size(), "every op made is on the server once: " + log);
            for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients) {
                assertEquals(log, c.app().log(), c.id() + "'s log");
            }
            OplogDatabase hqFile = hq.durable().<OplogDatabase>find("db").orElseThrow();
            assertEquals(log, hqFile.serverStore(Ops.DOMAIN).load(LOG).orElseThrow().log(), "what the file holds");
        } finally {
            open.forEach(OplogDatabase::close);
        }
    }

    @Test
    void aServerOnPostgresWithAStoreThreadAndClientsOnBothStoresConvergeOnTheThreadedNetwork() throws Exception {
        LocalPostgres pg = LocalPostgres.shared();
        ExecutorService storeThread = Executors.newSingleThreadExecutor();
        List<OplogDatabase> open = new ArrayList<>();
        try (OplogDatabase serverDb = pg.openStore("sync"); ThreadedNetwork net = ThreadedNetwork.builder().build()) {
            ServerStore<TournamentOp> store = serverDb.serverStore(Ops.DOMAIN);
            store.loadOrCreate(LOG, Ops.genesis(LOG));
            NodeId hqId = NodeId.of("hq");
            SimNode<HostedLog<TournamentState, TournamentOp>> hq = net.addNode("hq", ctx -> Ops.host(ctx, store, LOG,
                    CLIENTS, StoreExecution.offloaded(storeThread, task -> net.execute(hqId, task))));
            List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new ArrayList<>();
            for (NodeId id : CLIENTS) { // c1 and c2 on SQLite files, c3 on PostgreSQL
                OplogDatabase db = id.name().equals("c3") ? pg.openStore("client")
                        : OplogDatabase.sqlite(folder.resolve(id.name() + ".db"));
                open.add(db);
                clients.add(net.addNode(id.name(), ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(),
                        Ops.DOMAIN, LOG, new Author(id.name(), Role.judge()), hqId,
                        db.clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG)), DecisionPolicy.skip())));
            }
            for (int i = 0; i < 60; i++) {
                SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(i % 3);
                String name = "p" + i;
                net.execute(c.id(), () -> c.app().submit(register(name)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean converged = false;
            while (!converged && System.nanoTime() < deadline) {
                Thread.sleep(20);
                OpLog<TournamentOp> log = net.submit(hqId, () -> hq.app().isIdle() ? hq.app().log() : null).get();
                converged = log != null && log.size() == 61;
                for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients) {
                    converged &= net.submit(c.id(), () -> c.app().isIdle() && c.app().log().equals(log)).get();
                }
            }
            assertTrue(converged, "the nodes converged on the 60 ops within a minute");
            OpLog<TournamentOp> log = net.submit(hqId, () -> hq.app().log()).get();
            assertEquals(log, store.load(LOG).orElseThrow().log(), "PostgreSQL holds the server's log");
        } finally {
            storeThread.shutdownNow();
            open.forEach(OplogDatabase::close);
        }
    }
}
