package dev.chainkit.sim.explore;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongBiFunction;

/**
 * The explorer's {@link StateSink}: writes a state's canonical description as bytes, prefix-free (every field
 * fixed-width or length-prefixed, values tagged), so that two descriptions are equal exactly when their fields
 * are.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Time relative to now.</b> {@link #putTime} writes {@code at - now}: the engine and the protocols only
 *   ever compare times with each other and with the clock, by difference, so shifting every time of a state by the
 *   same amount changes nothing they do. Two states that differ only by when they happen are one state.</li>
 *   <li><b>Sequences relative to the next chain.</b> {@link #putChainId} and {@link #putSequence} write a sequence
 *   as its distance below the next sequence its incarnation will use: sequences are only compared with each
 *   other (tables, watermarks) and within one incarnation, so renumbering all chains of an incarnation by the same
 *   amount changes nothing either. This is what lets a loop that opens new chains forever come back to a state it
 *   visited: a livelock becomes a cycle.</li>
 *   <li><b>Messages by their codec.</b> {@link #putMessage} writes the protocol's wire encoding, which is exact and
 *   stable by construction (stable tags).</li>
 *   <li><b>Class names the same in every JVM.</b> A value is tagged with its class's name ({@link #className}):
 *   a lambda's is its host class's, since the JVM names the classes it makes for lambdas by when and where it
 *   made them ({@code Host$$Lambda$624/0x00007fa76418e9e0}). So descriptions, and fingerprints, are the same in
 *   every run, and a {@link Checkpoints checkpoint} resumes in another JVM. Two lambdas of one class (an
 *   application's two timers) are told apart by the application's own description, which holds what it
 *   scheduled, as {@link StateSink}'s contract asks.</li>
 *   <li><b>Symmetry.</b> With a renaming, {@link #putNode} (and the initiator of a chain id) writes the node's new
 *   name; the explorer takes the least description over the renamings of nodes that play the same role.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; one per digest, on the thread of the nodes it describes.
 */
final class DigestSink implements StateSink {

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    private static final byte ENUM = 5;
    private static final byte NODE = 6;
    private static final byte CHAIN = 7;
    private static final byte DIGESTIBLE = 8;
    private static final byte NEVER = 9;
    private static final byte SOME = 10;

    private final long nowNs;
    private final ToLongBiFunction<NodeId, Long> nextSequence;
    private final CodecRegistry codecs;
    private final Map<String, String> rename;
    private final boolean endedChains;
    private final WireWriter scratch = new WireWriter(256);
    private byte[] buf = new byte[1024];
    private int size;

    /**
     * @param nowNs the present virtual time
     * @param nextSequence the next sequence of a node's incarnation (one more than the chains it opened)
     * @param codecs the codecs that describe messages
     * @param rename node names to write in place of others (symmetry); empty for none
     * @param endedChains whether to write the history of ended chains ({@link StateSink#endedChains()})
     */
    DigestSink(long nowNs, ToLongBiFunction<NodeId, Long> nextSequence, CodecRegistry codecs,
            Map<String, String> rename, boolean endedChains) {
        this.nowNs = nowNs;
        this.nextSequence = nextSequence;
        this.codecs = codecs;
        this.rename = rename;
        this.endedChains = endedChains;
    }

    @Override
    public boolean endedChains() {
        return endedChains;
    }

    /** The bytes written so far. */
    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    /** How many bytes were written so far. */
    int size() {
        return size;
    }

    /** The 128-bit fingerprint of the bytes written from {@code from} (a {@link #size()} taken before) on. */
    long[] fingerprintFrom(int from) {
        byte[] part = Arrays.copyOfRange(buf, from, size);
        return Hash128.of(part, part.length);
    }

    /** What {@code writer} writes, apart from what was written before (it is not added here). */
    byte[] capture(Runnable writer) {
        byte[] saved = buf;
        int savedSize = size;
        buf = new byte[256];
        size = 0;
        try {
            writer.run();
            return Arrays.copyOf(buf, size);
        } finally {
            buf = saved;
            size = savedSize;
        }
    }

    /** Writes parts captured apart, sorted: a multiset's canonical form. */
    void putSorted(List<byte[]> parts) {
        parts.sort(Comparator.comparingInt((byte[] b) -> b.length).thenComparing(Arrays::compareUnsigned));
        putInt(parts.size());
        for (byte[] p : parts) {
            putRaw(p, p.length);
        }
    }

    /** The name {@code node} is written as. */
    String nameOf(NodeId node) {
        String n = node.name();
        return rename.getOrDefault(n, n);
    }

    @Override
    public DigestSink putInt(int value) {
        ensure(4);
        buf[size++] = (byte) (value >>> 24);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
        return this;
    }

    @Override
    public DigestSink putLong(long value) {
        putInt((int) (value >>> 32));
        return putInt((int) value);
    }

    @Override
    public DigestSink putBoolean(boolean value) {
        return putByte(value ? 1 : 0);
    }

    @Override
    public DigestSink putString(String value) {
        if (value == null) {
            return putInt(-1);
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        putRaw(b, b.length);
        return this;
    }

    @Override
    public DigestSink putNode(NodeId node) {
        return putString(node == null ? null : nameOf(node));
    }

    @Override
    public DigestSink putTime(long atNs) {
        if (atNs == Long.MAX_VALUE) {
            return putByte(NEVER);
        }
        putByte(SOME);
        return putLong(atNs - nowNs);
    }

    @Override
    public DigestSink putChainId(ChainId id) {
        if (id == null) {
            return putByte(NULL);
        }
        putByte(CHAIN);
        putNode(id.initiator()).putLong(id.incarnation());
        return putLong(nextSequence.applyAsLong(id.initiator(), id.incarnation()) - id.sequence());
    }

    @Override
    public DigestSink putSequence(NodeId initiator, long incarnation, long sequence) {
        if (sequence == 0 || incarnation == 0) {
            putByte(NULL);
            return putLong(sequence);
        }
        putByte(SOME);
        return putLong(nextSequence.applyAsLong(initiator, incarnation) - sequence);
    }

    @Override
    public DigestSink putMessage(String protocol, Object message) {
        if (message == null) {
            return putByte(NULL);
        }
        Optional<ProtocolCodec<?>> codec = codecs.find(protocol);
        if (codec.isPresent()) {
            scratch.reset();
            codec.get().encode(message, scratch);
            putByte(SOME);
            putInt(scratch.size());
            putRaw(scratch.array(), scratch.size());
            return this;
        }
        if (message instanceof StateDigestible d) {
            putByte(DIGESTIBLE);
            putString(className(message.getClass()));
            d.digest(this);
            return this;
        }
        throw new IllegalStateException("the explorer cannot describe messages of protocol '" + protocol
                + "' (a " + message.getClass().getName() + "): give the model the protocol's codec"
                + " (ExploreModel.codecs), or make its messages StateDigestible");
    }

    @Override
    public DigestSink putValue(Object value) {
        if (value == null) {
            return putByte(NULL);
        }
        if (value instanceof StateDigestible d) {
            putByte(DIGESTIBLE);
            putString(className(value.getClass()));
            d.digest(this);
        } else if (value instanceof String s) {
            putByte(STRING).putString(s);
        } else if (value instanceof Integer i) {
            putByte(INT).putInt(i);
        } else if (value instanceof Long l) {
            putByte(LONG).putLong(l);
        } else if (value instanceof Boolean b) {
            putByte(BOOLEAN).putBoolean(b);
        } else if (value instanceof Enum<?> e) {
            putByte(ENUM).putString(e.getDeclaringClass().getName()).putInt(e.ordinal());
        } else if (value instanceof NodeId n) {
            putByte(NODE).putNode(n);
        } else if (value instanceof ChainId c) {
            putChainId(c);
        } else {
            throw new IllegalArgumentException("the explorer cannot describe a " + value.getClass().getName()
                    + ": make it StateDigestible, or describe it in the model's digest");
        }
        return this;
    }

    /**
     * The name of {@code c} as a description writes it, the same in every JVM: its name, or for a class the JVM
     * made at run time (a lambda's), the name of the class it was made for.
     */
    static String className(Class<?> c) {
        if (!c.isHidden()) {
            return c.getName();
        }
        String name = c.getName();
        int lambda = name.indexOf("$$Lambda");
        int slash = name.indexOf('/');
        return name.substring(0, lambda >= 0 ? lambda : slash >= 0 ? slash : name.length()) + " (made at run time)";
    }

    private DigestSink putByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    private void putRaw(byte[] b, int length) {
        ensure(length);
        System.arraycopy(b, 0, buf, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
