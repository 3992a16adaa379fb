package dev.chainkit.examples.event;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.OpFate;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.SubscribeMessage;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import io.netty.handler.ssl.SslContext;
import io.vavr.control.Either;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A device at a real event: an {@link OplogClient} of the tournament domain on a {@link NettyNode} that dials the
 * server, its log in a durable store, and the lines its user reads.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Subscribe first.</b> The device asks the server to follow the log ({@code SubscribeMessage}): the answer
 *   is its role (which its ops must name) and the log's genesis op (which its store starts with). Until the server
 *   answers, the device waits; a refusal ({@code NOT_A_MEMBER}, {@code WRONG_LOG}) ends it with the reason.</li>
 *   <li><b>What the user sees.</b> Every 100 ms the node's thread compares the client's records with what it
 *   printed and prints what changed, one line each: {@code made}, {@code synced}, {@code received} (ops of other
 *   devices), {@code rejected}, {@code refused} (by the server), {@code dropped}, {@code server refused the sync}.
 *   Lines go to standard output, so a script reads them as they come.</li>
 *   <li><b>Several servers.</b> A device may know several servers that share one store ({@code --connect
 *   s1@HOST:PORT,s2@HOST:PORT}): the node dials them all (each with the transport's reconnect backoff and jitter),
 *   subscribes through the first of them (or, if its link is not up within two seconds, the next in order whose
 *   link is), and syncs with that one. When the link to it
 *   has been down for {@value #FAILOVER_MS} ms and another server's link is up, the device moves there
 *   ({@code OplogClient.moveTo}): its next sync goes to that server, which serves it from then on, its forward
 *   cursor (kept in the store) telling that server exactly what it lacks. It says so ({@code moved to server
 *   ...}).</li>
 *   <li><b>Threads.</b> The client lives on the node's event loop; the prompt's thread only hands it work
 *   ({@code NettyNode.call}) and reads answers.</li>
 * </ul>
 *
 * <p>Thread safety: the public methods may be called from the prompt's thread.
 */
final class EventClient implements AutoCloseable {

    private static final Tournament DOMAIN = new Tournament();
    private static final long WATCH_NS = 100_000_000;
    /** How long the link to the current server must be down before the device moves to another, in milliseconds. */
    static final long FAILOVER_MS = 500;

    /**
     * What a device needs.
     *
     * @param node the device's node id
     * @param servers the servers it may sync with, in order of preference (several share one store)
     * @param secrets the device's own secret
     * @param logId the tournament
     * @param store where the device keeps its log
     * @param tls TLS for the connection, or null
     * @param decide who answers conflicts
     */
    record Settings(NodeId node, List<Addresses.Server> servers, NodeSecrets secrets, String logId,
            StoreUrl store, Path incarnationFile, SslContext tls, PromptDecisions.Mode decide) {
        Settings {
            servers = List.copyOf(servers);
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("a device needs at least one server");
            }
        }
    }

    /** The server refused the subscription. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final PrintWriter out;
    private final NettyNode node;
    private final OplogDatabase db;
    private final PromptDecisions decisions;
    private final Map<OpId, OpFate> shown = new HashMap<>();
    private OplogClient<TournamentState, TournamentOp> client;
    private String role;
    private int shownLog;
    private long shownRefusals;
    /** Since when (System.nanoTime) the link to the current server is down; 0 while it is up. */
    private long downSinceNs;
    private volatile boolean closed;

    private EventClient(Settings settings, PrintWriter out, NettyNode node, OplogDatabase db) {
        this.settings = settings;
        this.out = out;
        this.node = node;
        this.db = db;
        this.decisions = new PromptDecisions(settings.decide(), out, task -> node.execute(n -> task.run()));
    }

    /**
     * Opens the store, dials the server and subscribes to the log; returns once subscribed.
     *
     * @throws Refused if the server refuses the subscription (the message says why)
     * @throws dev.chainkit.oplog.store.StoreException if the store cannot be opened
     */
    static EventClient start(Settings settings, PrintWriter out) throws Refused {
        OplogDatabase db = settings.store().open();
        long incarnation;
        try {
            incarnation = Incarnations.next(settings.incarnationFile());
        } catch (IllegalStateException e) {
            db.close();
            throw e;
        }
        NettyNode.Builder b = NettyNode.builder(settings.node(), incarnation).secrets(settings.secrets())
                .codecs(OplogCodecs.registry(DOMAIN));
        for (Addresses.Server server : settings.servers()) {
            b.peer(server.node(), server.address());
        }
        if (settings.tls() != null) {
            b.dialTls(settings.tls());
        }
        NettyNode node;
        try {
            node = b.start();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        EventClient c = new EventClient(settings, out, node, db);
        try {
            c.subscribe();
            return c;
        } catch (Refused | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void subscribe() throws Refused {
        boolean told = false;
        int next = 0;
        while (!closed) {
            Addresses.Server server = reachable(next);
            next = (settings.servers().indexOf(server) + 1) % settings.servers().size();
            Outcome<SubscribeMessage<TournamentOp>> outcome = node.call(n -> n.start(
                    OplogProtocols.<TournamentOp>subscribe(), server.node(),
                    new SubscribeMessage.Subscribe<TournamentOp>(settings.logId()),
                    (chain, reply) -> dev.chainkit.core.InitiatorAction.<SubscribeMessage<TournamentOp>,
                            SubscribeMessage<TournamentOp>>complete(reply)).outcome()).join()
                    .toCompletableFuture().join();
            if (outcome instanceof Outcome.Completed<SubscribeMessage<TournamentOp>> done) {
                if (done.result() instanceof SubscribeMessage.Subscribed<TournamentOp> s) {
                    open(s, server);
                    return;
                }
                SubscribeMessage.Refused<TournamentOp> r = (SubscribeMessage.Refused<TournamentOp>) done.result();
                throw new Refused(r.reason() == SyncMessage.SyncRejected.Reason.NOT_A_MEMBER
                        ? "the server refused: " + settings.node() + " is not a member of log " + settings.logId()
                        + " (NOT_A_MEMBER); ask the organizer to add a 'member " + settings.logId() + " "
                        + settings.node() + " ROLE' line to the server's members file"
                        : "the server refused: " + r.reason() + ": " + r.detail());
            }
            if (!told) {
                say("waiting for the server " + (settings.servers().size() == 1 ? settings.servers().get(0)
                        : "(any of " + settings.servers() + ")") + " ...");
                told = true;
            }
        }
        throw new Refused("closed before the server answered");
    }

    /**
     * The server to subscribe through: the one at {@code from} once its link is up, given two seconds to come up (a
     * device starting beside a loaded server waits for its preferred one rather than taking whichever handshake
     * ends first); after that, the next one in order (cyclically) whose link is up; if none is, the one at
     * {@code from} (its chain retransmits until it answers or times out).
     */
    private Addresses.Server reachable(int from) {
        List<Addresses.Server> all = settings.servers();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!closed) {
            java.util.Set<NodeId> up = node.linkedPeers();
            if (up.contains(all.get(from).node())) {
                return all.get(from);
            }
            if (System.nanoTime() - deadline > 0) {
                for (int i = 1; i < all.size(); i++) {
                    Addresses.Server s = all.get((from + i) % all.size());
                    if (up.contains(s.node())) {
                        return s;
                    }
                }
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return all.get(from);
    }

    private void open(SubscribeMessage.Subscribed<TournamentOp> s, Addresses.Server server) {
        ClientStore<TournamentOp> store = db.clientStore(settings.logId(), DOMAIN, s.genesis());
        role = s.role().toString();
        node.call(n -> {
            client = OplogClient.builder(n, DOMAIN, settings.logId(), new Author(settings.node().name(), s.role()),
                    store).scheduler(node.scheduler()).clock(NanoClock.system())
                    .servers(settings.servers().stream().map(Addresses.Server::node).toList()).policy(decisions)
                    .build();
            client.moveTo(server.node()); // the one that answered: it serves this device now
            shownLog = client.log().indexOf(client.syncedTip()) + 1;
            client.pendingOps().forEach(op -> shown.put(op.id(), OpFate.PENDING));
            node.scheduler().schedule(WATCH_NS, this::watch);
            return null;
        }).join();
        say("subscribed to " + settings.logId() + " as " + settings.node() + " (" + role + ") on " + server);
        List<String> status = status();
        status.forEach(this::say);
    }

    /** The conflict decisions (the prompt answers open conflicts through it). */
    PromptDecisions decisions() {
        return decisions;
    }

    /** Makes an op; answers the line to print. */
    String submit(TournamentOp op) {
        return node.call(n -> {
            Either<OpError, Operation<TournamentOp>> made = client.submit(op);
            if (made.isLeft()) {
                return "rejected '" + op.text() + "': " + made.getLeft();
            }
            shown.put(made.get().id(), OpFate.PENDING);
            return "made " + made.get().id() + ": " + op.text();
        }).join();
    }

    /** Reads the client on its thread. */
    <T> T read(Function<OplogClient<TournamentState, TournamentOp>, T> what) {
        return node.call(n -> what.apply(client)).join();
    }

    /**
     * {@code status log=ID role=R ops=N synced=N pending=N link=up|down digest=HEX}, with {@code server=NAME}
     * before {@code link=} when the device knows several servers.
     */
    List<String> status() {
        return read(c -> List.of("status log=" + settings.logId() + " role=" + role + " ops=" + c.log().size()
                + " synced=" + (c.log().indexOf(c.syncedTip()) + 1) + " pending=" + c.pendingOps().size()
                + (settings.servers().size() > 1 ? " server=" + c.server() : "")
                + " link=" + (node.linkedPeers().contains(c.server()) ? "up" : "down")
                + " digest=" + TournamentView.digest(c.log())));
    }

    /** The server the device syncs with now. */
    NodeId server() {
        return read(OplogClient::server);
    }

    /** Whether nothing is pending or in flight. */
    boolean idle() {
        return read(OplogClient::isIdle);
    }

    private void watch() {
        if (closed) {
            return;
        }
        for (Map.Entry<OpId, OpRecord> e : client.opRecords().entrySet()) {
            OpFate was = shown.get(e.getKey());
            OpRecord r = e.getValue();
            if (was == null || was == r.fate() || r.fate() == OpFate.PENDING) {
                continue;
            }
            shown.put(e.getKey(), r.fate());
            switch (r.fate()) {
                case SYNCED -> say("synced " + r.id() + text(r.id()));
                case DROPPED -> say("dropped " + r.id() + ": " + r.reason());
                case REJECTED -> say("refused " + r.id() + ": " + r.reason());
                default -> { }
            }
        }
        int synced = client.log().indexOf(client.syncedTip()) + 1;
        if (synced < shownLog) {
            shownLog = synced;
        }
        for (int i = shownLog; i < synced; i++) {
            Operation<TournamentOp> op = client.log().get(i);
            if (!shown.containsKey(op.id())) {
                say("received " + op.id() + " by " + op.author() + ": " + op.payload().text());
            }
        }
        shownLog = synced;
        if (client.refusals() != shownRefusals) {
            shownRefusals = client.refusals();
            client.lastRefusal().ifPresent(r -> say("server refused the sync: " + r.reason() + ": " + r.detail()));
        }
        failOverIfDown();
        node.scheduler().schedule(WATCH_NS, this::watch);
    }

    /** Moves to the next server whose link is up once the current one's has been down for {@link #FAILOVER_MS}. */
    private void failOverIfDown() {
        java.util.Set<NodeId> up = node.linkedPeers();
        if (settings.servers().size() < 2 || up.contains(client.server())) {
            downSinceNs = 0;
            return;
        }
        long now = System.nanoTime();
        if (downSinceNs == 0) {
            downSinceNs = now;
            return;
        }
        if (now - downSinceNs < TimeUnit.MILLISECONDS.toNanos(FAILOVER_MS)) {
            return;
        }
        List<Addresses.Server> all = settings.servers();
        int current = all.stream().map(Addresses.Server::node).toList().indexOf(client.server());
        for (int i = 1; i < all.size(); i++) {
            Addresses.Server next = all.get((current + i) % all.size());
            if (up.contains(next.node())) {
                client.moveTo(next.node());
                downSinceNs = 0;
                say("moved to server " + next + " (the link to " + all.get(current).node() + " is down)");
                return;
            }
        }
    }

    private String text(OpId id) {
        int at = client.log().indexOf(id);
        return at < 0 ? "" : ": " + client.log().get(at).payload().text();
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Closes the node and the store. The pending ops stay in the store and sync at the next start. */
    @Override
    public void close() {
        closed = true;
        node.close();
        db.close();
    }
}
