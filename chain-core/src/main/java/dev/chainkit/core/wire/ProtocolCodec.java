package dev.chainkit.core.wire;

import dev.chainkit.core.Protocol;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How one protocol's messages are written on the wire: each message class has a stable tag (a number the
 * protocol's author fixes once and never reuses) and an encoder and decoder for its body. A message is written as
 * its tag (a varint) then its body; only registered tags decode.
 *
 * <pre>{@code
 * static final ProtocolCodec<Ping> CODEC = ProtocolCodec.builder(PING)
 *         .message(1, Ask.class, (m, out) -> out.writeString(m.question()), in -> new Ask(in.readString()))
 *         .message(2, Answer.class, (m, out) -> out.writeString(m.text()), in -> new Answer(in.readString()))
 *         .build();
 * }</pre>
 *
 * <p>If the protocol's message type is a sealed interface, {@link Builder#build()} checks that every concrete
 * class it permits (through nested sealed interfaces too) has a tag, so a message added later cannot be forgotten.
 *
 * <p>Thread safety: immutable, shared by every node and thread (its encoders and decoders must be stateless).
 *
 * @param <M> the protocol's message type
 */
public final class ProtocolCodec<M> {

    private final String protocol;
    private final Class<M> messageType;
    private final Map<Class<?>, Entry<?>> byClass;
    private final Entry<?>[] byTag;
    private final SortedMap<Integer, Class<?>> tags;

    private ProtocolCodec(Builder<M> b) {
        this.protocol = b.protocol;
        this.messageType = b.messageType;
        this.byClass = Map.copyOf(b.byClass);
        int maxTag = b.tags.lastKey();
        this.byTag = new Entry<?>[maxTag + 1];
        for (Entry<?> e : b.byClass.values()) {
            byTag[e.tag] = e;
        }
        this.tags = Collections.unmodifiableSortedMap(new TreeMap<>(b.tags));
    }

    /**
     * Starts a codec for {@code protocol}.
     *
     * @throws NullPointerException if {@code protocol} is null
     */
    public static <M> Builder<M> builder(Protocol<M> protocol) {
        return new Builder<>(protocol.name(), protocol.messageType());
    }

    /**
     * Starts a codec for the protocol named {@code protocol} whose messages are of {@code messageType}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank
     */
    public static <M> Builder<M> builder(String protocol, Class<M> messageType) {
        return new Builder<>(protocol, messageType);
    }

    /** The protocol's name, as carried in every envelope. */
    public String protocol() {
        return protocol;
    }

    /** The protocol's message type. */
    public Class<M> messageType() {
        return messageType;
    }

    /** Each registered tag with its message class, in tag order. */
    public SortedMap<Integer, Class<?>> tags() {
        return tags;
    }

    /**
     * The tag of {@code message}'s class.
     *
     * @throws IllegalArgumentException if the class has no tag in this codec
     */
    public int tagOf(Object message) {
        return entry(message).tag;
    }

    /**
     * Writes {@code message}: its tag as a varint, then its body.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the message's class has no tag, or its encoder refuses a value
     */
    public void encode(Object message, WireWriter out) {
        Entry<?> e = entry(message);
        out.writeVarInt(e.tag);
        e.write(message, out);
    }

    /**
     * Reads one message as {@link #encode} wrote it. Does not check that the input ends after it.
     *
     * @throws UnknownTagException if the tag is not registered (before the body is read)
     * @throws WireFormatException if the body does not decode, or the message's constructor refuses it (the
     *     exception's message names the tag and class)
     */
    public M decode(WireReader in) {
        int at = in.position();
        int tag = in.readVarInt();
        Entry<?> e = tag < byTag.length ? byTag[tag] : null;
        if (e == null) {
            throw new UnknownTagException(at, protocol, tag);
        }
        Object message;
        try {
            message = e.decoder.decode(in);
        } catch (WireFormatException ex) {
            throw new WireFormatException(ex.position(), "in " + e.type.getSimpleName() + " (tag " + tag + "): "
                    + ex.detail());
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new WireFormatException(in.position(), e.type.getSimpleName() + " (tag " + tag + ") refused: "
                    + ex.getMessage());
        }
        if (!e.type.isInstance(message)) {
            throw new IllegalStateException("decoder of tag " + tag + " in protocol '" + protocol + "' returned "
                    + (message == null ? "null" : message.getClass().getName()) + ", expected " + e.type.getName());
        }
        return messageType.cast(message);
    }

    private Entry<?> entry(Object message) {
        Objects.requireNonNull(message, "message");
        Entry<?> e = byClass.get(message.getClass());
        if (e == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " has no tag in the codec of protocol '"
                    + protocol + "' (tagged: " + tags + ")");
        }
        return e;
    }

    @Override
    public String toString() {
        return "ProtocolCodec[" + protocol + " " + tags.size() + " messages]";
    }

    private record Entry<T>(int tag, Class<T> type, WireEncoder<? super T> encoder,
            WireDecoder<? extends T> decoder) {
        void write(Object message, WireWriter out) {
            encoder.encode(type.cast(message), out);
        }
    }

    /**
     * Builds a {@link ProtocolCodec}. Not thread-safe.
     *
     * @param <M> the protocol's message type
     */
    public static final class Builder<M> {
        /** The largest tag: tags index a table, so keep them small and dense. */
        public static final int MAX_TAG = 4095;

        private final String protocol;
        private final Class<M> messageType;
        private final Map<Class<?>, Entry<?>> byClass = new HashMap<>();
        private final TreeMap<Integer, Class<?>> tags = new TreeMap<>();

        private Builder(String protocol, Class<M> messageType) {
            Objects.requireNonNull(protocol, "protocol");
            this.messageType = Objects.requireNonNull(messageType, "messageType");
            if (protocol.isBlank()) {
                throw new IllegalArgumentException("protocol name must not be blank");
            }
            this.protocol = protocol;
        }

        /**
         * Registers a message class under {@code tag}.
         *
         * @param tag the stable tag, 1 to {@value #MAX_TAG} (0 is reserved)
         * @param type the message's concrete class (a record, usually)
         * @param encoder writes its body
         * @param decoder reads its body
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the tag is out of range or taken, the class is registered already, is
         *     not a subtype of the message type, or is abstract or an interface (tags are looked up by exact class)
         */
        public <T extends M> Builder<M> message(int tag, Class<T> type, WireEncoder<? super T> encoder,
                WireDecoder<? extends T> decoder) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(decoder, "decoder");
            if (tag < 1 || tag > MAX_TAG) {
                throw new IllegalArgumentException("tag of " + type.getSimpleName() + " must be from 1 to " + MAX_TAG
                        + ", got " + tag);
            }
            if (!messageType.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is not a " + messageType.getName());
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                throw new IllegalArgumentException(type.getName() + " is abstract; register its concrete classes");
            }
            if (tags.containsKey(tag)) {
                throw new IllegalArgumentException("tag " + tag + " of protocol '" + protocol + "' is taken by "
                        + tags.get(tag).getSimpleName() + "; cannot give it to " + type.getSimpleName());
            }
            if (byClass.containsKey(type)) {
                throw new IllegalArgumentException(type.getSimpleName() + " already has tag "
                        + byClass.get(type).tag + " in protocol '" + protocol + "'");
            }
            byClass.put(type, new Entry<>(tag, type, encoder, decoder));
            tags.put(tag, type);
            return this;
        }

        /**
         * @throws IllegalStateException if no message is registered, or the message type is sealed and one of the
         *     concrete classes it permits has no tag
         */
        public ProtocolCodec<M> build() {
            if (tags.isEmpty()) {
                throw new IllegalStateException("the codec of protocol '" + protocol + "' has no message");
            }
            List<String> missing = new ArrayList<>();
            collectUntagged(messageType, missing);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the codec of protocol '" + protocol + "' has no tag for "
                        + String.join(", ", missing));
            }
            return new ProtocolCodec<>(this);
        }

        private void collectUntagged(Class<?> type, List<String> missing) {
            if (type.isSealed()) {
                for (Class<?> sub : type.getPermittedSubclasses()) {
                    collectUntagged(sub, missing);
                }
            } else if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !byClass.containsKey(type)
                    && type != messageType) {
                missing.add(type.getName());
            }
        }
    }
}
