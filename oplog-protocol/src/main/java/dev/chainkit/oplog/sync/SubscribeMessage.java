package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import java.util.Objects;

/**
 * The messages of the subscribe chain: a node asks to follow a log ({@link Subscribe}) and the server answers with
 * the node's role in that log and the log's genesis op ({@link Subscribed}), so a client that starts from nothing
 * can open its store and name its ops' author, or refuses ({@link Refused}). A subscribed member is caught up from
 * its forward cursor at once.
 *
 * <p>Chain shape: {@code Subscribe} (step 0) then a terminal answer (step 1).
 *
 * <p>Thread safety: immutable records.
 *
 * @param <P> the domain's op payload type
 */
public sealed interface SubscribeMessage<P> {

    /**
     * Asks to follow log {@code logId}.
     *
     * @param logId the log
     */
    record Subscribe<P>(String logId) implements SubscribeMessage<P> {
        /** @throws NullPointerException if {@code logId} is null */
        public Subscribe {
            Objects.requireNonNull(logId, "logId");
        }
    }

    /**
     * The node is a member of the log: its registered role and the log's first op. Terminal.
     *
     * @param logId the log
     * @param role the role the server's registry gives the node in this log (its ops must name it)
     * @param genesis the log's genesis op
     */
    record Subscribed<P>(String logId, Role role, Operation<P> genesis) implements SubscribeMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public Subscribed {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(genesis, "genesis");
        }
    }

    /**
     * The subscription is refused. Terminal.
     *
     * @param reason {@code WRONG_LOG} (the server hosts no such log) or {@code NOT_A_MEMBER}
     * @param detail words for people
     */
    record Refused<P>(SyncMessage.SyncRejected.Reason reason, String detail) implements SubscribeMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return "Refused[" + reason + ": " + detail + "]";
        }
    }
}
