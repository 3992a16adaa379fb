package dev.chainkit.oplog.store.crash;

import dev.chainkit.core.IncarnationFile;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The process the crash tests kill: a server {@code hq} and clients {@code c1..cN}, each on its own SQLite file in
 * one folder, over the threaded in-memory network, the server's store calls on a store thread. It first waits until
 * every node has the same log ({@code CONVERGED}), then makes ops on random clients until it is killed, printing
 * (flushed) what the parent needs to check the files afterwards:
 * <pre>
 * CONVERGED size=N                         every log equal after the restart
 * COMMIT-BEGIN n at=SIZE ops=ID,ID,...     a server commit starts (its ops)
 * COMMIT-END n                             it is durable
 * CSAVE-BEGIN c n last=ID / CSAVE-END c n  a client save (the last op of its log)
 * HOLD kind n                              stopped where the command line said, waiting for the kill
 * MADE c ID                                an op was made on client c (durable in its store)
 * SYNCED c ID                              the op's sync was answered (durable on the server and the client)
 * </pre>
 * Arguments: {@code FOLDER SEED RUN CLIENTS HOLD [converge-only]}; {@code -Dcrash.times=true} puts a millisecond
 * timestamp before every line (to see where time goes when running it by hand).
 */
public final class CrashChildMain {

    static final String LOG = "crash";
    static final int MAX_PENDING = 8;
    static final Tournament DOMAIN = new Tournament();
    static final Operation<TournamentOp> GENESIS = new Operation<>(OpId.of("o0"), new Author("hq", Role.organizer()),
            0, new TournamentOp.Create(LOG, "hq"));

    private CrashChildMain() {
    }

    /** Holds apply only once the nodes converged after the restart: the kills aim at the workload. */
    private static volatile boolean armed;

    static synchronized void say(String line) {
        System.out.println(Boolean.getBoolean("crash.times") ? System.nanoTime() / 1_000_000 + " " + line : line);
        System.out.flush();
    }

    /** The next incarnation of node {@code name}, from its file in {@code folder}. */
    private static long incarnation(Path folder, String name) throws IOException {
        return IncarnationFile.at(folder.resolve(name + ".incarnation")).next();
    }

    private static void holdForever(String what, Object n) {
        say("HOLD " + what + " " + n);
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        say("HOLD-TIMEOUT " + what + " " + n);
        Runtime.getRuntime().halt(4); // never kill-free: the parent failed to kill us
    }

    /** The server's store, saying what it does and stopping where the hold says. */
    private static final class LoudServerStore implements ServerStore<TournamentOp> {
        private final ServerStore<TournamentOp> inner;
        private final Hold hold;
        private int commits;

        LoudServerStore(ServerStore<TournamentOp> inner, Hold hold) {
            this.inner = inner;
            this.hold = hold;
        }

        @Override
        public Optional<StoredLog<TournamentOp>> load(String logId) {
            return inner.load(logId);
        }

        @Override
        public Optional<AppendConflict> commit(List<LogAppend<TournamentOp>> appends) {
            LogAppend<TournamentOp> a = appends.get(0);
            int n = a.ops().isEmpty() || !armed ? 0 : ++commits; // holds count the workload's commits with ops
            say("COMMIT-BEGIN " + (a.ops().isEmpty() ? "cursors" : n) + " at=" + a.expectedSize() + " ops="
                    + a.ops().map(op -> op.id().value()).mkString(","));
            if (hold.at(Hold.Kind.SERVER_BEFORE_COMMIT, n)) {
                holdForever("SERVER_BEFORE_COMMIT", n);
            }
            Optional<AppendConflict> r = inner.commit(appends);
            say("COMMIT-END " + (a.ops().isEmpty() ? "cursors" : n) + (r.isPresent() ? " conflict=" + r.get() : ""));
            if (hold.at(Hold.Kind.SERVER_AFTER_COMMIT, n)) {
                holdForever("SERVER_AFTER_COMMIT", n);
            }
            return r;
        }
    }

    /** A client's store, saying what it does and stopping where the hold says. */
    private static final class LoudClientStore implements ClientStore<TournamentOp> {
        private final ClientStore<TournamentOp> inner;
        private final String name;
        private final Hold hold;
        private final boolean holds;
        private int saves;

        LoudClientStore(ClientStore<TournamentOp> inner, String name, Hold hold, boolean holds) {
            this.inner = inner;
            this.name = name;
            this.hold = hold;
            this.holds = holds;
        }

        @Override
        public OpLog<TournamentOp> log() {
            return inner.log();
        }

        @Override
        public OpId syncedTip() {
            return inner.syncedTip();
        }

        @Override
        public void save(OpLog<TournamentOp> log, OpId syncedTip) {
            int n = armed ? ++saves : 0;
            say("CSAVE-BEGIN " + name + " " + n + " last=" + log.last().id());
            inner.save(log, syncedTip);
            say("CSAVE-END " + name + " " + n);
            if (holds && hold.at(Hold.Kind.CLIENT_AFTER_SAVE, n)) {
                holdForever("CLIENT_AFTER_SAVE", n + " " + name + " last=" + log.last().id());
            }
        }

        @Override
        public long nextOpNumber() {
            return inner.nextOpNumber();
        }
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int run = Integer.parseInt(args[2]);
        int clientCount = Integer.parseInt(args[3]);
        Hold hold = Hold.parse(args[4]);
        boolean convergeOnly = args.length > 5 && args[5].equals("converge-only");
        SplittableRandom random = new SplittableRandom(seed);

        List<OplogDatabase> dbs = new ArrayList<>();
        OplogDatabase serverDb = OplogDatabase.sqlite(folder.resolve("hq.db"));
        dbs.add(serverDb);
        ServerStore<TournamentOp> serverStore = serverDb.serverStore(DOMAIN);
        serverStore.loadOrCreate(LOG, GENESIS);
        ServerStore<TournamentOp> loudServer = new LoudServerStore(serverStore, hold);
        List<NodeId> clientIds = new ArrayList<>();
        for (int i = 1; i <= clientCount; i++) {
            clientIds.add(NodeId.of("c" + i));
        }
        String holdingClient = "c" + (1 + random.nextInt(clientCount));
        ExecutorService storeThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hq-store");
            t.setDaemon(true);
            return t;
        });
        ThreadedNetwork net = ThreadedNetwork.builder().build();
        NodeId hq = NodeId.of("hq");
        // each node's incarnation from a file beside its store, as a real process keeps it: a log's sync marks
        // outlive the process, so a restarted node must not count its chains from 1 again in the same incarnation
        SimNode<HostedLog<TournamentState, TournamentOp>> server = net.addNode("hq", incarnation(folder, "hq"),
                ctx -> {
            HostedLog<TournamentState, TournamentOp> hosted = OplogServer.builder(ctx.node(), DOMAIN, loudServer)
                    .scheduler(ctx.scheduler()).clock(ctx.clock())
                    .execution(StoreExecution.offloaded(storeThread, task -> net.execute(hq, task))).build()
                    .host(loudServer.load(LOG).orElseThrow());
            hosted.join(hq, Role.organizer());
            clientIds.forEach(id -> hosted.join(id, Role.judge()));
            return hosted;
        });
        List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients = new ArrayList<>();
        for (NodeId id : clientIds) {
            OplogDatabase db = OplogDatabase.sqlite(folder.resolve(id.name() + ".db"));
            dbs.add(db);
            ClientStore<TournamentOp> store = new LoudClientStore(db.clientStore(LOG, DOMAIN, GENESIS), id.name(),
                    hold, id.name().equals(holdingClient));
            clients.add(net.addNode(id.name(), incarnation(folder, id.name()), ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(),
                    DOMAIN, LOG, new Author(id.name(), Role.judge()), hq, store, DecisionPolicy.skip())));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!converged(net, server, clients)) {
            if (System.nanoTime() > deadline) {
                say("NOT-CONVERGED " + describe(net, server, clients));
                Runtime.getRuntime().halt(2);
            }
            Thread.sleep(5);
        }
        int size = net.submit(hq, () -> server.app().log().size()).get();
        armed = true;
        say("CONVERGED size=" + size);
        if (convergeOnly) {
            net.close();
            storeThread.shutdown();
            dbs.forEach(OplogDatabase::close);
            return;
        }

        int[] reported = new int[clients.size()];
        long made = 0;
        while (System.nanoTime() < deadline) {
            int i = random.nextInt(clients.size());
            SimNode<OplogClient<TournamentState, TournamentOp>> c = clients.get(i);
            String name = clientIds.get(i).name();
            String player = name + "r" + run + "k" + (++made);
            net.execute(clientIds.get(i), () -> {
                if (c.app().pendingOps().size() < MAX_PENDING) { // a user waits for the app when it lags behind
                    Operation<TournamentOp> op = c.app().submit(TournamentOp.parse("register " + player).get()).get();
                    say("MADE " + name + " " + op.id());
                }
            });
            for (int j = 0; j < clients.size(); j++) {
                int k = j;
                SimNode<OplogClient<TournamentState, TournamentOp>> cj = clients.get(j);
                net.execute(clientIds.get(j), () -> reported[k] = reportSynced(clientIds.get(k).name(), cj.app(),
                        reported[k]));
            }
            Thread.sleep(2 + random.nextInt(6));
        }
        say("WORKLOAD-TIMEOUT");
        Runtime.getRuntime().halt(3);
    }

    /**
     * Says {@code SYNCED} for this client's own ops in the synced part of its log past position {@code from}: the
     * client knows the server has them, since it only moves its synced tip on the server's answer.
     *
     * @return the position reported up to
     */
    private static int reportSynced(String name, OplogClient<TournamentState, TournamentOp> client, int from) {
        OpLog<TournamentOp> log = client.log();
        int synced = log.indexOf(client.syncedTip()) + 1;
        for (int p = from; p < synced; p++) {
            Operation<TournamentOp> op = log.get(p);
            if (op.author().node().equals(name)) {
                say("SYNCED " + name + " " + op.id());
            }
        }
        return Math.max(from, synced);
    }

    private static String describe(ThreadedNetwork net, SimNode<HostedLog<TournamentState, TournamentOp>> server,
            List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients) throws Exception {
        StringBuilder b = new StringBuilder(net.submit(server.id(), () -> server.app() + " durable "
                + server.app().durableSize() + " idle " + server.app().isIdle()).get());
        for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients) {
            b.append("; ").append(net.submit(c.id(), () -> c.app() + " pending " + c.app().pendingOps().size()
                    + " idle " + c.app().isIdle()).get());
        }
        return b.toString();
    }

    private static boolean converged(ThreadedNetwork net, SimNode<HostedLog<TournamentState, TournamentOp>> server,
            List<SimNode<OplogClient<TournamentState, TournamentOp>>> clients) throws Exception {
        NodeId hq = NodeId.of("hq");
        if (!net.submit(hq, () -> server.app().isIdle()).get()) {
            return false;
        }
        OpLog<TournamentOp> serverLog = net.submit(hq, () -> server.app().log()).get();
        for (SimNode<OplogClient<TournamentState, TournamentOp>> c : clients) {
            NodeId id = c.id();
            boolean same = net.submit(id, () -> c.app().isIdle() && c.app().log().equals(serverLog)).get();
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
