package dev.chainkit.oplog.sync;

import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireDecoder;
import dev.chainkit.core.wire.WireEncoder;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.ForwardMessage.ForwardAck;
import dev.chainkit.oplog.sync.ForwardMessage.ForwardSync;
import dev.chainkit.oplog.sync.SubscribeMessage.Refused;
import dev.chainkit.oplog.sync.SubscribeMessage.Subscribe;
import dev.chainkit.oplog.sync.SubscribeMessage.Subscribed;
import dev.chainkit.oplog.sync.SyncMessage.OpProcessor;
import dev.chainkit.oplog.sync.SyncMessage.OpSync;
import dev.chainkit.oplog.sync.SyncMessage.ProcessorDecision;
import dev.chainkit.oplog.sync.SyncMessage.SyncFailed;
import dev.chainkit.oplog.sync.SyncMessage.SyncRejected;
import dev.chainkit.oplog.sync.SyncMessage.SyncSuccess;
import dev.chainkit.oplog.sync.SyncMessage.SyncSuccessWithNewOps;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.util.Objects;

/**
 * The wire codecs of the op-log sync chain ({@link OplogProtocols#SYNC_NAME}), forward chain
 * ({@link OplogProtocols#FORWARD_NAME}) and subscribe chain ({@link OplogProtocols#SUBSCRIBE_NAME}), for a domain's
 * payloads.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Tags are fixed forever.</b> Sync: {@code OpSync} 1, {@code SyncSuccess} 2, {@code SyncSuccessWithNewOps}
 *   3, {@code OpProcessor} 4, {@code ProcessorDecision} 5, {@code SyncFailed} 6, {@code SyncRejected} 7 (reasons:
 *   {@code UNKNOWN_ANCHOR} 1, {@code WRONG_LOG} 2, {@code INVALID_DECISION} 3, {@code UNEXPECTED_MESSAGE} 4,
 *   {@code OP_ID_REUSED} 5, {@code STORE_FAILED} 6, {@code NOT_A_MEMBER} 7, {@code FORGED_AUTHOR} 8,
 *   {@code TOO_MANY_OPS} 9, {@code OP_TOO_LARGE} 10).
 *   Forward: {@code ForwardSync} 1, {@code ForwardAck} 2 (statuses: {@code APPLIED} 1, {@code DEFERRED} 2,
 *   {@code BEHIND} 3). Subscribe: {@code Subscribe} 1, {@code Subscribed} 2, {@code Refused} 3 (reasons as
 *   {@code SyncRejected}'s). Enum constants have explicit codes, never ordinals, so reordering an enum changes nothing
 *   on the wire.</li>
 *   <li><b>An operation</b> is its id, its author's node, its author's role in text form ({@code organizer},
 *   {@code judge}, {@code player:NAME}, as {@link Role#parse} reads it), its creation time in milliseconds (a
 *   varlong) and its payload in the domain's own text form ({@link Domain#payloads()}), the same line the stores
 *   write. Strings are UTF-8 with a varint length, vectors a varint count then the elements.</li>
 *   <li><b>Nothing is trusted.</b> Every record's own checks run on decode (an {@code OpSync} with two ops of one id
 *   is refused like a malformed frame), a role or payload that does not parse is refused with the parser's words,
 *   and counts are bounded by the bytes received. The author written on an op is data, not identity: the server
 *   takes identity from the authenticated connection.</li>
 * </ul>
 *
 * <p>Thread safety: the codecs are immutable and thread-safe if the payload codec is (as {@link PayloadCodec}
 * requires).
 */
public final class OplogCodecs {

    private OplogCodecs() {
    }

    /**
     * The three codecs of the op-log sync for {@code domain}'s payloads.
     *
     * @throws NullPointerException if {@code domain} is null or has no payload codec
     */
    public static <P> CodecRegistry registry(Domain<?, P> domain) {
        PayloadCodec<P> payloads = Objects.requireNonNull(domain.payloads(), "domain.payloads()");
        return CodecRegistry.of(sync(payloads), forward(payloads), subscribe(payloads));
    }

    /**
     * The sync chain's codec.
     *
     * @throws NullPointerException if {@code payloads} is null
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <P> ProtocolCodec<SyncMessage<P>> sync(PayloadCodec<P> payloads) {
        WireEncoder<Operation<P>> opOut = operationEncoder(payloads);
        WireDecoder<Operation<P>> opIn = operationDecoder(payloads);
        ProtocolCodec.Builder b = ProtocolCodec.builder(OplogProtocols.<P>sync());
        b.message(1, OpSync.class, (WireEncoder<OpSync<P>>) (m, out) -> out.writeString(m.logId())
                        .writeString(m.anchor().value()).writeList(m.ops().asJava(), opOut),
                in -> new OpSync<>(in.readString(), opId(in), Vector.ofAll(in.readList(opIn))));
        b.message(2, SyncSuccess.class, (WireEncoder<SyncSuccess<P>>) (m, out) -> out.writeString(m.tip().value()),
                in -> new SyncSuccess<>(opId(in)));
        b.message(3, SyncSuccessWithNewOps.class, (WireEncoder<SyncSuccessWithNewOps<P>>) (m, out) ->
                        out.writeString(m.anchor().value()).writeList(m.ops().asJava(), opOut),
                in -> new SyncSuccessWithNewOps<>(opId(in), Vector.ofAll(in.readList(opIn))));
        b.message(4, OpProcessor.class, (WireEncoder<OpProcessor<P>>) (m, out) -> {
            out.writeList(m.remaining().asJava(), opOut).writeList(m.rebased().asJava(), opOut);
            opOut.encode(m.problematic(), out);
            out.writeString(m.error().kind()).writeString(m.error().message());
        }, in -> new OpProcessor<>(Vector.ofAll(in.readList(opIn)), Vector.ofAll(in.readList(opIn)),
                opIn.decode(in),
                new OpError(in.readString(), in.readString())));
        b.message(5, ProcessorDecision.class, (WireEncoder<ProcessorDecision<P>>) (m, out) ->
                        out.writeList(m.dropped().asJava(), (id, o) -> o.writeString(id.value())),
                in -> new ProcessorDecision<>(Vector.ofAll(in.readList(OplogCodecs::opId))));
        b.message(6, SyncFailed.class, (WireEncoder<SyncFailed<P>>) (m, out) ->
                        out.writeString(m.anchor().value()).writeList(m.ops().asJava(), opOut),
                in -> new SyncFailed<>(opId(in), Vector.ofAll(in.readList(opIn))));
        b.message(7, SyncRejected.class, (WireEncoder<SyncRejected<P>>) (m, out) ->
                        out.writeByte(reasonCode(m.reason())).writeString(m.detail())
                                .writeList(m.log().asJava(), opOut),
                in -> new SyncRejected<>(reason(in), in.readString(), Vector.ofAll(in.readList(opIn))));
        return b.build();
    }

    /**
     * The forward chain's codec.
     *
     * @throws NullPointerException if {@code payloads} is null
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <P> ProtocolCodec<ForwardMessage<P>> forward(PayloadCodec<P> payloads) {
        WireEncoder<Operation<P>> opOut = operationEncoder(payloads);
        WireDecoder<Operation<P>> opIn = operationDecoder(payloads);
        ProtocolCodec.Builder b = ProtocolCodec.builder(OplogProtocols.<P>forward());
        b.message(1, ForwardSync.class, (WireEncoder<ForwardSync<P>>) (m, out) -> out.writeString(m.logId())
                        .writeString(m.anchor().value()).writeList(m.ops().asJava(), opOut),
                in -> new ForwardSync<>(in.readString(), opId(in), Vector.ofAll(in.readList(opIn))));
        b.message(2, ForwardAck.class, (WireEncoder<ForwardAck<P>>) (m, out) -> out.writeByte(statusCode(m.status())),
                in -> new ForwardAck<>(status(in)));
        return b.build();
    }

    /**
     * The subscribe chain's codec.
     *
     * @throws NullPointerException if {@code payloads} is null
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <P> ProtocolCodec<SubscribeMessage<P>> subscribe(PayloadCodec<P> payloads) {
        WireEncoder<Operation<P>> opOut = operationEncoder(payloads);
        WireDecoder<Operation<P>> opIn = operationDecoder(payloads);
        ProtocolCodec.Builder b = ProtocolCodec.builder(OplogProtocols.<P>subscribe());
        b.message(1, Subscribe.class, (WireEncoder<Subscribe<P>>) (m, out) -> out.writeString(m.logId()),
                in -> new Subscribe<>(in.readString()));
        b.message(2, Subscribed.class, (WireEncoder<Subscribed<P>>) (m, out) -> {
            out.writeString(m.logId()).writeString(m.role().toString());
            opOut.encode(m.genesis(), out);
        }, in -> new Subscribed<>(in.readString(), role(in), opIn.decode(in)));
        b.message(3, Refused.class, (WireEncoder<Refused<P>>) (m, out) ->
                        out.writeByte(reasonCode(m.reason())).writeString(m.detail()),
                in -> new Refused<>(reason(in), in.readString()));
        return b.build();
    }

    private static Role role(WireReader in) {
        int at = in.position();
        Either<String, Role> role = Role.parse(in.readString());
        if (role.isLeft()) {
            throw new WireFormatException(at, "role: " + role.getLeft());
        }
        return role.get();
    }

    /** Writes an operation: id, author node, role, creation time, payload text. */
    private static <P> WireEncoder<Operation<P>> operationEncoder(PayloadCodec<P> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        return (op, out) -> out.writeString(op.id().value()).writeString(op.author().node())
                .writeString(op.author().role().toString()).writeVarLong(op.createdAtMs())
                .writeString(payloads.encode(op.payload()));
    }

    private static <P> WireDecoder<Operation<P>> operationDecoder(PayloadCodec<P> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        return in -> {
            OpId id = opId(in);
            String node = in.readString();
            int roleAt = in.position();
            Either<String, Role> role = Role.parse(in.readString());
            if (role.isLeft()) {
                throw new WireFormatException(roleAt, "role of op " + id + ": " + role.getLeft());
            }
            long createdAtMs = in.readVarLong();
            int payloadAt = in.position();
            Either<String, P> payload = payloads.decode(in.readString());
            if (payload.isLeft()) {
                throw new WireFormatException(payloadAt, "payload of op " + id + ": " + payload.getLeft());
            }
            return new Operation<>(id, new Author(node, role.get()), createdAtMs, payload.get());
        };
    }

    private static OpId opId(WireReader in) {
        return new OpId(in.readString());
    }

    private static int reasonCode(SyncRejected.Reason reason) {
        return switch (reason) {
            case UNKNOWN_ANCHOR -> 1;
            case WRONG_LOG -> 2;
            case INVALID_DECISION -> 3;
            case UNEXPECTED_MESSAGE -> 4;
            case OP_ID_REUSED -> 5;
            case STORE_FAILED -> 6;
            case NOT_A_MEMBER -> 7;
            case FORGED_AUTHOR -> 8;
            case TOO_MANY_OPS -> 9;
            case OP_TOO_LARGE -> 10;
            case INCARNATION_REGRESSED -> 11;
            case INCARNATION_REUSED -> 12;
        };
    }

    private static SyncRejected.Reason reason(WireReader in) {
        int at = in.position();
        int code = in.readByte();
        return switch (code) {
            case 1 -> SyncRejected.Reason.UNKNOWN_ANCHOR;
            case 2 -> SyncRejected.Reason.WRONG_LOG;
            case 3 -> SyncRejected.Reason.INVALID_DECISION;
            case 4 -> SyncRejected.Reason.UNEXPECTED_MESSAGE;
            case 5 -> SyncRejected.Reason.OP_ID_REUSED;
            case 6 -> SyncRejected.Reason.STORE_FAILED;
            case 7 -> SyncRejected.Reason.NOT_A_MEMBER;
            case 8 -> SyncRejected.Reason.FORGED_AUTHOR;
            case 9 -> SyncRejected.Reason.TOO_MANY_OPS;
            case 10 -> SyncRejected.Reason.OP_TOO_LARGE;
            case 11 -> SyncRejected.Reason.INCARNATION_REGRESSED;
            case 12 -> SyncRejected.Reason.INCARNATION_REUSED;
            default -> throw new WireFormatException(at, "unknown SyncRejected reason code " + code
                    + " (expected 1 to 12)");
        };
    }

    private static int statusCode(ForwardAck.Status status) {
        return switch (status) {
            case APPLIED -> 1;
            case DEFERRED -> 2;
            case BEHIND -> 3;
        };
    }

    private static ForwardAck.Status status(WireReader in) {
        int at = in.position();
        int code = in.readByte();
        return switch (code) {
            case 1 -> ForwardAck.Status.APPLIED;
            case 2 -> ForwardAck.Status.DEFERRED;
            case 3 -> ForwardAck.Status.BEHIND;
            default -> throw new WireFormatException(at, "unknown ForwardAck status code " + code
                    + " (expected 1 to 3)");
        };
    }
}
