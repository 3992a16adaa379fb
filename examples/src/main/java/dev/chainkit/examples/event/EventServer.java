package dev.chainkit.examples.event;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SyncLimits;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.transport.netty.NettyNode;
import io.netty.handler.ssl.SslContext;
import io.vavr.collection.Map;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sync server for a real event, put together: an {@link OplogServer} of the tournament domain on a {@link
 * NettyNode}, its logs in a durable store, its members from a {@link MembersFile}, and its metrics.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Threads.</b> The node's event loop runs the server (syncs, forwards, timers); a store thread runs the
 *   commits and hands their results back to the loop ({@link StoreExecution#offloaded}); a watcher thread reads
 *   the members file again when it changes. Nothing blocks the loop but the reading of a log when it is first
 *   hosted.</li>
 *   <li><b>Members at run time.</b> Every second the watcher compares the members file and the secrets file with
 *   what it read last (modification time and size); when either changed, it reads both again. A file that does not
 *   read is logged (with its {@code FILE:LINE}) and the server keeps what it had. Otherwise the transport takes the
 *   new secrets (a new node may connect at once), new logs are created and hosted, and each hosted log's registry
 *   is brought to what the file says ({@code join}, {@code leave}): durable with the log's next commit. The same
 *   reconciliation runs at start, so the file is the truth and the store follows it.</li>
 *   <li><b>Several servers.</b> Several processes, each with its own node id ({@code --node}) and incarnation file,
 *   may share one PostgreSQL database and one members file: each hosts every log, creates a missing one (the
 *   first creation wins, the others read it), and reconciles the registry the same way, so they agree. They learn
 *   of each other's commits through the store's hints ({@link OplogServer}'s design notes); a device may use any
 *   of them.</li>
 *   <li><b>Shutdown.</b> {@link #close} stops the watcher and the metrics endpoint, closes the node (no new syncs;
 *   open chains end), lets the store thread finish the commit in flight, and closes the store.</li>
 * </ul>
 *
 * <p>Thread safety: {@link #start} and {@link #close} from any one thread; the rest is confined as described.
 */
public final class EventServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventServer.class);
    private static final Tournament DOMAIN = new Tournament();

    private final Settings settings;
    private final OplogDatabase db;
    private final ServerStore<TournamentOp> store;
    private final ExecutorService storeThread;
    private final ScheduledExecutorService watcher;
    private final ServerMetrics metrics = new ServerMetrics();
    private MetricsEndpoint endpoint;
    private NettyNode node;
    private OplogServer<TournamentState, TournamentOp> server;
    private MembersFile members;
    private String seen;

    /**
     * What a server needs.
     *
     * @param node the server's node id (its peers dial it by this name)
     * @param listen where to listen (port 0 picks a free one)
     * @param store where the logs are kept
     * @param membersFile the members file
     * @param tls TLS for accepted connections, or null
     * @param metrics where to serve {@code /metrics}, or null
     * @param limits what one sync may carry
     * @param reloadEveryMs how often the members file is checked for changes, in milliseconds
     */
    public record Settings(NodeId node, InetSocketAddress listen, StoreUrl store, Path incarnationFile,
            Path membersFile, SslContext tls, InetSocketAddress metrics, SyncLimits limits, long reloadEveryMs) {
        /** @throws NullPointerException if a required argument is null */
        public Settings {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(incarnationFile, "incarnationFile");
            Objects.requireNonNull(membersFile, "membersFile");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private EventServer(Settings settings, OplogDatabase db) {
        this.settings = settings;
        this.db = db;
        this.store = db.serverStore(DOMAIN);
        String name = settings.node().name();
        this.storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-store"));
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-members");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the members file, opens the store, hosts every log the file declares (creating the new ones) and starts
     * listening.
     *
     * @throws MembersFile.Invalid if the members or secrets file is wrong
     * @throws dev.chainkit.oplog.store.StoreException if the store cannot be opened
     * @throws IllegalStateException if the address cannot be bound
     * @throws IOException if the metrics address cannot be bound
     */
    public static EventServer start(Settings settings) throws IOException {
        MembersFile members = MembersFile.load(settings.membersFile());
        OplogDatabase db = settings.store().open();
        EventServer s = new EventServer(settings, db);
        try {
            s.members = members;
            s.seen = s.fingerprint(members);
            s.startNode();
            s.apply(members);
            if (settings.metrics() != null) {
                s.endpoint = MetricsEndpoint.start(settings.metrics(), s.metrics::scrape);
            }
            s.watcher.scheduleWithFixedDelay(s::reloadIfChanged, settings.reloadEveryMs(), settings.reloadEveryMs(),
                    TimeUnit.MILLISECONDS);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void startNode() {
        NettyNode.Builder b = NettyNode.builder(settings.node(), Incarnations.next(settings.incarnationFile()))
                .secrets(members.secrets())
                .codecs(OplogCodecs.registry(DOMAIN))
                .listen(settings.listen())
                .chainListener(metrics)
                .transportListener(metrics);
        if (settings.tls() != null) {
            b.acceptTls(settings.tls());
        }
        node = b.start();
        server = node.call(n -> OplogServer.builder(n, DOMAIN, store).scheduler(node.scheduler())
                .clock(NanoClock.system()).limits(settings.limits()).listener(metrics)
                .execution(StoreExecution.offloaded(storeThread, task -> node.execute(x -> task.run()))).build())
                .join();
    }

    /** The genesis op of a log this server creates: {@code create LOG SERVER}, by the server's node as organizer. */
    static Operation<TournamentOp> genesis(String logId, NodeId server, long createdAtMs) {
        return new Operation<>(OpId.of("o0"), new Author(server.name(), Role.organizer()), createdAtMs,
                new TournamentOp.Create(logId, server.name()));
    }

    /** Hosts the declared logs that are not hosted yet and brings every registry to what the file says. */
    private void apply(MembersFile file) {
        node.replaceSecrets(file.secrets());
        for (String logId : file.logs().keySet()) {
            boolean hosted = node.call(n -> server.log(logId).isPresent()).join();
            if (!hosted) {
                StoredLog<TournamentOp> stored = store.loadOrCreate(logId, genesis(logId, settings.node(),
                        System.currentTimeMillis()), file.logs().get(logId).get());
                node.call(n -> {
                    server.host(stored);
                    metrics.hosted(logId, stored.log().size());
                    return null;
                }).join();
            }
        }
        node.call(n -> {
            for (HostedLog<TournamentState, TournamentOp> hosted : server.logs()) {
                Map<NodeId, Role> declared = file.logs().get(hosted.id()).getOrElse(io.vavr.collection.HashMap.empty());
                declared.forEach(hosted::join);
                for (NodeId member : hosted.members().keySet()) {
                    if (!declared.containsKey(member) && !member.equals(settings.node())) {
                        hosted.leave(member);
                    }
                }
            }
            return null;
        }).join();
    }

    private void reloadIfChanged() {
        try {
            String now = fingerprint(members);
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            MembersFile read;
            try {
                read = MembersFile.load(settings.membersFile());
            } catch (MembersFile.Invalid e) {
                log.warn("Members file not applied, keeping the members as they were: {}", e.getMessage());
                return;
            }
            members = read;
            seen = fingerprint(read);
            apply(read);
            log.info("Members file [{}] applied: logs {}", settings.membersFile(), read.logs().keySet().toJavaList());
        } catch (RuntimeException e) {
            log.error("Reading the members file [{}] failed", settings.membersFile(), e);
        }
    }

    private String fingerprint(MembersFile file) {
        return stamp(settings.membersFile()) + "|" + stamp(file.secretsFile());
    }

    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }

    /** The address the node listens on (with the actual port). */
    public InetSocketAddress address() {
        return node.localAddress();
    }

    /** The metrics endpoint's address, or null. */
    public InetSocketAddress metricsAddress() {
        return endpoint == null ? null : endpoint.address();
    }

    /** The metrics. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The hosted logs' ids. */
    public List<String> logs() {
        return node.call(n -> server.logs().stream().map(HostedLog::id).toList()).join();
    }

    /** What the log of that id looks like now (read on the node's thread), or null if it is not hosted. */
    public HostedView view(String logId) {
        return node.call(n -> server.log(logId).map(h -> new HostedView(h.log().digest(), h.log().size(),
                h.durableSize(), h.members())).orElse(null)).join();
    }

    /**
     * What a hosted log looks like now.
     *
     * @param digest the log's digest
     * @param size its ops
     * @param durable its durable ops
     * @param members its members
     */
    public record HostedView(String digest, int size, int durable, Map<NodeId, Role> members) { }

    /** Stops the watcher and the metrics, closes the node, finishes the commit in flight, closes the store. */
    @Override
    public void close() {
        watcher.shutdownNow();
        if (endpoint != null) {
            endpoint.close();
        }
        if (server != null) {
            server.close(); // no more hints from the store
        }
        if (node != null) {
            node.close();
        }
        storeThread.shutdown();
        try {
            if (!storeThread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The store thread did not finish its commit within 10 s; closing the store anyway");
                storeThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
