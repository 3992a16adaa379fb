package dev.chainkit.bench.p7;

import dev.chainkit.bench.Counter;
import dev.chainkit.bench.Stats;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.store.LocalPostgres;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.ForwardMessage;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import io.vavr.collection.Vector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * P7: the cost of durability. Run by {@code ./bench} in a JVM of its own; starts its own PostgreSQL with {@link
 * LocalPostgres}, as the tests do.
 * <ul>
 *   <li><b>P7a, durable ops per second through a server node.</b> A server and {@value #GENERATORS} load
 *   generator nodes on the threaded in-memory network, which keep {@code C} syncs in flight, each carrying one new
 *   op and followed by the next as soon as it is answered (as {@code C} clients that each sync one op at a time
 *   would, without {@code C} node threads on a 2-core machine). Each op is one sync whose answer waited for its
 *   commit. The server's store calls run on a store thread. Group
 *   commit (the server batches the syncs that arrive during a commit into the next one) runs side by side with the
 *   naive reference, one transaction per op ({@link PerOpStore}), in interleaved rounds, on SQLite (WAL,
 *   {@code synchronous=FULL}) and on PostgreSQL (synchronous commit). The generators keep no log, and the domain
 *   is the {@link Counter} (decimal payloads), so the figure is the server's and its store's, not a domain's.</li>
 *   <li><b>P7b, startup.</b> Opening a SQLite store and reading a log of 10k and of 100k ops (validated: digests,
 *   decoding, replay) plus the server's replay of it, and the ratio of the two, on the {@link Counter} domain.</li>
 * </ul>
 * Arguments: seconds per run (default 3), syncs in flight (default 128), rounds (default 3).
 *
 * <p>Thread safety: a main.
 */
public final class DurableCommits {

    private static final String LOG = "bench";
    private static final int GENERATORS = 4;
    private static final Counter DOMAIN = new Counter();
    private static final Operation<Integer> GENESIS = new Operation<>(OpId.of("o0"), new Author("hq",
            Role.organizer()), 0, 0);

    private DurableCommits() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int syncs = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path folder = Files.createTempDirectory("chainkit-p7-");
        Thread cleanUp = new Thread(() -> delete(folder), "p7-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp); // also when the run is interrupted
        try (LocalPostgres pg = LocalPostgres.start()) {
            throughput("SQLite", () -> OplogDatabase.sqlite(folder.resolve("p7-" + System.nanoTime() + ".db")),
                    seconds, syncs, rounds);
            throughput("PostgreSQL", () -> pg.openStore("p7"), seconds, syncs, rounds);
            startup(folder, rounds);
        } finally {
            delete(folder);
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> all = Files.exists(folder) ? Files.walk(folder) : Stream.empty()) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("cannot delete " + folder + ": " + e);
        }
    }

    private static void throughput(String name, Supplier<OplogDatabase> open, double seconds, int clients,
            int rounds) throws Exception {
        List<Double> group = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> batch = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] g = run(open, false, seconds, clients);
            double[] n = run(open, true, seconds, clients);
            group.add(g[0]);
            naive.add(n[0]);
            ratios.add(g[0] / n[0]);
            batch.add(g[1]);
        }
        Stats ratio = Stats.of(ratios);
        boolean sqlite = name.equals("SQLite");
        System.out.printf(Locale.ROOT, "P7a %s: group commit %s durable ops/s (%s ops per commit), one transaction "
                        + "per op %s ops/s; group/naive %s%s; %d syncs of one op in flight, %d rounds of %.0f s%n",
                name, Stats.of(group).format("%.0f"), Stats.of(batch).format("%.1f"), Stats.of(naive).format("%.0f"),
                ratio.format("%.1f"), sqlite ? " (target >= 5: " + (ratio.median() >= 5 ? "met" : "MISSED") + ")" : "",
                clients, rounds, seconds);
    }

    /** One run: returns {durable ops per second, ops per commit}. */
    private static double[] run(Supplier<OplogDatabase> open, boolean perOp, double seconds, int syncs)
            throws Exception {
        ExecutorService storeThread = Executors.newSingleThreadExecutor();
        AtomicBoolean running = new AtomicBoolean(true);
        try (OplogDatabase db = open.get(); ThreadedNetwork net = ThreadedNetwork.builder().build()) {
            ServerStore<Integer> jdbc = db.serverStore(DOMAIN);
            io.vavr.collection.Map<NodeId, Role> generators = io.vavr.collection.LinkedHashMap.empty();
            for (int g = 0; g < GENERATORS; g++) {
                generators = generators.put(NodeId.of("g" + g), Role.judge());
            }
            StoredLog<Integer> stored = jdbc.loadOrCreate(LOG, GENESIS, generators);
            ServerStore<Integer> store = perOp ? new PerOpStore<>(jdbc) : jdbc;
            NodeId hqId = NodeId.of("hq");
            SimNode<HostedLog<Long, Integer>> hq = net.addNode("hq", ctx -> OplogServer.builder(ctx.node(), DOMAIN,
                    store).scheduler(ctx.scheduler()).clock(ctx.clock())
                    .execution(StoreExecution.offloaded(storeThread, task -> net.execute(hqId, task))).build()
                    .host(stored));
            for (int g = 0; g < GENERATORS; g++) {
                SimNode<ChainNode> generator = net.addNode("g" + g, ctx -> {
                    // members get forwards of each other's ops: acknowledge them, as a client that is in sync does
                    ctx.node().register(OplogProtocols.<Integer>forward(), (chain, m) -> ResponderAction
                            .replyAndTerminate(new ForwardMessage.ForwardAck<>(ForwardMessage.ForwardAck.Status.APPLIED)));
                    return ctx.node();
                });
                Load load = new Load(generator.app(), hqId, running);
                net.execute(generator.id(), () -> {
                    for (int k = 0; k < syncs / GENERATORS; k++) {
                        load.sync();
                    }
                });
            }
            Thread.sleep(500); // warm up
            int sizeBefore = net.submit(hqId, () -> hq.app().durableSize()).get();
            long commitsBefore = net.submit(hqId, () -> hq.app().commits()).get();
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            int sizeAfter = net.submit(hqId, () -> hq.app().durableSize()).get();
            long commitsAfter = net.submit(hqId, () -> hq.app().commits()).get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            running.set(false);
            double ops = sizeAfter - sizeBefore;
            return new double[] {ops / elapsed, ops / Math.max(1, commitsAfter - commitsBefore)};
        } finally {
            storeThread.shutdownNow();
        }
    }

    /**
     * The clients of a load generator node: each of its sync chains carries one new op, anchored at the newest op
     * the generator has seen answered, and the next one starts as soon as the answer arrives. On the generator's
     * thread only.
     */
    private static final class Load {
        private final ChainNode node;
        private final NodeId server;
        private final AtomicBoolean running;
        private OpId anchor = GENESIS.id();
        private long made;

        Load(ChainNode node, NodeId server, AtomicBoolean running) {
            this.node = node;
            this.server = server;
            this.running = running;
        }

        void sync() {
            if (!running.get()) {
                return;
            }
            String name = node.id().name() + "p" + (++made);
            Operation<Integer> op = new Operation<>(OpId.of(name), new Author(node.id().name(), Role.judge()),
                    made, (int) made);
            node.start(OplogProtocols.<Integer>sync(), server, new SyncMessage.OpSync<>(LOG, anchor,
                    Vector.of(op)), (chain, reply) -> {
                        if (reply instanceof SyncMessage.SyncSuccess<Integer> s) {
                            anchor = s.tip();
                        } else if (reply instanceof SyncMessage.SyncSuccessWithNewOps<Integer> w
                                && !w.ops().isEmpty()) {
                            anchor = w.ops().last().id();
                        } else {
                            return InitiatorAction.fail("unexpected " + reply);
                        }
                        return InitiatorAction.complete(null);
                    }).outcome().thenAccept(outcome -> sync());
        }
    }

    private static void startup(Path folder, int rounds) {
        Path small = build(folder, 10_000);
        Path large = build(folder, 100_000);
        for (int warmup = 0; warmup < 2; warmup++) { // the JIT, the page cache: what a long-lived server has
            open(small, 10_000);
            open(large, 100_000);
        }
        List<Double> s = new ArrayList<>();
        List<Double> l = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) { // interleaved, ratio per round
            double a = open(small, 10_000) * 1000;
            double b = open(large, 100_000) * 1000;
            s.add(a);
            l.add(b);
            ratios.add(b / a);
        }
        Stats ratio = Stats.of(ratios);
        System.out.printf(Locale.ROOT, "P7b startup (open SQLite, read and validate the log, replay it as the server"
                + " does): %s ms for 10k ops, %s ms for 100k ops; ratio %s (target <= 12: %s); counter domain, %d"
                + " interleaved runs after 2 warmups%n", Stats.of(s).format("%.0f"), Stats.of(l).format("%.0f"),
                ratio.format("%.1f"), ratio.median() <= 12 ? "met" : "MISSED", rounds);
    }

    private static final String STARTUP_LOG = "startup";

    /** A SQLite file holding a log of {@code size} ops of the {@link Counter} domain. */
    private static Path build(Path folder, int size) {
        Author author = new Author("c", Role.judge());
        Path file = folder.resolve("startup-" + size + ".db");
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            ServerStore<Integer> store = db.serverStore(DOMAIN);
            store.loadOrCreate(STARTUP_LOG, new Operation<>(OpId.of("o0"), author, 0, 0));
            for (int at = 1; at < size; at += 1000) {
                int n = Math.min(1000, size - at);
                int from = at;
                store.commit(List.of(LogAppend.of(STARTUP_LOG, at, Vector.range(0, n).map(i -> new Operation<>(
                        OpId.of("c." + (from + i)), author, 1_700_000_000_000L + from + i, from + i)))));
            }
        }
        return file;
    }

    /**
     * Opens {@code file}, reads and validates its log and replays it as the server's constructor does; seconds
     * taken. The domain is the {@link Counter}, so the figure is the store's (a domain's replay cost is its own).
     */
    private static double open(Path file, int size) {
        long start = System.nanoTime();
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            OpLog<Integer> ops = db.serverStore(DOMAIN).load(STARTUP_LOG).orElseThrow().log();
            long state = DOMAIN.replay(ops);
            if (ops.size() != size || state != size) {
                throw new IllegalStateException("read " + ops.size() + " ops, wrote " + size);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
