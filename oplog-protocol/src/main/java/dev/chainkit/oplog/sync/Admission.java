package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks a sync passes before it may touch a log: sizes ({@link SyncLimits}), membership of the sending node,
 * and the author of every op new to the log. Identity is what the transport authenticated ({@code
 * ResponderChain.peer()}), the role is what the log's member registry says: an op's own author field is data the
 * sender wrote, so it must name exactly that node in exactly that role, or the sync is refused whole.
 *
 * <p>Thread safety: immutable; used on the server's node thread.
 *
 * @param <P> the domain's payload type
 */
final class Admission<P> {

    private final SyncLimits limits;
    private final PayloadCodec<P> payloads;

    Admission(SyncLimits limits, PayloadCodec<P> payloads) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
    }

    /** Refuses a sync of more ops than the limit, or with an op over the byte limit; empty if it fits. */
    Optional<SyncMessage.SyncRejected<P>> sizes(SyncMessage.OpSync<P> sync) {
        if (sync.ops().size() > limits.maxOpsPerSync()) {
            return Optional.of(new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.TOO_MANY_OPS,
                    "a sync may carry at most " + limits.maxOpsPerSync() + " ops, this one carries "
                    + sync.ops().size(), Vector.empty()));
        }
        Vector<Operation<P>> large = sync.ops().filter(op -> bytes(op) > limits.maxOpBytes());
        if (!large.isEmpty()) {
            return Optional.of(new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.OP_TOO_LARGE,
                    "ops may be at most " + limits.maxOpBytes() + " bytes (id and payload text); "
                    + large.map(op -> op.id() + " has " + bytes(op)).mkString(", "), large));
        }
        return Optional.empty();
    }

    /**
     * Refuses a sync from a node that is not a member, or whose ops new to the log name another author than that
     * node in its registered role; empty if they all pass.
     *
     * @param logId the log
     * @param peer the authenticated sender
     * @param role its role in the log's registry, or none
     * @param fresh the sync's ops that are not in the log
     */
    Optional<SyncMessage.SyncRejected<P>> authors(String logId, NodeId peer, Option<Role> role,
            Vector<Operation<P>> fresh) {
        if (role.isEmpty()) {
            return Optional.of(new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER,
                    "node " + peer + " is not a member of log " + logId, Vector.empty()));
        }
        Author expected = new Author(peer.name(), role.get());
        Vector<Operation<P>> forged = fresh.filter(op -> !op.author().equals(expected));
        if (!forged.isEmpty()) {
            return Optional.of(new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR,
                    "ops sent by " + peer + ", a member of log " + logId + " as " + role.get() + ", must name "
                    + expected + " as their author; " + forged.map(op -> op.id() + " names " + op.author())
                    .mkString(", "), forged));
        }
        return Optional.empty();
    }

    /** The UTF-8 size of an op's id and payload text. */
    int bytes(Operation<P> op) {
        return op.id().value().getBytes(StandardCharsets.UTF_8).length
                + payloads.encode(op.payload()).getBytes(StandardCharsets.UTF_8).length;
    }
}
