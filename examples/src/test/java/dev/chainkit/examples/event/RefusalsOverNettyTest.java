package dev.chainkit.examples.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.SyncLimits;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import io.vavr.collection.Vector;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forged-author and stranger cases over real sockets: a server ({@link EventServer}) on loopback, and hand-built
 * syncs from authenticated nodes ({@link NettyNode}s holding their own secrets). The server takes the author from
 * the authenticated link and the log's registry, refuses with a typed reason, leaves the log untouched, and counts
 * the refusals in its Prometheus metrics, read by scraping {@code /metrics}.
 */
class RefusalsOverNettyTest {

    private static final NodeId HQ = NodeId.of("hq");
    private static final NodeId ALICE = NodeId.of("alice");
    private static final NodeId MALLORY = NodeId.of("mallory");

    @TempDir
    Path dir;
    private NodeSecrets secrets;
    private EventServer server;
    private Path members;
    private final java.util.List<NettyNode> nodes = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        secrets = NodeSecrets.generate(List.of(ALICE, MALLORY));
        secrets.writeTo(dir.resolve("hq.secrets"));
        members = Files.writeString(dir.resolve("friday.members"),
                "secrets hq.secrets\nlog friday\nmember friday alice player:alice\n");
        server = EventServer.start(new EventServer.Settings(HQ, new InetSocketAddress("127.0.0.1", 0),
                StoreUrl.parse("sqlite:" + dir.resolve("hq.db")), dir.resolve("hq.incarnation"), members, null,
                new InetSocketAddress("127.0.0.1", 0), SyncLimits.defaults(), 100));
    }

    @AfterEach
    void stop() {
        nodes.forEach(NettyNode::close);
        if (server != null) {
            server.close();
        }
    }

    private NettyNode node(NodeId id) {
        NettyNode n = NettyNode.builder(id, 1).secrets(secrets.only(id)).codecs(OplogCodecs.registry(new Tournament()))
                .peer(HQ, server.address()).start();
        nodes.add(n);
        return n;
    }

    private static Operation<TournamentOp> op(String id, Author author, String text) {
        return new Operation<>(OpId.of(id), author, 0, TournamentOp.parse(text).get());
    }

    private static SyncMessage<TournamentOp> sync(NettyNode from, Vector<Operation<TournamentOp>> ops)
            throws Exception {
        ChainHandle<SyncMessage<TournamentOp>> h = from.call(n -> n.start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>("friday", OpId.of("o0"), ops),
                (chain, reply) -> InitiatorAction.<SyncMessage<TournamentOp>, SyncMessage<TournamentOp>>complete(
                        reply))).get(10, TimeUnit.SECONDS);
        Outcome<SyncMessage<TournamentOp>> outcome = h.outcome().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(outcome instanceof Outcome.Completed<?>, () -> "the chain ended " + outcome);
        return ((Outcome.Completed<SyncMessage<TournamentOp>>) outcome).result();
    }

    private static SyncMessage.SyncRejected.Reason reason(SyncMessage<TournamentOp> answer) {
        assertTrue(answer instanceof SyncMessage.SyncRejected<?>, () -> "expected a refusal, got " + answer);
        return ((SyncMessage.SyncRejected<TournamentOp>) answer).reason();
    }

    private String scrape() throws Exception {
        InetSocketAddress at = server.metricsAddress();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort()
                + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void aPlayerWhoseOpsClaimTheOrganizerIsRefusedForgedAuthorOverRealSockets() throws Exception {
        Author organizer = new Author("hq", Role.organizer());
        SyncMessage<TournamentOp> answer = sync(node(ALICE), Vector.of(op("x1", organizer, "register a"),
                op("x2", organizer, "register b"), op("x3", organizer, "start"), op("x4", organizer, "end")));

        assertEquals(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR, reason(answer));
        assertEquals(1, server.view("friday").size(), "the log is untouched");
        assertTrue(scrape().contains("chainkit_sync_refusals_total{log=\"friday\",reason=\"FORGED_AUTHOR\"} 1.0"));
    }

    @Test
    void anAuthenticatedNodeThatIsNoMemberIsRefusedUntilTheMembersFileAddsIt() throws Exception {
        NettyNode mallory = node(MALLORY);
        Author self = new Author("mallory", Role.judge());
        assertEquals(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER,
                reason(sync(mallory, Vector.of(op("m1", self, "register mallory")))));
        assertEquals(1, server.view("friday").size(), "the log is untouched");
        String metrics = scrape();
        assertTrue(metrics.contains("chainkit_sync_refusals_total{log=\"friday\",reason=\"NOT_A_MEMBER\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("chainkit_connections 1.0"), metrics);

        Files.writeString(members, "member friday mallory judge\n", StandardOpenOption.APPEND);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.view("friday").members().containsKey(MALLORY) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
        assertTrue(sync(mallory, Vector.of(op("m1", self, "register mallory"))) instanceof SyncMessage.SyncSuccess<?>);
        assertEquals(2, server.view("friday").size());
        long committed = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!scrape().contains("chainkit_log_ops{log=\"friday\"} 2.0") && System.nanoTime() - committed < 0) {
            Thread.sleep(50);
        }
        assertTrue(scrape().contains("chainkit_log_ops{log=\"friday\"} 2.0"));
        assertTrue(scrape().contains("chainkit_commit_latency_seconds_count{log=\"friday\"}"));
    }
}
