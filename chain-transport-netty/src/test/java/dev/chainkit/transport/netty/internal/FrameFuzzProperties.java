package dev.chainkit.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.sim.check.Seeds;
import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.NodeSecrets;
import dev.chainkit.transport.netty.TransportListener;
import dev.chainkit.transport.netty.TransportSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random and mutated bytes, fed to an accepting node's real pipeline (on Netty's embedded channel, thread-free and
 * deterministic), never throw into the pipeline and never take the internal-error path: every connection ends with
 * one of the typed reasons for bad input, and the node handles at most one envelope per envelope frame fed after a
 * completed handshake (a mutation may leave a frame valid; nothing before the handshake reaches the node). Each
 * seed plays a handful of connections: raw garbage, mutated handshakes, and an honest handshake followed by mutated
 * and random frames. Seeds: {@code chainkit.seeds}, or one with {@code -Dchainkit.seed=N}; byte strings are at most
 * a few hundred bytes, so a seed takes milliseconds.
 */
class FrameFuzzProperties {

    private static final NodeId SERVER = NodeId.of("server");
    private static final NodeId CLIENT = NodeId.of("client");
    private static final NodeSecrets SECRETS = NodeSecrets.generate(List.of(SERVER, CLIENT));
    private static final Set<CloseReason> BAD_INPUT = Set.of(CloseReason.BAD_MAGIC, CloseReason.UNSUPPORTED_VERSION,
            CloseReason.OVERSIZE_FRAME, CloseReason.TRUNCATED_FRAME, CloseReason.UNKNOWN_TAG,
            CloseReason.MALFORMED_FRAME, CloseReason.UNEXPECTED_FRAME, CloseReason.UNKNOWN_NODE,
            CloseReason.WRONG_PROOF, CloseReason.REPLAYED_HANDSHAKE, CloseReason.STALE_INCARNATION,
            CloseReason.WRONG_PEER, CloseReason.PEER_CLOSED, CloseReason.BAD_UPGRADE, CloseReason.REPLACED);

    sealed interface Ping permits Ask, Answer { }

    record Ask(String text) implements Ping { }

    record Answer(long n) implements Ping { }

    static final Protocol<Ping> PING = Protocol.of("ping", Ping.class, 2);
    static final ProtocolCodec<Ping> CODEC = ProtocolCodec.builder(PING)
            .message(1, Ask.class, (m, out) -> out.writeString(m.text()), in -> new Ask(in.readString()))
            .message(2, Answer.class, (m, out) -> out.writeVarLong(m.n()), in -> new Answer(in.readVarLong()))
            .build();

    static LongStream seeds() {
        return Seeds.fromSystemProperty().stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void badBytesNeverThrowAndNeverReachTheNode(long seed) {
        String replay = "seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")";
        SplittableRandom random = new SplittableRandom(seed);
        EmbeddedChannel loopChannel = new EmbeddedChannel();
        AtomicInteger handled = new AtomicInteger();
        NodeHost host = new NodeHost(SERVER, 1, TransportSettings.builder().withMaxFrameBytes(512).build(), SECRETS,
                CodecRegistry.of(CODEC), loopChannel.eventLoop(), TransportListener.NONE, null, null,
                new SplittableRandom(seed));
        host.start(h -> {
            ChainNode n = ChainNode.builder(SERVER, 1).transport(h).clock(NanoClock.system()).scheduler(h.scheduler())
                    .build();
            n.register(PING, (chain, m) -> {
                handled.incrementAndGet();
                return ResponderAction.replyAndTerminate(new Answer(1));
            });
            return n;
        }, null, Map.of());
        int linkedFrames = 0;
        for (int c = 0; c < 6; c++) {
            EmbeddedChannel ch = new EmbeddedChannel(host.pipelines.accepted());
            switch (random.nextInt(3)) {
                case 0 -> ch.writeInbound(Unpooled.wrappedBuffer(garbage(random)));
                case 1 -> ch.writeInbound(Unpooled.wrappedBuffer(mutate(random, hello(Handshake.nonce(), 1 + c))));
                default -> linkedFrames += linkThenFuzz(random, ch, 1 + c);
            }
            loopChannel.runPendingTasks();
            ch.runPendingTasks();
            ch.checkException();
            ch.finishAndReleaseAll();
            Connection conn = Connection.of(ch);
            assertTrue(conn.reason() == null || BAD_INPUT.contains(conn.reason()) || conn.reason()
                    == CloseReason.NODE_CLOSED, replay + ": closed as " + conn.reason());
        }
        assertEquals(0, host.counters().snapshot().closed(CloseReason.IO_ERROR), replay + ": internal error path");
        assertTrue(handled.get() <= linkedFrames, replay + ": " + handled.get() + " handled, " + linkedFrames
                + " frames fed on links");
        host.close();
        loopChannel.finishAndReleaseAll();
    }

    /** An honest handshake, then random, mutated and valid envelope frames; returns how many frames were fed. */
    private static int linkThenFuzz(SplittableRandom random, EmbeddedChannel ch, long incarnation) {
        byte[] nonce = Handshake.nonce();
        ch.writeInbound(Unpooled.wrappedBuffer(hello(nonce, incarnation)));
        ByteBuf challengeFrame = ch.readOutbound();
        WireReader r = body(challengeFrame);
        Handshake.Challenge challenge = Handshake.readChallenge(r);
        byte[] transcript = Handshake.transcript(challenge.version(), CLIENT, incarnation, nonce, SERVER,
                challenge.incarnation(), challenge.nonce());
        byte[] proof = Handshake.dialerProof(SECRETS, CLIENT, transcript).orElseThrow();
        ch.writeInbound(Unpooled.wrappedBuffer(frame(Frames.PROOF, proof)));
        ByteBuf welcome = ch.readOutbound();
        assertEquals(Frames.WELCOME, welcome.getUnsignedByte(5));
        welcome.release();
        EnvelopeCodec envelopes = new EnvelopeCodec(CodecRegistry.of(CODEC));
        int frames = 1 + random.nextInt(6);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            WireWriter w = new WireWriter();
            envelopes.encode(new Envelope("ping", new ChainId(CLIENT, incarnation, 1 + i), 0, CLIENT, incarnation,
                    SERVER, 0, EnvelopeKind.STEP, new Ask("q" + random.nextInt(100))), w);
            byte[] envelope = frame(Frames.ENVELOPE, w.toByteArray());
            switch (random.nextInt(4)) {
                case 0 -> chunks.add(garbage(random));
                case 1 -> chunks.add(mutate(random, envelope));
                default -> chunks.add(envelope);
            }
        }
        int fed = 0;
        for (byte[] chunk : chunks) {
            if (!ch.isOpen()) {
                break;
            }
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            fed++;
        }
        return fed;
    }

    private static byte[] hello(byte[] nonce, long incarnation) {
        WireWriter w = new WireWriter();
        Handshake.write(new Handshake.Hello(Frames.MIN_VERSION, Frames.MAX_VERSION, CLIENT, incarnation, nonce), w);
        return frame(Frames.HELLO, w.toByteArray());
    }

    private static byte[] frame(int type, byte[] body) {
        return new WireWriter().writeInt(body.length + 2).writeByte(Frames.MAX_VERSION).writeByte(type)
                .writeBytes(body).toByteArray();
    }

    private static WireReader body(ByteBuf frame) {
        byte[] b = new byte[frame.readableBytes() - Frames.HEADER_BYTES];
        frame.getBytes(Frames.HEADER_BYTES, b);
        frame.release();
        return new WireReader(b);
    }

    /** Random bytes; half the time behind a plausible frame header. */
    private static byte[] garbage(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        if (b.length >= 6 && random.nextBoolean()) {
            int len = random.nextInt(b.length);
            b[0] = 0;
            b[1] = 0;
            b[2] = (byte) (len >>> 8);
            b[3] = (byte) len;
            b[4] = 1;
            b[5] = (byte) (1 + random.nextInt(8));
        }
        return b;
    }

    /** {@code bytes} with one to three bytes changed, and sometimes cut short or extended. */
    private static byte[] mutate(SplittableRandom random, byte[] bytes) {
        byte[] m = bytes.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            m[random.nextInt(m.length)] = (byte) random.nextInt(256);
        }
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(m, random.nextInt(m.length + 1));
            case 1 -> java.util.Arrays.copyOf(m, m.length + 1 + random.nextInt(8));
            default -> m;
        };
    }
}
