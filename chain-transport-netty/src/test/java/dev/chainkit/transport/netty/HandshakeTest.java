package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeStats;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.transport.netty.internal.Frames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity: a connection becomes a link only for a known node that proves it holds its secret, now, in a fresh
 * handshake, at an incarnation not older than one seen; and on a link a node can only speak as itself. Every
 * refusal is typed, counted, and changes nothing else.
 */
class HandshakeTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");
    private static final NodeId MALLORY = id("mallory");
    private static final CodecRegistry CODECS = CodecRegistry.of(Echo.CODEC);

    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT, MALLORY, id("alice")));
    private final Echo.Recording responder = new Echo.Recording();
    private ThreadLeaks leaks;
    private Loopback net;
    private NettyNode server;

    @BeforeEach
    void startServer() {
        leaks = ThreadLeaks.snapshot();
        net = new Loopback();
        server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                .register(Echo.PROTOCOL, responder)
                .settings(FAST.toBuilder().withHandshakeTimeout(Duration.ofMillis(1000)).build())
                .listen(anyPort()).start());
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
        leaks.assertNoneLeft();
    }

    @Test
    void aWrongSecretIsRefusedByBothSides() throws Exception {
        NodeSecrets forged = NodeSecrets.generate(List.of(CLIENT));
        NettyNode impostor = net.track(NettyNode.builder(CLIENT, 1).secrets(forged).codec(Echo.CODEC).settings(FAST)
                .peer(SERVER, server.localAddress()).start());
        Loopback.await("the impostor refuses the server's proof", Duration.ofSeconds(5),
                () -> impostor.stats().closed(CloseReason.WRONG_PROOF) >= 1
                        && server.stats().closedByPeer(CloseReason.WRONG_PROOF) >= 1);
        impostor.close();
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            assertEquals(Frames.CHALLENGE, raw.hello(CLIENT, 1).type());
            RawPeer.Frame answer = raw.prove(forged, CLIENT);
            assertEquals("CLOSE WRONG_PROOF: the proof of 'client' does not verify (wrong secret?)",
                    RawPeer.describe(answer));
        }
        assertEquals(1, server.stats().closed(CloseReason.WRONG_PROOF));
        assertNothingChanged();
    }

    @Test
    void anUnknownNodeIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            assertEquals("CLOSE UNKNOWN_NODE: node 'stranger' has no secret here",
                    RawPeer.describe(raw.hello(id("stranger"), 1)));
        }
        assertEquals(1, server.stats().closed(CloseReason.UNKNOWN_NODE));
        assertNothingChanged();
    }

    @Test
    void aReplayedHandshakeIsRefused() throws Exception {
        byte[] recorded;
        try (RawPeer honest = new RawPeer(server.localAddress())) {
            honest.authenticate(secrets, CLIENT, 1);
            recorded = honest.sent();
        }
        Loopback.await("the honest link is gone", Duration.ofSeconds(5), () -> server.linkedPeers().isEmpty());
        try (RawPeer replay = new RawPeer(server.localAddress())) {
            replay.sendBytes(recorded);
            assertEquals(CloseReason.REPLAYED_HANDSHAKE, replay.closeReason());
        }
        try (RawPeer replayProof = new RawPeer(server.localAddress())) {
            assertEquals(Frames.CHALLENGE, replayProof.hello(CLIENT, 1).type());
            byte[] oldProof = java.util.Arrays.copyOfRange(recorded, recorded.length - 32, recorded.length);
            replayProof.send(Frames.PROOF, oldProof);
            assertEquals(CloseReason.WRONG_PROOF, replayProof.closeReason());
        }
        assertEquals(1, server.stats().closed(CloseReason.REPLAYED_HANDSHAKE));
        assertEquals(1, server.stats().closed(CloseReason.WRONG_PROOF));
        assertTrue(server.linkedPeers().isEmpty());
    }

    @Test
    void aNodeCanOnlySpeakAsItself() throws Exception {
        try (RawPeer mallory = new RawPeer(server.localAddress()).authenticate(secrets, MALLORY, 1)) {
            mallory.send(ask(id("alice"), 1, SERVER, 1), CODECS);
            mallory.send(ask(MALLORY, 2, SERVER, 2), CODECS);
            mallory.send(ask(MALLORY, 1, id("elsewhere"), 3), CODECS);
            Loopback.await("three drops", Duration.ofSeconds(5), () -> server.stats().dropped(DropReason.SPOOFED_SENDER)
                    == 2 && server.stats().dropped(DropReason.WRONG_RECEIVER) == 1);
            mallory.send(ask(MALLORY, 1, SERVER, 4), CODECS);
            RawPeer.Frame answer = mallory.read();
            assertNotNull(answer);
            assertEquals(Frames.ENVELOPE, answer.type());
        }
        assertEquals(List.of("mallory/1/4#0"), List.copyOf(responder.handled));
        assertEquals(1, server.stats().envelopesReceived());
    }

    @Test
    void aStaleIncarnationIsRefusedAndANewerOneReplacesTheOlder() throws Exception {
        try (RawPeer five = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 5)) {
            try (RawPeer three = new RawPeer(server.localAddress())) {
                assertEquals(Frames.CHALLENGE, three.hello(CLIENT, 3).type());
                assertEquals("CLOSE STALE_INCARNATION: incarnation 3 of 'client' is older than 5",
                        RawPeer.describe(three.prove(secrets, CLIENT)));
            }
            five.send(ask(CLIENT, 5, SERVER, 1), CODECS);
            assertEquals(Frames.ENVELOPE, five.read().type(), "the incarnation-5 link still works");
            try (RawPeer seven = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 7)) {
                assertEquals(CloseReason.REPLACED, five.closeReason());
                seven.send(ask(CLIENT, 7, SERVER, 1), CODECS);
                assertEquals(Frames.ENVELOPE, seven.read().type());
            }
        }
        assertEquals(1, server.stats().closed(CloseReason.STALE_INCARNATION));
        assertEquals(1, server.stats().closed(CloseReason.REPLACED));
    }

    @Test
    void aLateHandshakeIsRefused() throws Exception {
        try (RawPeer slow = new RawPeer(server.localAddress())) {
            assertEquals(Frames.CHALLENGE, slow.hello(CLIENT, 1).type());
            Thread.sleep(1300);
            RawPeer.Frame answer = slow.read();
            assertEquals("CLOSE HANDSHAKE_TIMEOUT: no completed handshake within 1000 ms", RawPeer.describe(answer));
        }
        assertEquals(1, server.stats().closed(CloseReason.HANDSHAKE_TIMEOUT));
        assertNothingChanged();
    }

    @Test
    void aDialerRefusesAnAcceptorThatIsNotThePeerItMeant() throws Exception {
        NettyNode client = net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).codec(Echo.CODEC).settings(FAST)
                .peer(id("other"), server.localAddress()).start());
        Loopback.await("WRONG_PEER", Duration.ofSeconds(5), () -> client.stats().closed(CloseReason.WRONG_PEER) >= 1);
        assertTrue(client.linkedPeers().isEmpty());
    }

    private static Envelope ask(NodeId sender, long senderIncarnation, NodeId receiver, long sequence) {
        return new Envelope(Echo.PROTOCOL.name(), new ChainId(sender, senderIncarnation, sequence), 0, sender,
                senderIncarnation, receiver, 0, EnvelopeKind.STEP, new Echo.Ask((int) sequence, "x"));
    }

    private void assertNothingChanged() throws Exception {
        assertTrue(server.linkedPeers().isEmpty());
        assertEquals(0, server.stats().linksEstablished());
        assertEquals(0, server.stats().envelopesReceived());
        NodeStats engine = server.call(n -> n.stats()).get(5, TimeUnit.SECONDS);
        assertEquals(0, engine.responderChains());
        assertTrue(engine.events().isEmpty(), engine.events().toString());
        assertTrue(responder.handled.isEmpty());
    }
}
