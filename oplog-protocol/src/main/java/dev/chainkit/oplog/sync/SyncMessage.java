package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.HashSet;
import io.vavr.collection.Vector;
import java.util.Objects;

/**
 * The messages of the sync chain, named as in the design note that introduced the op-log sync: a client's
 * {@link OpSync}; the server's {@link SyncSuccess} ("op sync successful"), {@link SyncSuccessWithNewOps} ("op sync
 * successful with new ops"), {@link OpProcessor} (a conflict) and {@link SyncFailed} ("sync failed, new operations
 * available"); the client's {@link ProcessorDecision}; and {@link SyncRejected} when the server cannot place the
 * sync at all.
 *
 * <p>Chain shape: {@code OpSync} (step 0) → {@code OpProcessor} (1) → {@code ProcessorDecision} (2) → ... → a
 * terminal answer. Every decision drops at least the problematic op, so a sync of {@code n} ops has at most
 * {@code n} conflict rounds and at most {@code 2n + 2} steps.
 *
 * <p>Thread safety: immutable records.
 *
 * @param <P> the domain's op payload type
 */
public sealed interface SyncMessage<P> {

    /**
     * Opens a sync: the sender's last op known to be shared ({@code anchor}) and its ops after it.
     *
     * @param logId which log (tournament) this is about
     * @param anchor the sender's last op known to be on the receiver
     * @param ops the sender's ops after the anchor, in order, ids distinct; may be empty (a catch-up sync)
     */
    record OpSync<P>(String logId, OpId anchor, Vector<Operation<P>> ops) implements SyncMessage<P> {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if two ops share an id, or an op has the anchor's id
         */
        public OpSync {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(anchor, "anchor");
            Objects.requireNonNull(ops, "ops");
            HashSet<OpId> ids = HashSet.ofAll(ops.map(Operation::id));
            if (ids.size() != ops.size() || ids.contains(anchor)) {
                throw new IllegalArgumentException("OpSync ops must have distinct ids, none equal to the anchor "
                        + anchor + "; got " + ops.map(Operation::id).mkString(" "));
            }
        }

        @Override
        public String toString() {
            return "OpSync[" + logId + " after " + anchor + ": " + ops.map(Operation::id).mkString(" ") + "]";
        }
    }

    /**
     * "op sync successful": the receiver's last op was the anchor and every op of the sync was appended after
     * it, in order. Terminal.
     *
     * @param tip the receiver's last op now (the sync's last op)
     */
    record SyncSuccess<P>(OpId tip) implements SyncMessage<P> {
        /** @throws NullPointerException if {@code tip} is null */
        public SyncSuccess {
            Objects.requireNonNull(tip, "tip");
        }
    }

    /**
     * "op sync successful with new ops": the sync was rebased on ops the sender did not have. The sender replaces
     * its history after the anchor with {@code ops}. Terminal.
     *
     * @param anchor the sync's anchor
     * @param ops the receiver's whole log after the anchor, the sync's surviving ops included
     */
    record SyncSuccessWithNewOps<P>(OpId anchor, Vector<Operation<P>> ops) implements SyncMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public SyncSuccessWithNewOps {
            Objects.requireNonNull(anchor, "anchor");
            Objects.requireNonNull(ops, "ops");
        }

        @Override
        public String toString() {
            return "SyncSuccessWithNewOps[after " + anchor + ": " + ops.map(Operation::id).mkString(" ") + "]";
        }
    }

    /**
     * A conflict: {@code problematic} does not apply on top of the receiver's log. The sender must answer with a
     * {@link ProcessorDecision} that drops at least the problematic op.
     *
     * @param remaining the sync's ops after the problematic one, not yet tried
     * @param rebased the sync's ops already applied on top of the receiver's log (not yet final)
     * @param problematic the op that does not apply
     * @param error why it does not apply (kind and message)
     */
    record OpProcessor<P>(Vector<Operation<P>> remaining, Vector<Operation<P>> rebased, Operation<P> problematic,
            OpError error) implements SyncMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public OpProcessor {
            Objects.requireNonNull(remaining, "remaining");
            Objects.requireNonNull(rebased, "rebased");
            Objects.requireNonNull(problematic, "problematic");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String toString() {
            return "OpProcessor[" + problematic.id() + " " + error.kind() + ", remaining "
                    + remaining.map(Operation::id).mkString(" ") + "]";
        }
    }

    /**
     * The sender's answer to an {@link OpProcessor}: the ops it drops. Must contain the problematic op.
     *
     * @param dropped ids of the ops to drop (the problematic one and any of the remaining)
     */
    record ProcessorDecision<P>(Vector<OpId> dropped) implements SyncMessage<P> {
        /**
         * @throws NullPointerException if {@code dropped} is null
         * @throws IllegalArgumentException if it is empty
         */
        public ProcessorDecision {
            Objects.requireNonNull(dropped, "dropped");
            if (dropped.isEmpty()) {
                throw new IllegalArgumentException("a ProcessorDecision drops at least the problematic op");
            }
        }
    }

    /**
     * "sync failed, new operations available": the receiver's log changed while the chain was in flight, so the
     * chain was superseded. Carries the receiver's ops after the chain's anchor so the sender can rebase and start
     * over; if the sender's last op is the receiver's last op, it is already in sync. Sent as the chain's
     * superseded terminal.
     *
     * @param anchor the chain's anchor
     * @param ops the receiver's whole log after the anchor
     */
    record SyncFailed<P>(OpId anchor, Vector<Operation<P>> ops) implements SyncMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public SyncFailed {
            Objects.requireNonNull(anchor, "anchor");
            Objects.requireNonNull(ops, "ops");
        }

        @Override
        public String toString() {
            return "SyncFailed[after " + anchor + ": " + ops.map(Operation::id).mkString(" ") + "]";
        }
    }

    /**
     * The receiver cannot place the sync. Terminal. Never silently discards the sender's ops: {@code log} carries
     * what the sender needs to recover.
     *
     * @param reason why
     * @param detail words for people
     * @param log for {@link Reason#UNKNOWN_ANCHOR}: the receiver's whole log, so the sender can rebase its ops on
     *     it; for {@link Reason#OP_ID_REUSED}: the receiver's ops under the reused ids; for {@link
     *     Reason#FORGED_AUTHOR} and {@link Reason#OP_TOO_LARGE}: the sender's ops that were refused; empty otherwise
     */
    record SyncRejected<P>(Reason reason, String detail, Vector<Operation<P>> log) implements SyncMessage<P> {
        /** @throws NullPointerException if an argument is null */
        public SyncRejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(log, "log");
        }

        /** Why a sync was rejected. */
        public enum Reason {
            /** The anchor is not in the receiver's log. */
            UNKNOWN_ANCHOR,
            /** The sync is about a log the receiver does not host. */
            WRONG_LOG,
            /** The decision kept the problematic op (or named no op of the conflict). */
            INVALID_DECISION,
            /** A message that has no place at this step. */
            UNEXPECTED_MESSAGE,
            /**
             * An op's id is in the receiver's log, naming an op with other content (see
             * {@link dev.chainkit.oplog.OpDigest}); nothing of the sync was applied.
             */
            OP_ID_REUSED,
            /** The receiver could not make the ops durable; nothing of the sync is final. Sync again later. */
            STORE_FAILED,
            /**
             * The sending node is not a member of the log (the receiver's member registry does not list it); nothing
             * of the sync was applied. Ask the log's organizer to add the node.
             */
            NOT_A_MEMBER,
            /**
             * An op new to the receiver names an author other than the node that sent it, in the role the receiver's
             * registry gives that node (a forgery, or a client whose role changed); nothing of the sync was applied.
             * {@code log} carries the refused ops.
             */
            FORGED_AUTHOR,
            /** The sync carries more ops than the receiver takes in one sync; nothing was applied. Send fewer. */
            TOO_MANY_OPS,
            /**
             * An op is larger than the receiver takes (its id and payload text, in UTF-8 bytes); nothing of the sync
             * was applied. {@code log} carries the refused ops.
             */
            OP_TOO_LARGE,
            /**
             * The sync comes from an older incarnation of the sending node than a sync the log already took up from
             * it: a network copy from before the node restarted (its answer reaches no one), or a node whose
             * incarnation went back (its incarnation file was lost or replaced). Nothing was applied. A node that
             * gets this while it waits has to be given an incarnation above the one {@code detail} names, or be
             * enrolled as a new node.
             */
            INCARNATION_REGRESSED,
            /**
             * The sync is older than a sync of the same incarnation of the sending node the log already took up: a
             * network copy from the past (its answer reaches no one), or a node that restarted without a new
             * incarnation and numbers its chains from 1 again. Nothing was applied. A node that gets this while it
             * waits must keep its incarnation in an incarnation file.
             */
            INCARNATION_REUSED
        }

        @Override
        public String toString() {
            return "SyncRejected[" + reason + ": " + detail + "]";
        }
    }
}
