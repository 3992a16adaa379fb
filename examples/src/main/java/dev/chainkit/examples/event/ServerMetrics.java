package dev.chainkit.examples.event;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.sync.ServerListener;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.TransportListener;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sync server's metrics in Micrometer, scraped by Prometheus ({@link #scrape()}, served by {@link
 * MetricsEndpoint}). It hears the engine ({@link ChainListener}), the transport ({@link TransportListener}) and the
 * op-log server ({@link ServerListener}), all on the node's thread.
 *
 * <table>
 *   <caption>Metrics (Prometheus names)</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th><th>what</th></tr>
 *   <tr><td>{@code chainkit_chains_total}</td><td>counter</td><td>protocol, role, outcome</td><td>chains ended,
 *   by how (completed, failed, superseded, timed_out), on either side</td></tr>
 *   <tr><td>{@code chainkit_retransmissions_total}</td><td>counter</td><td>protocol</td><td>messages resent</td></tr>
 *   <tr><td>{@code chainkit_connections}</td><td>gauge</td><td></td><td>authenticated links up now</td></tr>
 *   <tr><td>{@code chainkit_connections_opened_total}</td><td>counter</td><td></td><td>links that came up</td></tr>
 *   <tr><td>{@code chainkit_connections_closed_total}</td><td>counter</td><td>reason</td><td>links that went
 *   down</td></tr>
 *   <tr><td>{@code chainkit_connections_refused_total}</td><td>counter</td><td>reason</td><td>handshakes refused
 *   (unknown node, wrong proof, ...)</td></tr>
 *   <tr><td>{@code chainkit_sync_refusals_total}</td><td>counter</td><td>log, reason</td><td>syncs and
 *   subscriptions refused (NOT_A_MEMBER, FORGED_AUTHOR, TOO_MANY_OPS, ...)</td></tr>
 *   <tr><td>{@code chainkit_log_ops}</td><td>gauge</td><td>log</td><td>durable ops in the log</td></tr>
 *   <tr><td>{@code chainkit_log_ops_committed_total}</td><td>counter</td><td>log</td><td>ops made durable</td></tr>
 *   <tr><td>{@code chainkit_commit_latency_seconds}</td><td>timer</td><td>log</td><td>from the start of a
 *   commit to its result</td></tr>
 *   <tr><td>{@code chainkit_commits_failed_total}</td><td>counter</td><td>log</td><td>commits that failed</td></tr>
 * </table>
 *
 * <p>Thread safety: thread-safe (Micrometer's meters are); the listeners are called on the node's thread, {@link
 * #scrape} on any.
 */
public final class ServerMetrics implements ChainListener, TransportListener, ServerListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicLong> logSizes = new ConcurrentHashMap<>();

    /** Creates the meters that exist from the start. */
    public ServerMetrics() {
        registry.gauge("chainkit.connections", connections);
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void onEvent(ChainEvent event) {
        String protocol = event.protocol() == null ? "unknown" : event.protocol();
        switch (event.type()) {
            case COMPLETED, FAILED, SUPERSEDED, TIMED_OUT -> registry.counter("chainkit.chains", "protocol", protocol,
                    "role", event.role().name().toLowerCase(Locale.ROOT),
                    "outcome", event.type().name().toLowerCase(Locale.ROOT)).increment();
            case RETRANSMITTED -> registry.counter("chainkit.retransmissions", "protocol", protocol).increment();
            default -> { }
        }
    }

    @Override
    public void linkUp(NodeId peer, long incarnation, boolean dialed) {
        connections.incrementAndGet();
        registry.counter("chainkit.connections.opened").increment();
    }

    @Override
    public void linkDown(NodeId peer, CloseReason reason) {
        connections.decrementAndGet();
        registry.counter("chainkit.connections.closed", "reason", reason.name()).increment();
    }

    @Override
    public void refused(SocketAddress remote, CloseReason reason, boolean byPeer) {
        registry.counter("chainkit.connections.refused", "reason", reason.name()).increment();
    }

    @Override
    public void refused(String logId, NodeId peer, SyncMessage.SyncRejected.Reason reason) {
        registry.counter("chainkit.sync.refusals", "log", logId, "reason", reason.name()).increment();
    }

    @Override
    public void committed(String logId, int ops, int logSize, long latencyNs) {
        logSizes.computeIfAbsent(logId, id -> registry.gauge("chainkit.log.ops",
                java.util.List.of(io.micrometer.core.instrument.Tag.of("log", id)), new AtomicLong())).set(logSize);
        registry.counter("chainkit.log.ops.committed", "log", logId).increment(ops);
        Timer.builder("chainkit.commit.latency").tag("log", logId).register(registry)
                .record(latencyNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public void commitFailed(String logId, String why) {
        registry.counter("chainkit.commits.failed", "log", logId).increment();
    }

    /**
     * A log hosted with {@code size} durable ops: its gauge starts there.
     *
     * @param logId the log
     * @param size its durable size
     */
    public void hosted(String logId, int size) {
        logSizes.computeIfAbsent(logId, id -> registry.gauge("chainkit.log.ops",
                java.util.List.of(io.micrometer.core.instrument.Tag.of("log", id)), new AtomicLong())).set(size);
    }
}
