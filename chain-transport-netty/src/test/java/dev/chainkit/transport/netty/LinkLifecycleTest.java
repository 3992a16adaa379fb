package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.RetryPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeats keep quiet links up, silence closes them, and a lost link is dialed again and resends at once. */
class LinkLifecycleTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");
    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));

    @Test
    void heartbeatsKeepAQuietLinkUp() throws Exception {
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).settings(FAST)
                    .listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).settings(FAST)
                    .peer(SERVER, server.localAddress()).start());
            Loopback.await("link up", Duration.ofSeconds(5), () -> client.linkedPeers().contains(SERVER));
            Thread.sleep(3 * 600);
            assertEquals(0, server.stats().closed(CloseReason.IDLE_TIMEOUT) + client.stats()
                    .closed(CloseReason.IDLE_TIMEOUT), "three idle timeouts passed without a word but heartbeats");
            assertEquals(1, client.stats().linksEstablished());
        }
    }

    @Test
    void aSilentPeerIsClosedByTheIdleTimeout() throws Exception {
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).settings(FAST)
                    .listen(anyPort()).start());
            try (RawPeer silent = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
                long start = System.nanoTime();
                assertEquals(CloseReason.IDLE_TIMEOUT, silent.closeReason());
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(tookMs >= 500, "closed after " + tookMs + " ms, before the 600 ms idle timeout");
            }
            assertEquals(1, server.stats().closed(CloseReason.IDLE_TIMEOUT));
            Loopback.await("link removed", Duration.ofSeconds(5), () -> server.linkedPeers().isEmpty());
        }
    }

    @Test
    void aClientRedialsARestartedServerAndItsWaitingChainResendsAtOnce() throws Exception {
        Echo.Recording responder = new Echo.Recording();
        RetryPolicy slow = RetryPolicy.builder().withInitialDelay(Duration.ofSeconds(20)).withMaxDelay(Duration.ofSeconds(20))
                .withDeadline(Duration.ofSeconds(60)).build();
        try (Loopback net = new Loopback()) {
            NettyNode first = NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC).settings(FAST)
                    .register(Echo.PROTOCOL, responder).listen(anyPort()).start();
            InetSocketAddress address = first.localAddress();
            NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST).nodeSettings(NodeSettings.defaults().withRetryPolicy(slow))
                    .peer(SERVER, address).start());
            Loopback.await("first link", Duration.ofSeconds(5), () -> client.linkedPeers().contains(SERVER));
            first.close();
            Loopback.await("link lost", Duration.ofSeconds(5), () -> client.linkedPeers().isEmpty());
            ChainHandle<Integer> chain = client.call(n -> n.start(Echo.PROTOCOL, SERVER, new Echo.Ask(7, "while down"),
                    (c, reply) -> Echo.complete(reply))).get(5, TimeUnit.SECONDS);
            Loopback.await("the opening dropped for want of a link", Duration.ofSeconds(5),
                    () -> client.stats().dropped(DropReason.NO_LINK) >= 1);
            net.track(NettyNode.builder(SERVER, 2).secrets(secrets).codec(Echo.CODEC).settings(FAST)
                    .register(Echo.PROTOCOL, responder).listen(address).start());
            assertEquals(new Outcome.Completed<>(7), chain.outcome().get(5, TimeUnit.SECONDS),
                    "completed long before the 20 s retransmission: the link's return resent it");
            assertEquals(2, client.stats().linksEstablished());
            assertEquals(1L, client.call(n -> n.stats().count(ChainEventType.RETRANSMITTED)).get(5,
                    TimeUnit.SECONDS));
        }
    }
}
