package dev.chainkit.core.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The codecs a node speaks, by protocol name: a transport writes and reads the payload of each envelope with the
 * codec of the envelope's protocol, and refuses a protocol it has no codec for.
 *
 * <p>Thread safety: immutable.
 */
public final class CodecRegistry {

    private static final CodecRegistry EMPTY = new CodecRegistry(Map.of());

    private final Map<String, ProtocolCodec<?>> byName;

    private CodecRegistry(Map<String, ProtocolCodec<?>> byName) {
        this.byName = byName;
    }

    /** A registry without codecs. */
    public static CodecRegistry empty() {
        return EMPTY;
    }

    /**
     * A registry of {@code codecs}.
     *
     * @throws NullPointerException if a codec is null
     * @throws IllegalArgumentException if two codecs are for the same protocol
     */
    public static CodecRegistry of(ProtocolCodec<?>... codecs) {
        CodecRegistry r = EMPTY;
        for (ProtocolCodec<?> c : codecs) {
            r = r.with(c);
        }
        return r;
    }

    /**
     * This registry with {@code codec} added.
     *
     * @throws NullPointerException if {@code codec} is null
     * @throws IllegalArgumentException if a codec for the same protocol is registered already
     */
    public CodecRegistry with(ProtocolCodec<?> codec) {
        Objects.requireNonNull(codec, "codec");
        if (byName.containsKey(codec.protocol())) {
            throw new IllegalArgumentException("a codec for protocol '" + codec.protocol() + "' is registered already");
        }
        Map<String, ProtocolCodec<?>> m = new LinkedHashMap<>(byName);
        m.put(codec.protocol(), codec);
        return new CodecRegistry(Collections.unmodifiableMap(m));
    }

    /**
     * This registry with every codec of {@code other} added.
     *
     * @throws IllegalArgumentException if both have a codec for the same protocol
     */
    public CodecRegistry with(CodecRegistry other) {
        CodecRegistry r = this;
        for (ProtocolCodec<?> c : other.codecs()) {
            r = r.with(c);
        }
        return r;
    }

    /** The codec of {@code protocol}, if registered. */
    public Optional<ProtocolCodec<?>> find(String protocol) {
        return Optional.ofNullable(byName.get(protocol));
    }

    /** Every codec, in the order they were added. */
    public List<ProtocolCodec<?>> codecs() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    @Override
    public String toString() {
        return "CodecRegistry" + byName.keySet();
    }
}
