package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerListener;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SubscribeMessage;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two or three {@link OplogServer}s on one real PostgreSQL database, each with its own connection, hint listener
 * and store thread, and their clients on the threaded network: an append race lost by one server is answered as the
 * protocol says ("sync failed, new operations available", the op rebased and synced once); a hint lost with the
 * listener's connection is made good when the listener comes back and reads the heads; a client that moves to
 * another server is caught up from its cursor, with every op once.
 */
class SeveralServersOnPostgresTest {

    private static final String LOG = "friday";
    private static final long WAIT_S = 30;
    private static final NodeId C1 = NodeId.of("c1");
    private static final NodeId C2 = NodeId.of("c2");

    private final LocalPostgres pg = LocalPostgres.shared();
    private final List<OplogDatabase> open = new ArrayList<>();
    private final List<ExecutorService> storeThreads = new ArrayList<>();
    private final List<String> commitFailures = new CopyOnWriteArrayList<>();
    private String url;
    private ServerStore<TournamentOp> store;
    private ThreadedNetwork net;

    @BeforeEach
    void open() {
        url = pg.createDatabase("servers");
        store = database().serverStore(Ops.DOMAIN);
        net = ThreadedNetwork.builder().build();
    }

    @AfterEach
    void close() {
        try {
            net.close();
        } finally {
            storeThreads.forEach(ExecutorService::shutdownNow);
            open.forEach(OplogDatabase::close);
        }
    }

    @Test
    void aServerThatLosesTheAppendRaceAnswersSyncFailedNewOpsAndTheOpLandsOnce() throws Exception {
        SimNode<HostedLog<TournamentState, TournamentOp>> s1 = server("s1");
        SimNode<HostedLog<TournamentState, TournamentOp>> s2 = server("s2");
        SimNode<OplogClient<TournamentState, TournamentOp>> c1 = client(C1, "s1");
        SimNode<OplogClient<TournamentState, TournamentOp>> c2 = client(C2, "s2");
        awaitConverged(List.of(s1, s2), List.of(c1, c2), 1);

        withoutListeners(() -> { // s2 hears nothing of a1, by notification or by poll
            on(c1, () -> c1.app().submit(OpId.of("a1"), register("alice")));
            awaitTrue(() -> stored().log().size() == 2, "a1 is committed through s1");
            on(c2, () -> c2.app().submit(OpId.of("b1"), register("bob"))); // s2 appends it where a1 is
            awaitTrue(() -> stored().log().size() == 3, "b1 is committed through s2 after all");
        });
        OpLog<TournamentOp> log = awaitConverged(List.of(s1, s2), List.of(c1, c2), 3);
        assertEquals(List.of("o0", "a1", "b1"), ids(log), "b1 was rebased after a1 and landed once");
        assertTrue(commitFailures.contains("s2: another server appended first"), "s2 lost the race: "
                + commitFailures);
        OpRecord b1 = on(c2, () -> c2.app().opRecords().get(OpId.of("b1")));
        // the chain's mark was lost with b1 in the race: once it is durable (staged again), the chain is answered
        // "sync failed, new operations available" as its reply, no longer by a supersede (SyncResponder)
        assertEquals("completed", b1.firstOutcome(), "b1's first sync was answered: sync failed, new operations "
                + "available; " + b1);
    }

    @Test
    void aHintLostWithTheListenersConnectionIsMadeGoodWhenTheListenerReadsTheHeadsAgain() throws Exception {
        SimNode<HostedLog<TournamentState, TournamentOp>> s1 = server("s1");
        SimNode<HostedLog<TournamentState, TournamentOp>> s2 = server("s2");
        SimNode<OplogClient<TournamentState, TournamentOp>> c1 = client(C1, "s1");
        SimNode<OplogClient<TournamentState, TournamentOp>> c2 = client(C2, "s2");
        awaitConverged(List.of(s1, s2), List.of(c1, c2), 1);

        withoutListeners(() -> {
            on(c1, () -> c1.app().submit(OpId.of("a1"), register("alice")));
            awaitTrue(() -> stored().log().size() == 2, "a1 is committed through s1");
            Thread.sleep(PostgresHints.POLL_MS + 1_000); // a poll would have found it, had s2 a listener
            assertEquals(1, (int) on(c2, () -> c2.app().log().size()), "s2 heard nothing: the hint is lost");
        });
        OpLog<TournamentOp> log = awaitConverged(List.of(s1, s2), List.of(c1, c2), 2);
        assertEquals(List.of("o0", "a1"), ids(log), "s2 read the heads again and forwarded a1 to c2");
    }

    @Test
    void aClientThatMovesToAnotherServerIsCaughtUpFromItsCursorWithEveryOpOnce() throws Exception {
        SimNode<HostedLog<TournamentState, TournamentOp>> s1 = server("s1");
        SimNode<HostedLog<TournamentState, TournamentOp>> s2 = server("s2");
        SimNode<HostedLog<TournamentState, TournamentOp>> s3 = server("s3");
        SimNode<OplogClient<TournamentState, TournamentOp>> c1 = client(C1, "s1", "s2", "s3");
        SimNode<OplogClient<TournamentState, TournamentOp>> c2 = client(C2, "s3");
        List<SimNode<HostedLog<TournamentState, TournamentOp>>> servers = List.of(s1, s2, s3);
        List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients = List.of(c1, c2);
        for (int i = 0; i < 5; i++) {
            String name = "a" + i;
            on(c1, () -> c1.app().submit(OpId.of(name), register(name)));
        }
        awaitConverged(servers, clients, 6);

        CountDownLatch release = new CountDownLatch(1);
        net.execute(s1.id(), () -> awaitQuietly(release)); // s1 stops answering: c1 falls behind
        try {
            for (int i = 0; i < 5; i++) {
                String name = "b" + i;
                on(c2, () -> c2.app().submit(OpId.of(name), register(name)));
            }
            awaitTrue(() -> stored().log().size() == 11, "c2's ops are committed through s3");
            assertEquals(6, (int) on(c1, () -> c1.app().log().size()), "c1 got none of them from s1");
            on(c1, () -> {
                c1.app().moveTo(NodeId.of("s2"));
                return null;
            });
            awaitTrue(() -> on(c1, () -> c1.app().log().size() == 11 && c1.app().isIdle()),
                    "s2 caught c1 up while s1 is stuck");
        } finally {
            release.countDown();
        }
        OpLog<TournamentOp> log = awaitConverged(servers, clients, 11);
        assertEquals(11, new HashSet<>(ids(log)).size(), "every op once: " + ids(log));
        StoredLog<TournamentOp> stored = stored();
        assertEquals(NodeId.of("s2"), stored.servedBy().get(C1).get(), "s2 serves c1 now");
        on(c2, () -> c2.app().submit(OpId.of("b5"), register("b5")));
        log = awaitConverged(servers, clients, 12);
        assertEquals(ids(log), on(c1, () -> ids(c1.app().log())), "s2 forwards c2's next op to c1");
    }

    private interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} while no server listens: new connections to the database are refused and the listeners'
     * connections are ended (the servers' store connections stay), so every notification sent meanwhile is lost and
     * no head is polled; then lets the listeners connect again.
     */
    private void withoutListeners(Body body) throws Exception {
        adminOfServer("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS false");
        try {
            String listeners = "FROM pg_stat_activity WHERE application_name = '" + PostgresHints.APPLICATION_NAME
                    + "' AND datname = '" + databaseName() + "'";
            adminOfServer("SELECT pg_terminate_backend(pid) " + listeners);
            awaitTrue(() -> adminCount("SELECT count(*) " + listeners) == 0, "the listeners are gone");
            body.run();
        } finally {
            adminOfServer("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS true");
        }
    }

    private SimNode<HostedLog<TournamentState, TournamentOp>> server(String name) {
        ServerStore<TournamentOp> own = database().serverStore(Ops.DOMAIN);
        ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-store"));
        storeThreads.add(storeThread);
        NodeId id = NodeId.of(name);
        Map<NodeId, Role> members = LinkedHashMap.of(NodeId.of("hq"), Role.organizer(), C1, Role.judge(), C2,
                Role.judge());
        ServerListener listener = new ServerListener() {
            @Override
            public void commitFailed(String logId, String why) {
                commitFailures.add(name + ": " + why);
            }
        };
        return net.addNode(name, ctx -> {
            StoredLog<TournamentOp> stored = own.loadOrCreate(LOG, Ops.genesis(LOG), members);
            HostedLog<TournamentState, TournamentOp> hosted = OplogServer.builder(ctx.node(), Ops.DOMAIN, own)
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).listener(listener)
                    .execution(StoreExecution.offloaded(storeThread, task -> net.execute(id, task))).build()
                    .host(stored);
            members.forEach(hosted::join);
            return hosted;
        });
    }

    /** A client that uses {@code servers} in this order and subscribes through the first, as a real one does. */
    private SimNode<OplogClient<TournamentState, TournamentOp>> client(NodeId id, String... servers)
            throws Exception {
        List<NodeId> uses = java.util.Arrays.stream(servers).map(NodeId::of).toList();
        SimNode<OplogClient<TournamentState, TournamentOp>> client = net.addNode(id.name(), ctx -> {
            OplogClient<TournamentState, TournamentOp> c = OplogClient.builder(ctx.node(), Ops.DOMAIN, LOG,
                            new Author(id.name(), Role.judge()), ClientStore.inMemory(OpLog.genesis(Ops.genesis(LOG))))
                    .scheduler(ctx.scheduler()).clock(ctx.clock()).servers(uses).policy(DecisionPolicy.skip()).build();
            ctx.node().start(OplogProtocols.<TournamentOp>subscribe(), uses.get(0),
                    new SubscribeMessage.Subscribe<TournamentOp>(LOG), (chain, reply) -> InitiatorAction
                            .<SubscribeMessage<TournamentOp>, SubscribeMessage<TournamentOp>>complete(reply));
            return c;
        });
        awaitTrue(() -> stored().servedBy().get(id).contains(uses.get(0)), id + " subscribed through " + uses.get(0));
        return client;
    }

    /** Waits until the store holds {@code size} ops and every server and client is idle with the store's log. */
    private OpLog<TournamentOp> awaitConverged(List<SimNode<HostedLog<TournamentState, TournamentOp>>> servers,
            List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients, int size) throws Exception {
        awaitTrue(() -> {
            OpLog<TournamentOp> log = stored().log();
            boolean same = log.size() == size;
            for (SimNode<HostedLog<TournamentState, TournamentOp>> s : servers) {
                same &= on(s, () -> s.app().isIdle() && s.app().log().equals(log));
            }
            for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients) {
                same &= on(c, () -> c.app().isIdle() && c.app().log().equals(log));
            }
            return same;
        }, "every server and client holds the store's " + size + " ops");
        return stored().log();
    }

    private StoredLog<TournamentOp> stored() {
        return store.load(LOG).orElseThrow();
    }

    private <T> T on(SimNode<?> node, Callable<T> task) throws Exception {
        return net.submit(node.id(), task).get(WAIT_S, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!check.holds()) {
            assertFalse(System.nanoTime() > deadline, "not within " + WAIT_S + " s: " + what);
            Thread.sleep(20);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TournamentOp register(String name) {
        return TournamentOp.parse("register " + name).get();
    }

    private static List<String> ids(OpLog<TournamentOp> log) {
        return log.ops().map(Operation::id).map(OpId::value).toJavaList();
    }

    private OplogDatabase database() {
        OplogDatabase db = OplogDatabase.postgres(url, pg.user(), pg.password());
        open.add(db);
        return db;
    }

    private String databaseName() {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private long adminCount(String sql) throws Exception {
        try (Connection c = connect(postgresDatabase()); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code sql} from the server's {@code postgres} database (a database cannot lock itself out). */
    private void adminOfServer(String sql) throws Exception {
        try (Connection c = connect(postgresDatabase());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String postgresDatabase() {
        return url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
    }

    private Connection connect(String jdbcUrl) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        if (pg.password() != null) {
            p.setProperty("password", pg.password());
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }
}
