package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Abort;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.FailureCause;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.internal.Frames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad frames close the connection with a typed reason and a counter, and nothing of them reaches the node: oversize,
 * truncated, unknown frame type, unknown message tag, malformed body, bad magic, another wire version, a frame out
 * of turn. An envelope of a protocol the node does not speak is dropped and the link stays.
 */
class MalformedFramesTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");

    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));
    private final Echo.Recording responder = new Echo.Recording();
    private Loopback net;
    private NettyNode server;

    /** How many envelopes a test expects to reach the engine (never a handler): none, unless it says so. */
    private int envelopesForTheEngine;

    @BeforeEach
    void startServer() {
        net = new Loopback();
        server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                .register(Echo.PROTOCOL, responder)
                .settings(FAST.toBuilder().withMaxFrameBytes(4096).build()).listen(anyPort()).start());
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
        assertTrue(responder.handled.isEmpty(), "a bad frame reached the node: " + responder.handled);
        assertEquals(envelopesForTheEngine, server.stats().envelopesReceived());
    }

    @Test
    void anOversizeFrameBeforeTheHandshakeIsRefusedAtItsHeader() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.sendBytes(new WireWriter().writeInt(Frames.HANDSHAKE_MAX_FRAME + 1).toByteArray());
            assertEquals(CloseReason.OVERSIZE_FRAME, raw.closeReason());
        }
        assertClosed(CloseReason.OVERSIZE_FRAME);
    }

    @Test
    void anOversizeFrameOnALinkIsRefusedAtItsHeader() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.sendBytes(new WireWriter().writeInt(4097).writeByte(1).writeByte(Frames.ENVELOPE).toByteArray());
            assertEquals(CloseReason.OVERSIZE_FRAME, raw.closeReason());
        }
        assertClosed(CloseReason.OVERSIZE_FRAME);
    }

    @Test
    void aTruncatedFrameIsCounted() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.sendBytes(new WireWriter().writeInt(100).writeByte(1).writeByte(Frames.ENVELOPE).writeBytes(
                    new byte[10]).toByteArray());
        }
        assertClosed(CloseReason.TRUNCATED_FRAME);
    }

    @Test
    void anUnknownFrameTypeIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.send(99, new byte[] {1, 2, 3});
            assertEquals(CloseReason.UNKNOWN_TAG, raw.closeReason());
        }
        assertClosed(CloseReason.UNKNOWN_TAG);
    }

    @Test
    void anUnknownMessageTagIsRefused() throws Exception {
        ProtocolCodec<Other> nine = ProtocolCodec.builder(Protocol.of("echo", Other.class, 2))
                .message(9, Nine.class, (m, out) -> out.writeByte(0), in -> new Nine()).build();
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.send(new Envelope("echo", new ChainId(CLIENT, 1, 1), 0, CLIENT, 1, SERVER, 0, EnvelopeKind.STEP,
                    new Nine()), CodecRegistry.of(nine));
            assertEquals(CloseReason.UNKNOWN_TAG, raw.closeReason());
        }
        assertClosed(CloseReason.UNKNOWN_TAG);
    }

    @Test
    void aMalformedEnvelopeIsRefused() throws Exception {
        WireWriter w = new WireWriter().writeString("echo").writeString("client").writeVarLong(1).writeVarLong(1)
                .writeVarInt(0).writeString("client").writeVarLong(1).writeString("server").writeVarLong(0)
                .writeByte(1).writeVarInt(1).writeVarInt(7).writeString("fine").writeByte(42);
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.send(Frames.ENVELOPE, w.toByteArray());
            assertEquals(CloseReason.MALFORMED_FRAME, raw.closeReason(), "one trailing byte");
        }
        assertClosed(CloseReason.MALFORMED_FRAME);
    }

    @Test
    void aHelloWithoutTheMagicIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(Frames.HELLO, "GARBAGE!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(CloseReason.BAD_MAGIC, raw.closeReason());
        }
        assertClosed(CloseReason.BAD_MAGIC);
    }

    @Test
    void anotherWireVersionIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.sendBytes(new WireWriter().writeInt(2).writeByte(9).writeByte(Frames.HELLO).toByteArray());
            assertEquals(CloseReason.UNSUPPORTED_VERSION, raw.closeReason());
        }
        assertClosed(CloseReason.UNSUPPORTED_VERSION);
    }

    @Test
    void anEnvelopeBeforeTheHandshakeIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(new Envelope("echo", new ChainId(CLIENT, 1, 1), 0, CLIENT, 1, SERVER, 0, EnvelopeKind.STEP,
                    new Echo.Ask(1, "early")), CodecRegistry.of(Echo.CODEC));
            assertEquals(CloseReason.UNEXPECTED_FRAME, raw.closeReason());
        }
        assertClosed(CloseReason.UNEXPECTED_FRAME);
    }

    @Test
    void aRequestOfAnUnknownProtocolIsAnsweredWithItsCauseAndTheLinkStays() throws Exception {
        ProtocolCodec<Echo> other = ProtocolCodec.builder("elsewhere", Echo.class)
                .message(1, Echo.Ask.class, (m, out) -> out.writeVarInt(m.n()), in -> new Echo.Ask(in.readVarInt(), ""))
                .message(2, Echo.Answer.class, (m, out) -> { }, in -> new Echo.Answer(0, "")).build();
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.send(new Envelope("elsewhere", new ChainId(CLIENT, 1, 1), 0, CLIENT, 1, SERVER, 0,
                    EnvelopeKind.STEP, new Echo.Ask(1, "")), CodecRegistry.of(other));
            envelopesForTheEngine = 1; // it reaches the engine, which answers it; no handler sees it
            Envelope answer = raw.readEnvelope(CodecRegistry.of(other));
            assertEquals(EnvelopeKind.ABORTED, answer.kind());
            assertEquals(FailureCause.UNKNOWN_PROTOCOL, ((Abort) answer.payload()).cause());
            assertEquals(1, server.linkedPeers().size());
        }
    }

    @Test
    void aReplyOfAnUnknownProtocolIsDroppedAndTheLinkStays() throws Exception {
        ProtocolCodec<Echo> other = ProtocolCodec.builder("elsewhere", Echo.class)
                .message(1, Echo.Ask.class, (m, out) -> out.writeVarInt(m.n()), in -> new Echo.Ask(in.readVarInt(), ""))
                .message(2, Echo.Answer.class, (m, out) -> { }, in -> new Echo.Answer(0, "")).build();
        try (RawPeer raw = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
            raw.send(new Envelope("elsewhere", new ChainId(SERVER, 1, 1), 1, CLIENT, 1, SERVER, 1,
                    EnvelopeKind.TERMINAL, new Echo.Answer(1, "")), CodecRegistry.of(other));
            Loopback.await("the drop", Duration.ofSeconds(5),
                    () -> server.stats().dropped(DropReason.UNKNOWN_PROTOCOL) == 1);
            assertEquals(1, server.linkedPeers().size());
        }
    }

    interface Other { }

    record Nine() implements Other { }

    private void assertClosed(CloseReason reason) throws InterruptedException {
        Loopback.await(reason + " counted", Duration.ofSeconds(5), () -> server.stats().closed(reason) == 1);
        assertEquals(1, server.stats().closed().values().stream().mapToLong(Long::longValue).sum(),
                "one close, for one reason: " + server.stats().closed());
    }
}
