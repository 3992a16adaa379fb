package dev.chainkit.examples.event;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.store.StoreException;
import dev.chainkit.oplog.sync.SyncLimits;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim serve}: a sync server for a real event, until it is stopped (SIGTERM or Ctrl-C: a clean
 * shutdown, exit status 0).
 *
 * <p>Thread safety: a command object serves one invocation.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Runs a sync server for a real event: it hosts the tournaments (logs) of the members file, lets in the"
                    + " nodes of its secrets file, and keeps every op in the store before it answers.",
            "Prints 'listening HOST:PORT' (and 'metrics http://HOST:PORT/metrics') on standard output once it"
                    + " serves; logs go to standard error. The members file is read again whenever it (or its"
                    + " secrets file) changes: add or remove members while it runs.",
            "Stops cleanly on SIGTERM or Ctrl-C: no new syncs, the commit in flight finishes, the store closes."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by SIGTERM or Ctrl-C",
            "1:the store could not be opened, or the server failed",
            "2:an option or the members file is wrong (FILE:LINE: what is wrong); nothing was started"})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
            description = "where to listen for devices (TCP, and WebSocket at /chainkit); port 0 picks a free one")
    private String listen;

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "sqlite:FILE or postgresql://HOST:PORT/DATABASE?user=USER")
    private String store;

    @Option(names = "--incarnation-file", paramLabel = "FILE",
            description = "where this node keeps its incarnation across restarts (default: beside a SQLite store,"
                    + " FILE.incarnation; required with a PostgreSQL store)")
    private Path incarnationFile;

    @Option(names = "--members", required = true, paramLabel = "FILE",
            description = "the members file: secrets FILE, log ID and member LOG NODE ROLE lines (see the README)")
    private Path members;

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "hq",
            description = "this server's node id, the name devices dial (default: ${DEFAULT-VALUE})")
    private String node;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "TLS certificate chain (PEM); with --tls-key")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "TLS private key (PKCS#8 PEM); with --tls-cert")
    private Path tlsKey;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "serve Prometheus metrics at http://HOST:PORT/metrics")
    private String metrics;

    @Option(names = "--max-ops-per-sync", paramLabel = "N", defaultValue = "" + SyncLimits.DEFAULT_MAX_OPS_PER_SYNC,
            description = "the most ops one sync may carry (default: ${DEFAULT-VALUE})")
    private int maxOps;

    @Option(names = "--max-op-bytes", paramLabel = "N", defaultValue = "" + SyncLimits.DEFAULT_MAX_OP_BYTES,
            description = "the largest op, in bytes of its id and text (default: ${DEFAULT-VALUE})")
    private int maxOpBytes;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public ServeCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String logger : new String[] {"dev.chainkit.examples.event", "dev.chainkit.oplog.sync.OplogServer",
                "dev.chainkit.oplog.sync.HostedLog"}) { // a server says what it does (unless told otherwise)
            System.setProperty("org.slf4j.simpleLogger.log." + logger, System.getProperty(
                    "org.slf4j.simpleLogger.log." + logger, "info"));
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", System.getProperty(
                "org.slf4j.simpleLogger.showDateTime", "true"));
        EventServer.Settings settings;
        try {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            SslContext tls = tlsCert == null ? null : SslContextBuilder.forServer(tlsCert.toFile(), tlsKey.toFile())
                    .build();
            InetSocketAddress metricsAt = metrics == null ? null : Addresses.parse(metrics, "--metrics");
            StoreUrl storeUrl = StoreUrl.parse(store);
            settings = new EventServer.Settings(NodeId.of(node), Addresses.parse(listen, "--listen"), storeUrl,
                    Incarnations.file(storeUrl, incarnationFile), members, tls, metricsAt,
                    new SyncLimits(maxOps, maxOpBytes), 1000);
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            err.println("chainsim serve: " + e.getMessage());
            err.flush();
            return 2;
        }
        EventServer server;
        try {
            server = EventServer.start(settings);
        } catch (MembersFile.Invalid e) {
            err.println("chainsim serve: " + e.getMessage());
            err.flush();
            return 2;
        } catch (StoreException | IllegalStateException | java.io.IOException e) {
            err.println("chainsim serve: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
            Runtime.getRuntime().halt(0); // a clean stop by SIGTERM is a success, not the JVM's 143
        }, "chainsim-serve-shutdown"));
        InetSocketAddress at = server.address();
        out.println("listening " + at.getHostString() + ":" + at.getPort());
        if (server.metricsAddress() != null) {
            out.println("metrics http://" + server.metricsAddress().getHostString() + ":"
                    + server.metricsAddress().getPort() + "/metrics");
        }
        out.println("logs " + String.join(" ", server.logs()));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
