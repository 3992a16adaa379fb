package dev.chainkit.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireWriterReaderTest {

    @Test
    void valuesRoundTrip() {
        WireWriter w = new WireWriter(1);
        w.writeByte(200).writeBoolean(true).writeInt(-7).writeLong(Long.MIN_VALUE).writeVarInt(0)
                .writeVarInt(Integer.MAX_VALUE).writeVarLong(Long.MAX_VALUE).writeString("").writeString("plain")
                .writeString("héllo 🎲 wörld").writeBytes(new byte[] {1, 2, 3})
                .writeList(List.of("a", "bc"), (s, out) -> out.writeString(s))
                .writeOptional(Optional.of(5), (v, out) -> out.writeVarInt(v)).writeOptional(Optional.empty(),
                        (Integer v, WireWriter out) -> out.writeVarInt(v));
        WireReader r = new WireReader(w.toByteArray());
        assertEquals(200, r.readByte());
        assertTrue(r.readBoolean());
        assertEquals(-7, r.readInt());
        assertEquals(Long.MIN_VALUE, r.readLong());
        assertEquals(0, r.readVarInt());
        assertEquals(Integer.MAX_VALUE, r.readVarInt());
        assertEquals(Long.MAX_VALUE, r.readVarLong());
        assertEquals("", r.readString());
        assertEquals("plain", r.readString());
        assertEquals("héllo 🎲 wörld", r.readString());
        assertArrayEquals(new byte[] {1, 2, 3}, r.readBytes(3));
        assertEquals(List.of("a", "bc"), r.readList(WireReader::readString));
        assertEquals(Optional.of(5), r.readOptional(WireReader::readVarInt));
        assertEquals(Optional.empty(), r.readOptional(WireReader::readVarInt));
        r.expectEnd();
    }

    @Test
    void readIfNextReadsOnlyAnExactMatch() {
        byte[] server = new WireWriter().writeString("server").toByteArray();
        byte[] bytes = new WireWriter().writeString("servers").writeString("server").writeVarInt(7).toByteArray();
        WireReader r = new WireReader(bytes, 0, bytes.length);
        assertFalse(r.readIfNext(server), "a longer string with the same start is not a match");
        assertEquals(0, r.position(), "no match reads nothing");
        assertEquals("servers", r.readString());
        assertTrue(r.readIfNext(server));
        assertEquals(bytes.length - 1, r.position());
        assertFalse(r.readIfNext(server), "fewer bytes left than expected");
        assertTrue(r.readIfNext(new byte[0]));
        assertEquals(7, r.readVarInt());
        r.expectEnd();
        WireReader cut = new WireReader(server, 0, server.length - 1);
        assertFalse(cut.readIfNext(server), "a match cut short by the end is no match");
        assertThrows(WireFormatException.class, cut::readString);
    }

    @Test
    void varintsTakeOneByteBelow128AndAtMostNine() {
        assertEquals(1, new WireWriter().writeVarLong(127).size());
        assertEquals(2, new WireWriter().writeVarLong(128).size());
        assertEquals(9, new WireWriter().writeVarLong(Long.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().writeVarInt(-1));
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().writeVarLong(-1));
    }

    @Test
    void randomVarlongsRoundTrip() {
        long seed = Long.getLong("chainkit.seed", System.nanoTime());
        System.out.println("WireWriterReaderTest.randomVarlongsRoundTrip seed " + seed + " (replay: -Dchainkit.seed="
                + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        WireWriter w = new WireWriter();
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            w.writeVarLong(values[i]);
        }
        WireReader r = new WireReader(w.toByteArray());
        for (long v : values) {
            assertEquals(v, r.readVarLong(), "seed " + seed);
        }
        r.expectEnd();
    }

    @Test
    void truncatedInputSaysWhereAndWhat() {
        byte[] bytes = new WireWriter().writeString("hello").toByteArray();
        WireReader r = new WireReader(bytes, 0, 3);
        WireFormatException e = assertThrows(WireFormatException.class, r::readString);
        assertEquals("at byte 1: expected a string of 5 bytes but only 2 bytes are left", e.getMessage());
        assertEquals(1, e.position());
    }

    @Test
    void hostileCountsAreRefusedBeforeAllocating() {
        byte[] bytes = new WireWriter().writeVarInt(Integer.MAX_VALUE).writeByte(1).toByteArray();
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> new WireReader(bytes).readList(WireReader::readByte));
        assertTrue(e.getMessage().contains("list of 2147483647 elements but only 1 bytes left"), e.getMessage());
        assertThrows(WireFormatException.class, () -> new WireReader(bytes).readString());
    }

    @Test
    void malformedValuesAreRefused() {
        assertThrows(WireFormatException.class, () -> new WireReader(new byte[] {2}).readBoolean());
        byte[] tooLong = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertThrows(WireFormatException.class, () -> new WireReader(tooLong).readVarLong());
        byte[] bigInt = new WireWriter().writeVarLong(1L << 40).toByteArray();
        assertThrows(WireFormatException.class, () -> new WireReader(bigInt).readVarInt());
        byte[] badUtf8 = {2, (byte) 0xC3, (byte) 0x28};
        WireFormatException e = assertThrows(WireFormatException.class, () -> new WireReader(badUtf8).readString());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        assertThrows(WireFormatException.class, () -> new WireReader(new byte[] {2}).readVarInt(0, 1, "kind"));
        WireReader left = new WireReader(new byte[] {1, 2});
        left.readByte();
        assertThrows(WireFormatException.class, left::expectEnd);
    }

    @Test
    void unpairedSurrogateIsRefusedOnWrite() {
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().writeString("a\uD800b"));
    }

    @Test
    void emptyListElementsAreRefusedOnWrite() {
        assertThrows(IllegalStateException.class,
                () -> new WireWriter().writeList(List.of("x"), (s, out) -> { }));
    }
}
