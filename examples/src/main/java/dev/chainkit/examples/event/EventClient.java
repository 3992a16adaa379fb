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
 *   <li><b>Threads.</b> The client lives on the node's event loop; the prompt's thread only hands it work
 *   ({@code NettyNode.call}) and reads answers.</li>
 * </ul>
 *
 * <p>Thread safety: the public methods may be called from the prompt's thread.
 */
final class EventClient implements AutoCloseable {

    private static final Tournament DOMAIN = new Tournament();
    private static final long WATCH_NS = 100_000_000;

    /**
     * What a device needs.
     *
     * @param node the device's node id
     * @param server the server's node id
     * @param connect the server's address
     * @param secrets the device's own secret
     * @param logId the tournament
     * @param store where the device keeps its log
     * @param tls TLS for the connection, or null
     * @param decide who answers conflicts
     */
    record Settings(NodeId node, NodeId server, InetSocketAddress connect, NodeSecrets secrets, String logId,
            StoreUrl store, Path incarnationFile, SslContext tls, PromptDecisions.Mode decide) { }

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
                .codecs(OplogCodecs.registry(DOMAIN)).peer(settings.server(), settings.connect());
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
        while (!closed) {
            Outcome<SubscribeMessage<TournamentOp>> outcome = node.call(n -> n.start(
                    OplogProtocols.<TournamentOp>subscribe(), settings.server(),
                    new SubscribeMessage.Subscribe<TournamentOp>(settings.logId()),
                    (chain, reply) -> dev.chainkit.core.InitiatorAction.<SubscribeMessage<TournamentOp>,
                            SubscribeMessage<TournamentOp>>complete(reply)).outcome()).join()
                    .toCompletableFuture().join();
            if (outcome instanceof Outcome.Completed<SubscribeMessage<TournamentOp>> done) {
                if (done.result() instanceof SubscribeMessage.Subscribed<TournamentOp> s) {
                    open(s);
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
                say("waiting for the server " + settings.server() + " at " + settings.connect().getHostString() + ":"
                        + settings.connect().getPort() + " ...");
                told = true;
            }
        }
        throw new Refused("closed before the server answered");
    }

    private void open(SubscribeMessage.Subscribed<TournamentOp> s) {
        ClientStore<TournamentOp> store = db.clientStore(settings.logId(), DOMAIN, s.genesis());
        role = s.role().toString();
        node.call(n -> {
            client = new OplogClient<>(n, node.scheduler(), NanoClock.system(), DOMAIN, settings.logId(),
                    new Author(settings.node().name(), s.role()), settings.server(), store, decisions);
            shownLog = client.log().indexOf(client.syncedTip()) + 1;
            client.pendingOps().forEach(op -> shown.put(op.id(), OpFate.PENDING));
            node.scheduler().schedule(WATCH_NS, this::watch);
            return null;
        }).join();
        say("subscribed to " + settings.logId() + " as " + settings.node() + " (" + role + ") on "
                + settings.server() + " at " + settings.connect().getHostString() + ":" + settings.connect().getPort());
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

    /** {@code status log=ID role=R ops=N synced=N pending=N link=up|down digest=HEX}. */
    List<String> status() {
        return read(c -> List.of("status log=" + settings.logId() + " role=" + role + " ops=" + c.log().size()
                + " synced=" + (c.log().indexOf(c.syncedTip()) + 1) + " pending=" + c.pendingOps().size()
                + " link=" + (node.linkedPeers().contains(settings.server()) ? "up" : "down")
                + " digest=" + TournamentView.digest(c.log())));
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
        node.scheduler().schedule(WATCH_NS, this::watch);
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
