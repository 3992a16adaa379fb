package dev.chainkit.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Protocol;
import org.junit.jupiter.api.Test;

class ProtocolCodecTest {

    sealed interface Ping permits Ask, Answer { }

    record Ask(String question) implements Ping {
        Ask {
            if (question.isEmpty()) {
                throw new IllegalArgumentException("question must not be empty");
            }
        }
    }

    record Answer(int number) implements Ping { }

    static final Protocol<Ping> PING = Protocol.of("ping", Ping.class, 2);

    static final ProtocolCodec<Ping> CODEC = ProtocolCodec.builder(PING)
            .message(1, Ask.class, (m, out) -> out.writeString(m.question()), in -> new Ask(in.readString()))
            .message(2, Answer.class, (m, out) -> out.writeVarInt(m.number()), in -> new Answer(in.readVarInt()))
            .build();

    @Test
    void messagesRoundTripUnderTheirTags() {
        for (Ping p : new Ping[] {new Ask("why"), new Answer(42)}) {
            WireWriter w = new WireWriter();
            CODEC.encode(p, w);
            WireReader r = new WireReader(w.toByteArray());
            assertEquals(p, CODEC.decode(r));
            r.expectEnd();
        }
        assertEquals(2, CODEC.tagOf(new Answer(1)));
        assertEquals(2, CODEC.tags().size());
    }

    @Test
    void unknownTagIsRefusedBeforeItsBody() {
        UnknownTagException e = assertThrows(UnknownTagException.class,
                () -> CODEC.decode(new WireReader(new byte[] {3, 1, 2})));
        assertEquals(3, e.tag());
        assertEquals("ping", e.protocol());
        assertThrows(UnknownTagException.class, () -> CODEC.decode(new WireReader(new WireWriter()
                .writeVarInt(4000).toByteArray())));
        assertThrows(UnknownTagException.class, () -> CODEC.decode(new WireReader(new byte[] {0})));
    }

    @Test
    void aRecordThatRefusesItsFieldsIsAWireFormatError() {
        byte[] empty = new WireWriter().writeVarInt(1).writeString("").toByteArray();
        WireFormatException e = assertThrows(WireFormatException.class, () -> CODEC.decode(new WireReader(empty)));
        assertTrue(e.getMessage().contains("Ask (tag 1) refused: question must not be empty"), e.getMessage());
        byte[] truncated = {1, 5, 'a'};
        e = assertThrows(WireFormatException.class, () -> CODEC.decode(new WireReader(truncated)));
        assertTrue(e.getMessage().startsWith("at byte 2: in Ask (tag 1): expected a string of 5 bytes"),
                e.getMessage());
    }

    @Test
    void buildRefusesAForgottenMessageOfASealedType() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProtocolCodec.builder(PING)
                .message(1, Ask.class, (m, out) -> out.writeString(m.question()), in -> new Ask(in.readString()))
                .build());
        assertTrue(e.getMessage().contains("has no tag for " + Answer.class.getName()), e.getMessage());
    }

    @Test
    void builderRefusesTakenTagsAndTwiceRegisteredClasses() {
        ProtocolCodec.Builder<Ping> b = ProtocolCodec.builder(PING)
                .message(1, Ask.class, (m, out) -> out.writeString(m.question()), in -> new Ask(in.readString()));
        assertThrows(IllegalArgumentException.class, () -> b.message(1, Answer.class, (m, out) -> { },
                in -> new Answer(0)));
        assertThrows(IllegalArgumentException.class, () -> b.message(2, Ask.class, (m, out) -> { },
                in -> new Ask("x")));
        assertThrows(IllegalArgumentException.class, () -> b.message(0, Answer.class, (m, out) -> { },
                in -> new Answer(0)));
        assertThrows(IllegalArgumentException.class, () -> b.message(4096, Answer.class, (m, out) -> { },
                in -> new Answer(0)));
    }

    @Test
    void encodingAnUnregisteredClassIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> CODEC.encode("not a ping", new WireWriter()));
    }

    @Test
    void registryFindsCodecsByProtocolName() {
        CodecRegistry r = CodecRegistry.of(CODEC);
        assertEquals(CODEC, r.find("ping").orElseThrow());
        assertTrue(r.find("pong").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> r.with(CODEC));
    }
}
