package dev.chainkit.core.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes values as bytes into a growable array, in the wire SPI's formats: fixed-width integers big-endian,
 * unsigned LEB128 varints for counts and other non-negative numbers, strings as a varint byte length then UTF-8,
 * vectors as a varint count then the elements, options as a presence byte then the value.
 *
 * <p>Reuse one writer per thread with {@link #reset()}: the array only grows (to the largest message written).
 *
 * <p>Thread safety: not thread-safe; confine to one thread.
 */
public final class WireWriter {

    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int size;
    private CharsetEncoder utf8;

    /** A writer with a 256-byte initial array. */
    public WireWriter() {
        this(256);
    }

    /**
     * @param initialCapacity the initial array size in bytes, at least 1
     * @throws IllegalArgumentException if {@code initialCapacity} is below 1
     */
    public WireWriter(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initialCapacity must be at least 1 byte, got " + initialCapacity);
        }
        this.buf = new byte[initialCapacity];
    }

    /** Forgets what was written; keeps the array. */
    public WireWriter reset() {
        size = 0;
        return this;
    }

    /** How many bytes were written since the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /**
     * The backing array: bytes {@code 0 .. size() - 1} are what was written. Valid until the next write or reset;
     * do not keep it.
     */
    public byte[] array() {
        return buf;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Writes the low 8 bits of {@code value}. */
    public WireWriter writeByte(int value) {
        ensure(1);
        buf[size++] = (byte) value;
        return this;
    }

    /** Writes 1 for true, 0 for false. */
    public WireWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /** Writes 4 bytes, big-endian. */
    public WireWriter writeInt(int value) {
        ensure(4);
        buf[size] = (byte) (value >>> 24);
        buf[size + 1] = (byte) (value >>> 16);
        buf[size + 2] = (byte) (value >>> 8);
        buf[size + 3] = (byte) value;
        size += 4;
        return this;
    }

    /** Writes 8 bytes, big-endian. */
    public WireWriter writeLong(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    /**
     * Writes a non-negative int as an unsigned LEB128 varint: 1 byte below 128, at most 5.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public WireWriter writeVarInt(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a varint must be 0 or more, got " + value);
        }
        return writeVarLong(value);
    }

    /**
     * Writes a non-negative long as an unsigned LEB128 varint: 1 byte below 128, at most 9.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public WireWriter writeVarLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a varlong must be 0 or more, got " + value);
        }
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /**
     * Writes a string: its UTF-8 byte length as a varint, then the bytes.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is not valid UTF-16 (an unpaired surrogate)
     */
    public WireWriter writeString(String value) {
        int n = value.length();
        int i = 0;
        while (i < n && value.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            writeVarInt(n);
            ensure(n);
            for (int k = 0; k < n; k++) {
                buf[size + k] = (byte) value.charAt(k);
            }
            size += n;
            return this;
        }
        ByteBuffer bytes;
        try {
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            bytes = utf8.reset().encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid UTF-16 (an unpaired surrogate?): "
                    + abbreviate(value), e);
        }
        int len = bytes.remaining();
        writeVarInt(len);
        ensure(len);
        bytes.get(buf, size, len);
        size += len;
        return this;
    }

    /**
     * Writes {@code bytes} as they are, without a length (the reader must know how many to read).
     *
     * @throws NullPointerException if {@code bytes} is null
     */
    public WireWriter writeBytes(byte[] bytes) {
        return writeBytes(bytes, 0, bytes.length);
    }

    /**
     * Writes {@code length} bytes of {@code bytes} from {@code offset}, without a length.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     */
    public WireWriter writeBytes(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /**
     * Writes a sequence: its size as a varint, then each element with {@code element}. Each element must take at
     * least one byte (a reader bounds the count by the bytes left). A vavr {@code Vector} goes in as
     * {@code vector.asJava()}.
     *
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalStateException if an element was written as no bytes at all
     */
    public <T> WireWriter writeList(List<? extends T> values, WireEncoder<? super T> element) {
        Objects.requireNonNull(element, "element");
        writeVarInt(values.size());
        for (T v : values) {
            int before = size;
            element.encode(Objects.requireNonNull(v, "list element"), this);
            if (size == before) {
                throw new IllegalStateException("a list element must be written as at least one byte: " + v);
            }
        }
        return this;
    }

    /**
     * Writes an optional value: 0 when empty, else 1 and the value with {@code value}.
     *
     * @throws NullPointerException if an argument is null
     */
    public <T> WireWriter writeOptional(Optional<? extends T> option, WireEncoder<? super T> value) {
        Objects.requireNonNull(value, "value");
        if (option.isEmpty()) {
            return writeByte(0);
        }
        writeByte(1);
        value.encode(option.get(), this);
        return this;
    }

    private void ensure(int more) {
        if (buf.length - size >= more) {
            return;
        }
        long wanted = (long) size + more;
        if (wanted > MAX_SIZE) {
            throw new IllegalStateException("a wire message cannot exceed " + MAX_SIZE + " bytes");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(wanted, 2L * buf.length)));
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...' (" + s.length() + " chars)";
    }
}
