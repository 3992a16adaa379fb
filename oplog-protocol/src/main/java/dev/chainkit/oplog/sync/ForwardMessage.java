package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.Vector;
import java.util.Objects;

/**
 * The messages of the forward chain: the server passes ops that were new to its log on to each other client
 * ({@link ForwardSync}), and the client says what it did with them ({@link ForwardAck}).
 *
 * <p>Thread safety: immutable records.
 *
 * @param <P> the domain's op payload type
 */
public sealed interface ForwardMessage<P> {

    /**
     * New ops of the server's log, with the op they follow.
     *
     * @param logId which log
     * @param anchor the server's op just before {@code ops}
     * @param ops the forwarded ops, in log order; not empty
     */
    record ForwardSync<P>(String logId, OpId anchor, Vector<Operation<P>> ops) implements ForwardMessage<P> {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code ops} is empty
         */
        public ForwardSync {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(anchor, "anchor");
            Objects.requireNonNull(ops, "ops");
            if (ops.isEmpty()) {
                throw new IllegalArgumentException("a ForwardSync carries at least one op");
            }
        }

        @Override
        public String toString() {
            return "ForwardSync[after " + anchor + ": " + ops.map(Operation::id).mkString(" ") + "]";
        }
    }

    /**
     * What the client did with a forward. Terminal.
     *
     * @param status applied, deferred or behind
     */
    record ForwardAck<P>(Status status) implements ForwardMessage<P> {
        /** @throws NullPointerException if {@code status} is null */
        public ForwardAck {
            Objects.requireNonNull(status, "status");
        }

        /** What a client did with forwarded ops. */
        public enum Status {
            /** The anchor was the client's synced tip and it had no pending ops: the ops are in its log now. */
            APPLIED,
            /** The client has pending ops or a sync in flight: it picks the ops up through its own sync. */
            DEFERRED,
            /** The anchor is unknown to the client: it starts a catch-up sync. */
            BEHIND
        }
    }
}
