package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.Abort;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.FailureCause;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes an envelope as the body of an {@code ENVELOPE} frame and reads it back. The envelope's fields are the
 * transport's; the payload is the protocol codec's. Layout:
 * <pre>
 * string   protocol name              strings: varint byte length, then UTF-8
 * string   chain initiator
 * varlong  chain incarnation
 * varlong  chain sequence
 * varint   step
 * string   sender
 * varlong  sender incarnation
 * string   receiver
 * varlong  receiver incarnation (0: unknown)
 * u8       kind: 1 STEP, 2 TERMINAL, 3 SUPERSEDED, 4 BUSY, 5 ABORTED
 * payload  STEP, TERMINAL, SUPERSEDED: varint tag, then the message body (the protocol's codec)
 *          ABORTED: u8 cause (the fixed codes of {@link #causeCode}), string detail; BUSY: nothing
 * </pre>
 * The frame must end exactly after the payload. ABORTED and BUSY are the engine's own answers: they are written and
 * read without the protocol's codec, so a node can refuse a chain of a protocol it does not speak, and the initiator
 * learns why at once. A request (a STEP) of such a protocol is read as far as its header and handed on with an
 * {@link UndecodedPayload}, for the engine to refuse with that answer. Not API.
 *
 * <p>Thread safety: immutable; {@link Names} instances are per link.
 */
public final class EnvelopeCodec {

    private final Map<String, ProtocolCodec<?>> codecs = new HashMap<>();
    /** Each protocol's name as it is encoded on the wire, to recognise it without decoding it. */
    private final byte[][] encodedNames;
    private final ProtocolCodec<?>[] byEncodedName;

    /** @param registry the protocols this node speaks */
    public EnvelopeCodec(CodecRegistry registry) {
        for (ProtocolCodec<?> c : registry.codecs()) {
            codecs.put(c.protocol(), c);
        }
        byEncodedName = codecs.values().toArray(new ProtocolCodec<?>[0]);
        encodedNames = new byte[byEncodedName.length][];
        for (int i = 0; i < byEncodedName.length; i++) {
            encodedNames[i] = new WireWriter().writeString(byEncodedName[i].protocol()).toByteArray();
        }
    }

    /**
     * Writes {@code e}.
     *
     * @return false (and nothing useful written) when the payload needs the protocol's codec and it has none
     * @throws IllegalArgumentException if the payload's codec refuses it (a programming error)
     */
    public boolean encode(Envelope e, WireWriter out) {
        ProtocolCodec<?> codec = codecs.get(e.protocol());
        boolean engineAnswer = e.kind() == EnvelopeKind.ABORTED || e.kind() == EnvelopeKind.BUSY;
        if (codec == null && !engineAnswer) {
            return false;
        }
        ChainId c = e.chainId();
        out.writeString(e.protocol()).writeString(c.initiator().name()).writeVarLong(c.incarnation())
                .writeVarLong(c.sequence()).writeVarInt(e.step()).writeString(e.sender().name())
                .writeVarLong(e.senderIncarnation()).writeString(e.receiver().name())
                .writeVarLong(e.receiverIncarnation()).writeByte(kindCode(e.kind()));
        switch (e.kind()) {
            case STEP, TERMINAL, SUPERSEDED -> codec.encode(e.payload(), out);
            case ABORTED -> {
                Abort abort = (Abort) e.payload();
                out.writeByte(causeCode(abort.cause())).writeString(abort.detail());
            }
            case BUSY -> { }
        }
        return true;
    }

    /**
     * Reads an envelope; the input must end right after it.
     *
     * @param names resolves node names to ids, reusing the link's known ones
     * @throws UnknownProtocolException if the protocol has no codec here and the envelope is not a request (the
     *     rest is not read); a request comes back with an {@link UndecodedPayload}
     * @throws dev.chainkit.core.wire.UnknownTagException if the payload's tag is not registered
     * @throws WireFormatException if anything else does not decode, or the fields make no envelope
     */
    public Envelope decode(WireReader in, Names names) {
        ProtocolCodec<?> codec = null;
        for (int i = 0; i < encodedNames.length && codec == null; i++) {
            if (in.readIfNext(encodedNames[i])) {
                codec = byEncodedName[i];
            }
        }
        Header h;
        if (codec != null) {
            h = readAfterProtocol(codec.protocol(), in, names);
        } else {
            h = readHeader(in, names);
            codec = codecs.get(h.protocol());
        }
        Object payload;
        if (h.kind() == EnvelopeKind.ABORTED) {
            payload = abort(in);
        } else if (h.kind() == EnvelopeKind.BUSY) {
            payload = null;
        } else if (codec != null) {
            payload = codec.decode(in);
        } else if (h.kind() == EnvelopeKind.STEP && h.step() % 2 == 0) {
            payload = new UndecodedPayload(h.protocol(), in.remaining());
            in.skip(in.remaining());
        } else {
            throw new UnknownProtocolException(0, h.protocol());
        }
        in.expectEnd();
        try {
            return new Envelope(h.protocol(), new ChainId(h.initiator(), h.chainIncarnation(), h.sequence()),
                    h.step(), h.sender(), h.senderIncarnation(), h.receiver(), h.receiverIncarnation(), h.kind(),
                    payload);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException(in.position(), "not an envelope: " + e.getMessage());
        }
    }

    /**
     * Reads the fields before the payload, with no codec: enough to route a frame or match a fault rule on it (a
     * proxy). The reader is left at the payload.
     *
     * @throws WireFormatException if the fields do not decode
     */
    public static Header readHeader(WireReader in, Names names) {
        return readAfterProtocol(in.readString(), in, names);
    }

    private static Header readAfterProtocol(String protocol, WireReader in, Names names) {
        NodeId initiator = names.resolve(in);
        long chainIncarnation = in.readVarLong();
        long sequence = in.readVarLong();
        int step = in.readVarInt();
        NodeId sender = names.resolve(in);
        long senderIncarnation = in.readVarLong();
        NodeId receiver = names.resolve(in);
        long receiverIncarnation = in.readVarLong();
        int kindAt = in.position();
        EnvelopeKind kind = kind(in.readByte(), kindAt);
        return new Header(protocol, initiator, chainIncarnation, sequence, step, sender, senderIncarnation, receiver,
                receiverIncarnation, kind);
    }

    /** An envelope's fields before its payload. */
    public record Header(String protocol, NodeId initiator, long chainIncarnation, long sequence, int step,
            NodeId sender, long senderIncarnation, NodeId receiver, long receiverIncarnation, EnvelopeKind kind) {
    }

    private static Abort abort(WireReader in) {
        int at = in.position();
        FailureCause cause = cause(in.readByte(), at);
        return new Abort(cause, in.readString());
    }

    /** The fixed wire code of each cause a responder reports; codes are never reused. */
    static int causeCode(FailureCause cause) {
        return switch (cause) {
            case UNKNOWN_PROTOCOL -> 1;
            case UNKNOWN_CHAIN -> 2;
            case RESPONDER_RESTARTED -> 3;
            case INCARNATION_REGRESSED -> 4;
            case INCARNATION_REUSED -> 5;
            case LATE_OPENING -> 6;
            case STEP_LIMIT -> 7;
            case RESPONDER_FAILED -> 8;
            case ANSWER_NOT_READY -> 9;
            case APPLICATION, BUSY, PROTOCOL_VIOLATION, NODE_CLOSED ->
                    throw new IllegalArgumentException("a responder does not abort a chain for " + cause);
        };
    }

    private static FailureCause cause(int code, int at) {
        return switch (code) {
            case 1 -> FailureCause.UNKNOWN_PROTOCOL;
            case 2 -> FailureCause.UNKNOWN_CHAIN;
            case 3 -> FailureCause.RESPONDER_RESTARTED;
            case 4 -> FailureCause.INCARNATION_REGRESSED;
            case 5 -> FailureCause.INCARNATION_REUSED;
            case 6 -> FailureCause.LATE_OPENING;
            case 7 -> FailureCause.STEP_LIMIT;
            case 8 -> FailureCause.RESPONDER_FAILED;
            case 9 -> FailureCause.ANSWER_NOT_READY;
            default -> throw new WireFormatException(at, "unknown abort cause code " + code + " (expected 1 to 9)");
        };
    }

    private static int kindCode(EnvelopeKind kind) {
        return switch (kind) {
            case STEP -> 1;
            case TERMINAL -> 2;
            case SUPERSEDED -> 3;
            case BUSY -> 4;
            case ABORTED -> 5;
        };
    }

    private static EnvelopeKind kind(int code, int at) {
        return switch (code) {
            case 1 -> EnvelopeKind.STEP;
            case 2 -> EnvelopeKind.TERMINAL;
            case 3 -> EnvelopeKind.SUPERSEDED;
            case 4 -> EnvelopeKind.BUSY;
            case 5 -> EnvelopeKind.ABORTED;
            default -> throw new WireFormatException(at, "unknown envelope kind code " + code + " (expected 1 to 5)");
        };
    }

    /**
     * The payload of a request of a protocol this node has no codec for: never a protocol's message, so no handler
     * sees it; the engine refuses the chain (it has no responder for the protocol either) with an ABORTED answer.
     *
     * @param protocol the protocol the request named
     * @param bytes how long its undecoded body was
     */
    public record UndecodedPayload(String protocol, int bytes) {
        @Override
        public String toString() {
            return "undecoded " + bytes + " bytes of protocol '" + protocol + "'";
        }
    }

    /** An envelope of a protocol this node has no codec for. */
    public static final class UnknownProtocolException extends WireFormatException {
        private final String protocol;

        UnknownProtocolException(int position, String protocol) {
            super(position, "no codec for protocol '" + protocol + "'");
            this.protocol = protocol;
        }

        /** The protocol named. */
        public String protocol() {
            return protocol;
        }
    }

    /**
     * Resolves node names read from a link to ids, reusing the ids of this node and of the peer (nearly every
     * name on a link is one of the two): their encoded names are recognised in the bytes, so the common case makes
     * neither a {@code String} nor a {@link NodeId}. Confined to the link's thread.
     */
    public static final class Names {
        private final NodeId self;
        private final NodeId peer;
        private final byte[] selfEncoded;
        private final byte[] peerEncoded;

        /**
         * @param self this node (may be null: a proxy)
         * @param peer the link's peer (may be null)
         */
        public Names(NodeId self, NodeId peer) {
            this.self = self;
            this.peer = peer;
            this.selfEncoded = self == null ? null : new WireWriter().writeString(self.name()).toByteArray();
            this.peerEncoded = peer == null ? null : new WireWriter().writeString(peer.name()).toByteArray();
        }

        /** Reads a node name and resolves it. @throws WireFormatException if it is not a valid node name */
        public NodeId resolve(WireReader in) {
            if (peer != null && in.readIfNext(peerEncoded)) {
                return peer;
            }
            if (self != null && in.readIfNext(selfEncoded)) {
                return self;
            }
            int at = in.position();
            String name = in.readString();
            if (peer != null && name.equals(peer.name())) {
                return peer;
            }
            if (self != null && name.equals(self.name())) {
                return self;
            }
            try {
                return NodeId.of(name);
            } catch (IllegalArgumentException e) {
                throw new WireFormatException(at, e.getMessage());
            }
        }
    }
}
