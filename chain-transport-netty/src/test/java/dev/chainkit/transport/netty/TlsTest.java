package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on: chains complete; plaintext to a TLS port and an untrusted certificate are refused. */
class TlsTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");
    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));

    @TempDir
    static Path dir;
    static TestCertificates cert;
    static TestCertificates otherCert;

    @BeforeAll
    static void makeCertificates() throws Exception {
        cert = TestCertificates.generate(dir);
        otherCert = TestCertificates.generate(dir);
    }

    @Test
    void chainsCompleteOverTls() throws Exception {
        ThreadLeaks leaks = ThreadLeaks.snapshot();
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                    .register(Echo.PROTOCOL, new Echo.Recording()).settings(FAST).acceptTls(cert.server())
                    .listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST).dialTls(cert.client()).peer(SERVER, server.localAddress()).start());
            for (int i = 0; i < 20; i++) {
                int n = i;
                ChainHandle<Integer> chain = client.call(node -> node.start(Echo.PROTOCOL, SERVER,
                        new Echo.Ask(n, "secret " + n), (c, reply) -> Echo.complete(reply))).get(5, TimeUnit.SECONDS);
                assertEquals(new Outcome.Completed<>(i), chain.outcome().get(10, TimeUnit.SECONDS));
            }
            assertEquals(0, server.stats().closed(CloseReason.TLS_FAILURE));
        }
        leaks.assertNoneLeft();
    }

    @Test
    void aPlaintextDialerIsRefusedByATlsAcceptor() throws Exception {
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).settings(FAST)
                    .acceptTls(cert.server()).listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).settings(FAST)
                    .peer(SERVER, server.localAddress()).start());
            Loopback.await("TLS_FAILURE at the server", Duration.ofSeconds(5),
                    () -> server.stats().closed(CloseReason.TLS_FAILURE) >= 1);
            assertTrue(server.linkedPeers().isEmpty());
            assertTrue(client.linkedPeers().isEmpty());
        }
    }

    @Test
    void aDialerRefusesACertificateItDoesNotTrust() throws Exception {
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).settings(FAST)
                    .acceptTls(cert.server()).listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).settings(FAST)
                    .dialTls(otherCert.client()).peer(SERVER, server.localAddress()).start());
            Loopback.await("TLS_FAILURE at the dialer", Duration.ofSeconds(5),
                    () -> client.stats().closed(CloseReason.TLS_FAILURE) >= 1);
            assertTrue(server.linkedPeers().isEmpty());
            assertTrue(client.linkedPeers().isEmpty());
        }
    }
}
