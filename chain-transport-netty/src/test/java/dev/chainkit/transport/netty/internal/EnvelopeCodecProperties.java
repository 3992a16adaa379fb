package dev.chainkit.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainkit.core.Abort;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.FailureCause;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.sync.ForwardMessage;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.sim.check.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Envelopes of every kind, with random chain ids, steps, names, incarnations and payloads of two protocols, survive
 * the envelope codec; a reply of a protocol without a codec is refused by name, a request of one reaches the engine
 * undecoded, and the engine's own answers (ABORTED, BUSY) need no codec. (Each protocol's own messages are
 * round-tripped beside its codec: {@code OplogCodecsProperties}, {@code ConfirmCodecProperties}.) Seeds:
 * {@code chainkit.seeds}, or one with {@code -Dchainkit.seed=N}.
 */
class EnvelopeCodecProperties {

    sealed interface Note permits Text, Count { }

    record Text(String text) implements Note { }

    record Count(long n) implements Note { }

    static final ProtocolCodec<Note> NOTES = ProtocolCodec.builder(Protocol.of("notes", Note.class, 6))
            .message(1, Text.class, (m, out) -> out.writeString(m.text()), in -> new Text(in.readString()))
            .message(2, Count.class, (m, out) -> out.writeLong(m.n()), in -> new Count(in.readLong()))
            .build();
    static final ProtocolCodec<ForwardMessage<Integer>> FORWARD = OplogCodecs.forward(PayloadCodec.integers());
    static final EnvelopeCodec CODEC = new EnvelopeCodec(CodecRegistry.of(NOTES, FORWARD));

    static LongStream seeds() {
        return Seeds.fromSystemProperty().stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyKindOfEnvelopeRoundTrips(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NodeId a = NodeId.of(name(random));
        NodeId b = NodeId.of(name(random) + "b");
        for (EnvelopeKind kind : EnvelopeKind.values()) {
            boolean fromInitiator = random.nextBoolean();
            NodeId initiator = fromInitiator ? a : b;
            long incarnation = 1 + random.nextLong(Long.MAX_VALUE - 1);
            Object payload = switch (kind) {
                case STEP, TERMINAL, SUPERSEDED -> random.nextBoolean() ? new Text(text(random))
                        : new Count(random.nextLong());
                case ABORTED -> new Abort(ABORT_CAUSES.get(random.nextInt(ABORT_CAUSES.size())), text(random));
                case BUSY -> null;
            };
            boolean forward = kind == EnvelopeKind.TERMINAL && random.nextBoolean();
            if (forward) {
                payload = new ForwardMessage.ForwardAck<Integer>(ForwardMessage.ForwardAck.Status.BEHIND);
            }
            Envelope e = new Envelope(forward ? "oplog-forward" : "notes",
                    new ChainId(initiator, incarnation, 1 + random.nextLong(1L << 40)), random.nextInt(1 << 20), a,
                    1 + random.nextLong(1L << 50), b, random.nextLong(1L << 50), kind, payload);
            WireWriter w = new WireWriter(8);
            assertEquals(true, CODEC.encode(e, w));
            Envelope back = CODEC.decode(new WireReader(w.toByteArray()), new EnvelopeCodec.Names(b, a));
            assertEquals(e, back, "seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplyOfAProtocolWithoutACodecIsRefusedByName(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String protocol = "p" + name(random);
        Envelope e = new Envelope(protocol, new ChainId(NodeId.of("b"), 1, 1 + random.nextInt(1000)),
                1 + 2 * random.nextInt(3), NodeId.of("a"), 1, NodeId.of("b"), 1,
                random.nextBoolean() ? EnvelopeKind.STEP : EnvelopeKind.TERMINAL, new Text(text(random)));
        WireWriter w = new WireWriter();
        assertEquals(true, new EnvelopeCodec(CodecRegistry.of(elsewhere(protocol))).encode(e, w));
        EnvelopeCodec.UnknownProtocolException ex = assertThrows(EnvelopeCodec.UnknownProtocolException.class,
                () -> CODEC.decode(new WireReader(w.toByteArray()), new EnvelopeCodec.Names(NodeId.of("b"), null)));
        assertEquals(protocol, ex.protocol());
        assertEquals(false, CODEC.encode(e, new WireWriter()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRequestOfAProtocolWithoutACodecReachesTheEngineUndecodedAndItsAnswersNeedNoCodec(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String protocol = "p" + name(random);
        ChainId chain = new ChainId(NodeId.of("a"), 1, 1 + random.nextInt(1000));
        Envelope request = new Envelope(protocol, chain, 2 * random.nextInt(3), NodeId.of("a"), 1, NodeId.of("b"), 0,
                EnvelopeKind.STEP, new Text(text(random)));
        WireWriter w = new WireWriter();
        assertEquals(true, new EnvelopeCodec(CodecRegistry.of(elsewhere(protocol))).encode(request, w));
        Envelope read = CODEC.decode(new WireReader(w.toByteArray()), new EnvelopeCodec.Names(NodeId.of("b"), null));
        assertEquals(request.chainId(), read.chainId());
        assertEquals(request.step(), read.step());
        assertEquals(protocol, ((EnvelopeCodec.UndecodedPayload) read.payload()).protocol());

        for (Object answer : new Object[] {new Abort(FailureCause.UNKNOWN_PROTOCOL, text(random)), null}) {
            Envelope e = new Envelope(protocol, chain, request.step() + 1, NodeId.of("b"), 1, NodeId.of("a"), 1,
                    answer == null ? EnvelopeKind.BUSY : EnvelopeKind.ABORTED, answer);
            WireWriter out = new WireWriter();
            assertEquals(true, CODEC.encode(e, out), "the engine's answers need no codec of the protocol");
            assertEquals(e, new EnvelopeCodec(CodecRegistry.of(elsewhere(protocol)))
                    .decode(new WireReader(out.toByteArray()), new EnvelopeCodec.Names(NodeId.of("a"), null)));
        }
    }

    /** The causes a responder reports, each of which must have its wire code. */
    static final List<FailureCause> ABORT_CAUSES =
            Arrays.stream(FailureCause.values()).filter(FailureCause::reportedByResponder).toList();

    static ProtocolCodec<Note> elsewhere(String protocol) {
        return ProtocolCodec.builder(Protocol.of(protocol, Note.class, 6))
                .message(1, Text.class, (m, out) -> out.writeString(m.text()), in -> new Text(in.readString()))
                .message(2, Count.class, (m, out) -> out.writeLong(m.n()), in -> new Count(in.readLong())).build();
    }

    static String name(SplittableRandom random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder b = new StringBuilder().append((char) ('a' + random.nextInt(26)));
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String text(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(random.nextInt(8) == 0 ? 0x4E00 + random.nextInt(500) : 0x20 + random.nextInt(90));
        }
        return b.toString();
    }

}
