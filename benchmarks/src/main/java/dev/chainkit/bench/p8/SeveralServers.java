package dev.chainkit.bench.p8;

import dev.chainkit.bench.Counter;
import dev.chainkit.bench.Stats;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.store.LocalPostgres;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerListener;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P8: several servers on one PostgreSQL database. Run by {@code ./bench} in a JVM of its own; starts its own
 * PostgreSQL with {@link LocalPostgres}, as the tests do.
 * <ul>
 *   <li><b>P8a, committed ops per second with 1, 2 and 3 servers.</b> {@value #LOGS} logs in one database; each
 *   server is an {@link OplogServer} hosting all of them, with its own connection, hint listener and store thread,
 *   on the threaded in-memory network. {@value #GENERATORS} load generator nodes keep {@code C} syncs of one op in
 *   flight in all (as in P7); each generator writes its own share of the logs and syncs with one server
 *   (generator {@code g} with server {@code g mod N}), as clients spread over servers by a load balancer would. The
 *   figure is the growth of the sum of the logs' sizes in the database over the window; the three server counts run
 *   in interleaved rounds, each on a fresh database, so a noisy minute hits all three alike. Append races lost (a
 *   server's commit refused because another appended first) are counted and printed beside it.</li>
 *   <li><b>P8b, failover time.</b> Two servers on one database and one {@link OplogClient} using them in order
 *   ({@code s1}, then {@code s2}), making an op every {@value #FAILOVER_OP_MS} ms. Then {@code s1} stops answering
 *   (its node thread is held, as a process that hangs or whose host vanished: no connection reset warns the
 *   client). The figure is the time from then to the first op acknowledged through {@code s2}: the sync to
 *   {@code s1} must time out before the client moves, so it is bounded below by the chain's deadline.</li>
 * </ul>
 * Arguments: seconds per run (default 3), syncs in flight (default 96), rounds (default 3), failovers (default 3).
 *
 * <p>Thread safety: a main.
 */
public final class SeveralServers {

    private static final int LOGS = 48;
    private static final int GENERATORS = 6;
    private static final int MAX_SERVERS = 3;
    private static final long FAILOVER_OP_MS = 20;
    private static final long WAIT_S = 120;
    private static final Counter DOMAIN = new Counter();
    private static final Operation<Integer> GENESIS = new Operation<>(OpId.of("o0"), new Author("hq",
            Role.organizer()), 0, 0);

    private SeveralServers() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int syncs = args.length > 1 ? Integer.parseInt(args[1]) : 96;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int failovers = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (LocalPostgres pg = LocalPostgres.start()) {
            if (rounds > 0) {
                throughput(pg, seconds, syncs, rounds);
            }
            if (failovers > 0) {
                failover(pg, failovers);
            }
        }
    }

    // ---------------------------------------------------------------- P8a

    private static void throughput(LocalPostgres pg, double seconds, int syncs, int rounds) throws Exception {
        List<List<Double>> rates = new ArrayList<>();
        List<List<Double>> ratios = new ArrayList<>();
        long[] races = new long[MAX_SERVERS + 1];
        for (int n = 0; n <= MAX_SERVERS; n++) {
            rates.add(new ArrayList<>());
            ratios.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            double one = 0;
            for (int n = 1; n <= MAX_SERVERS; n++) {
                AtomicLong lost = new AtomicLong();
                double rate = run(pg, n, seconds, syncs, lost);
                one = n == 1 ? rate : one;
                rates.get(n).add(rate);
                ratios.get(n).add(rate / one);
                races[n] += lost.get();
            }
        }
        System.out.printf(Locale.ROOT, "P8a committed ops/s on one PostgreSQL, %d logs: 1 server %s, 2 servers %s"
                        + " (x%s), 3 servers %s (x%s); append races lost %d, %d, %d; %d syncs of one op in flight, %d"
                        + " interleaved rounds of %.0f s%n", LOGS, Stats.of(rates.get(1)).format("%.0f"),
                Stats.of(rates.get(2)).format("%.0f"), Stats.of(ratios.get(2)).format("%.2f"),
                Stats.of(rates.get(3)).format("%.0f"), Stats.of(ratios.get(3)).format("%.2f"), races[1], races[2],
                races[3], syncs, rounds, seconds);
    }

    /** One run with {@code servers} servers on a fresh database: committed ops per second. */
    private static double run(LocalPostgres pg, int servers, double seconds, int syncs, AtomicLong lost)
            throws Exception {
        String url = pg.createDatabase("p8");
        List<OplogDatabase> open = new ArrayList<>();
        List<ExecutorService> storeThreads = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ThreadedNetwork net = ThreadedNetwork.builder().build()) {
            OplogDatabase creator = OplogDatabase.postgres(url, pg.user(), pg.password());
            open.add(creator);
            for (int l = 0; l < LOGS; l++) { // each log's one member: the generator that writes it
                creator.serverStore(DOMAIN).loadOrCreate(logId(l), GENESIS, HashMap.of(generator(l % GENERATORS),
                        Role.judge()));
            }
            List<SimNode<OplogServer<Long, Integer>>> nodes = new ArrayList<>();
            for (int s = 0; s < servers; s++) {
                nodes.add(server(net, "s" + (s + 1), url, pg, open, storeThreads, lost));
            }
            for (int g = 0; g < GENERATORS; g++) {
                SimNode<ChainNode> node = net.addNode(generator(g).name(), ctx -> ctx.node());
                List<String> logs = new ArrayList<>();
                for (int l = g; l < LOGS; l += GENERATORS) {
                    logs.add(logId(l));
                }
                Load load = new Load(node.app(), nodes.get(g % servers).id(), logs, running);
                net.execute(node.id(), () -> {
                    for (int k = 0; k < syncs / GENERATORS; k++) {
                        load.sync();
                    }
                });
            }
            try (Connection c = connect(pg, url)) {
                Thread.sleep(500); // warm up
                long before = committed(c);
                long start = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                long after = committed(c);
                double elapsed = (System.nanoTime() - start) / 1e9;
                running.set(false);
                return (after - before) / elapsed;
            } finally {
                for (SimNode<OplogServer<Long, Integer>> s : nodes) {
                    net.submit(s.id(), () -> {
                        s.app().close();
                        return null;
                    }).get(WAIT_S, TimeUnit.SECONDS);
                }
            }
        } finally {
            running.set(false);
            storeThreads.forEach(ExecutorService::shutdownNow);
            open.forEach(OplogDatabase::close);
        }
    }

    /** A server with its own connection, hint listener and store thread, hosting every log of the database. */
    private static SimNode<OplogServer<Long, Integer>> server(ThreadedNetwork net, String name, String url,
            LocalPostgres pg, List<OplogDatabase> open, List<ExecutorService> storeThreads, AtomicLong lost) {
        OplogDatabase db = OplogDatabase.postgres(url, pg.user(), pg.password());
        open.add(db);
        ServerStore<Integer> store = db.serverStore(DOMAIN);
        ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-store"));
        storeThreads.add(storeThread);
        NodeId id = NodeId.of(name);
        ServerListener listener = new ServerListener() {
            @Override
            public void commitFailed(String logId, String why) {
                lost.incrementAndGet();
            }
        };
        return net.addNode(name, ctx -> {
            OplogServer<Long, Integer> server = OplogServer.builder(ctx.node(), DOMAIN, store)
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).listener(listener)
                    .execution(StoreExecution.offloaded(storeThread, task -> net.execute(id, task))).build();
            for (int l = 0; l < LOGS; l++) {
                server.host(store.load(logId(l)).orElseThrow());
            }
            return server;
        });
    }

    private static long committed(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sum(size) FROM oplog_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The clients of a load generator node: each of its sync chains carries one new op to the next of its logs in
     * turn, anchored at the newest op of that log it has seen answered; the next chain starts as soon as the answer
     * arrives. On the generator's thread only.
     */
    private static final class Load {
        private final ChainNode node;
        private final NodeId server;
        private final List<String> logs;
        private final AtomicBoolean running;
        private final Map<String, OpId> anchors = new java.util.HashMap<>();
        private long made;

        Load(ChainNode node, NodeId server, List<String> logs, AtomicBoolean running) {
            this.node = node;
            this.server = server;
            this.logs = logs;
            this.running = running;
        }

        void sync() {
            if (!running.get()) {
                return;
            }
            made++;
            String log = logs.get((int) (made % logs.size()));
            Operation<Integer> op = new Operation<>(OpId.of(node.id().name() + "p" + made),
                    new Author(node.id().name(), Role.judge()), made, (int) made);
            node.start(OplogProtocols.<Integer>sync(), server, new SyncMessage.OpSync<>(log,
                    anchors.getOrDefault(log, GENESIS.id()), Vector.of(op)), (chain, reply) -> {
                        if (reply instanceof SyncMessage.SyncSuccess<Integer> s) {
                            anchors.put(log, s.tip());
                        } else if (reply instanceof SyncMessage.SyncSuccessWithNewOps<Integer> w
                                && !w.ops().isEmpty()) {
                            anchors.put(log, w.ops().last().id());
                        } else if (!(reply instanceof SyncMessage.SyncFailed<Integer>)) { // a lost race: again
                            return InitiatorAction.fail("unexpected " + reply);
                        }
                        return InitiatorAction.complete(null);
                    }).outcome().thenAccept(outcome -> sync());
        }
    }

    // ---------------------------------------------------------------- P8b

    private static void failover(LocalPostgres pg, int rounds) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            ms.add(failoverOnce(pg));
        }
        System.out.printf(Locale.ROOT, "P8b failover (s1 stops answering, to the first op acknowledged through s2):"
                + " %s ms; one client making an op every %d ms, %d runs%n", Stats.of(ms).format("%.0f"),
                FAILOVER_OP_MS, rounds);
    }

    /** One failover: milliseconds from the moment {@code s1} stops answering to the first sync through s2. */
    private static double failoverOnce(LocalPostgres pg) throws Exception {
        String url = pg.createDatabase("p8fo");
        List<OplogDatabase> open = new ArrayList<>();
        List<ExecutorService> storeThreads = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        NodeId c = NodeId.of("c");
        try (ThreadedNetwork net = ThreadedNetwork.builder().build()) {
            OplogDatabase creator = OplogDatabase.postgres(url, pg.user(), pg.password());
            open.add(creator);
            creator.serverStore(DOMAIN).loadOrCreate("fo", GENESIS, HashMap.of(c, Role.judge()));
            List<SimNode<OplogServer<Long, Integer>>> servers = new ArrayList<>();
            for (String name : List.of("s1", "s2")) {
                OplogDatabase db = OplogDatabase.postgres(url, pg.user(), pg.password());
                open.add(db);
                ServerStore<Integer> store = db.serverStore(DOMAIN);
                ExecutorService storeThread = Executors.newSingleThreadExecutor();
                storeThreads.add(storeThread);
                NodeId id = NodeId.of(name);
                servers.add(net.addNode(name, ctx -> {
                    OplogServer<Long, Integer> s = OplogServer.builder(ctx.node(), DOMAIN, store)
                            .scheduler(ctx.scheduler()).clock(ctx.clock())
                            .execution(StoreExecution.offloaded(storeThread, task -> net.execute(id, task))).build();
                    s.host(store.load("fo").orElseThrow());
                    return s;
                }));
            }
            SimNode<OplogClient<Long, Integer>> client = net.addNode("c", ctx -> OplogClient.builder(ctx.node(),
                            DOMAIN, "fo", new Author("c", Role.judge()), ClientStore.inMemory(OpLog.genesis(GENESIS)))
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).servers(List.of(NodeId.of("s1"), NodeId.of("s2")))
                    .policy(DecisionPolicy.skip()).build());
            AtomicBoolean making = new AtomicBoolean(true);
            Thread maker = new Thread(() -> {
                int k = 0;
                while (making.get()) {
                    int n = ++k;
                    net.execute(c, () -> client.app().submit(n));
                    try {
                        Thread.sleep(FAILOVER_OP_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "p8-op-maker");
            maker.start();
            try {
                Thread.sleep(1_000); // ops flow through s1
                net.execute(servers.get(0).id(), () -> await(release)); // s1 stops answering
                long killed = System.nanoTime();
                int syncedAtKill = net.submit(c, () -> synced(client.app())).get();
                long deadline = killed + TimeUnit.SECONDS.toNanos(WAIT_S);
                while (System.nanoTime() < deadline) {
                    boolean moved = net.submit(c, () -> client.app().server().equals(NodeId.of("s2"))
                            && synced(client.app()) > syncedAtKill).get();
                    if (moved) {
                        return (System.nanoTime() - killed) / 1e6;
                    }
                    Thread.sleep(1);
                }
                throw new IllegalStateException("no sync through s2 within " + WAIT_S + " s");
            } finally {
                making.set(false);
                maker.join();
                release.countDown();
                for (SimNode<OplogServer<Long, Integer>> s : servers) {
                    net.submit(s.id(), () -> {
                        s.app().close();
                        return null;
                    }).get(WAIT_S, TimeUnit.SECONDS);
                }
            }
        } finally {
            release.countDown();
            storeThreads.forEach(ExecutorService::shutdownNow);
            open.forEach(OplogDatabase::close);
        }
    }

    /** How many ops of the client's log are acknowledged by a server. */
    private static int synced(OplogClient<Long, Integer> client) {
        return client.log().indexOf(client.syncedTip()) + 1;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String logId(int l) {
        return "t" + l;
    }

    private static NodeId generator(int g) {
        return NodeId.of("g" + g);
    }

    private static Connection connect(LocalPostgres pg, String url) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        if (pg.password() != null) {
            p.setProperty("password", pg.password());
        }
        return DriverManager.getConnection(url, p);
    }
}
