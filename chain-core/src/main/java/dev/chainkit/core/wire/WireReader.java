package dev.chainkit.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads values from a range of a byte array in the formats {@link WireWriter} writes, checking every bound: a read
 * past the end, a varint that is too long, a length or count larger than the bytes left, a string that is not
 * valid UTF-8 or a boolean that is neither 0 nor 1 is a {@link WireFormatException} naming the byte where it was
 * found. Nothing is allocated for a length before it has been checked against the bytes left, so hostile input
 * never makes a reader allocate more than the input's size.
 *
 * <p>Thread safety: not thread-safe; confine to one thread. The array must not change while it is read.
 */
public final class WireReader {

    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;
    private CharsetDecoder utf8;

    /**
     * Reads the whole array.
     *
     * @throws NullPointerException if {@code bytes} is null
     */
    public WireReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /**
     * Reads {@code length} bytes of {@code bytes} from {@code offset}. Positions in errors count from
     * {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     */
    public WireReader(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.buf = bytes;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /** How many bytes were read so far. */
    public int position() {
        return pos - start;
    }

    /** How many bytes are left. */
    public int remaining() {
        return end - pos;
    }

    /**
     * Skips {@code n} bytes without reading them (a body this node cannot decode).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws WireFormatException if fewer than {@code n} bytes are left
     */
    public void skip(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("byte count must be 0 or more, got " + n);
        }
        needCount(n, "");
        pos += n;
    }

    /**
     * Reads {@code expected} if the next bytes are exactly it, and otherwise reads nothing. With the encoding of a
     * value the reader expects most of the time (say a node name, {@code new WireWriter().writeString(name)}), a
     * decoder recognises it without decoding it (no {@code String} made); when this returns false it reads the value
     * as usual, which also reports whatever is wrong with it.
     *
     * @param expected the bytes to match (may be empty)
     * @return whether they were there (and are now read)
     * @throws NullPointerException if {@code expected} is null
     */
    public boolean readIfNext(byte[] expected) {
        int n = expected.length;
        if (end - pos < n) {
            return false;
        }
        // a plain loop: the expected values are short (names), where Arrays.equals' vectorised setup costs more
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != expected[i]) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Reads one byte as an unsigned value, 0 to 255. @throws WireFormatException at the end */
    public int readByte() {
        need(1, "a byte");
        return buf[pos++] & 0xFF;
    }

    /** Reads a boolean written as 1 or 0. @throws WireFormatException at the end or for any other byte */
    public boolean readBoolean() {
        int at = position();
        int b = readByte();
        if (b > 1) {
            throw new WireFormatException(at, "expected a boolean (0 or 1), got " + b);
        }
        return b == 1;
    }

    /** Reads 4 bytes, big-endian. @throws WireFormatException if fewer are left */
    public int readInt() {
        need(4, "a 4-byte int");
        int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** Reads 8 bytes, big-endian. @throws WireFormatException if fewer are left */
    public long readLong() {
        need(8, "an 8-byte long");
        long hi = readInt() & 0xFFFFFFFFL;
        long lo = readInt() & 0xFFFFFFFFL;
        return hi << 32 | lo;
    }

    /**
     * Reads a non-negative int written by {@link WireWriter#writeVarInt}.
     *
     * @throws WireFormatException at the end, or if the value does not fit a non-negative int
     */
    public int readVarInt() {
        int at = position();
        long v = readVarLong();
        if (v > Integer.MAX_VALUE) {
            throw new WireFormatException(at, "expected a varint of at most " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }

    /**
     * Reads a non-negative long written by {@link WireWriter#writeVarLong}.
     *
     * @throws WireFormatException at the end, or if the varint is longer than 9 bytes (a non-negative long)
     */
    public long readVarLong() {
        int at = position();
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (pos >= end) {
                throw new WireFormatException(position(), "input ends inside a varint that started at byte " + at);
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new WireFormatException(at, "varint longer than 9 bytes (more than a non-negative long)");
    }

    /**
     * Reads a varint and checks it lies in {@code [min, max]}.
     *
     * @param what what the number means, for the error message
     * @throws WireFormatException at the end or when out of range
     */
    public int readVarInt(int min, int max, String what) {
        int at = position();
        int v = readVarInt();
        if (v < min || v > max) {
            throw new WireFormatException(at, what + " must be from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /**
     * Reads a string written by {@link WireWriter#writeString}.
     *
     * @throws WireFormatException if its length exceeds the bytes left or its bytes are not valid UTF-8
     */
    public String readString() {
        int at = position();
        int len = readVarInt();
        needCount(len, "a string of ");
        int from = pos;
        pos += len;
        boolean ascii = true;
        for (int i = from; i < pos; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, from, len, StandardCharsets.ISO_8859_1);
        }
        try {
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            return utf8.reset().decode(ByteBuffer.wrap(buf, from, len)).toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException(at, "string of " + len + " bytes is not valid UTF-8");
        }
    }

    /**
     * Reads exactly {@code n} bytes into a new array.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws WireFormatException if fewer are left
     */
    public byte[] readBytes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("byte count must be 0 or more, got " + n);
        }
        needCount(n, "");
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /**
     * Reads a sequence written by {@link WireWriter#writeList}, as an unmodifiable list. The count is checked against the bytes left (each
     * element takes at least one byte) before anything is allocated.
     *
     * @throws WireFormatException if the count exceeds the bytes left or an element does not decode
     */
    public <T> List<T> readList(WireDecoder<? extends T> element) {
        int at = position();
        int count = readVarInt();
        if (count > remaining()) {
            throw new WireFormatException(at, "list of " + count + " elements but only " + remaining()
                    + " bytes left");
        }
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(Objects.requireNonNull(element.decode(this), "decoded list element"));
        }
        return Collections.unmodifiableList(items);
    }

    /**
     * Reads an optional value written by {@link WireWriter#writeOptional}.
     *
     * @throws WireFormatException if the presence byte is neither 0 nor 1, or the value does not decode
     */
    public <T> Optional<T> readOptional(WireDecoder<? extends T> value) {
        return readBoolean() ? Optional.of(Objects.requireNonNull(value.decode(this), "decoded optional value"))
                : Optional.empty();
    }

    /** @throws WireFormatException if any byte is left */
    public void expectEnd() {
        if (pos != end) {
            throw new WireFormatException(position(), remaining() + " unexpected bytes after the end of the message");
        }
    }

    private void need(int n, String what) {
        if (end - pos < n) {
            throw new WireFormatException(position(), "expected " + what + " but only " + (end - pos)
                    + " bytes are left");
        }
    }

    /** {@link #need} of {@code n} bytes, described as {@code prefix + n + " bytes"} (built only on failure). */
    private void needCount(int n, String prefix) {
        if (end - pos < n) {
            need(n, prefix + n + " bytes");
        }
    }
}
