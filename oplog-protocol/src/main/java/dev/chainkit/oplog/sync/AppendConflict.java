package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import java.util.Objects;

/**
 * Why a store refused an append: the log is not where the appender expected it. This is the fencing that lets
 * several servers share one store: two of them never both append at one position of a log, nor both take up one sync
 * chain; the one that lost the race learns it here, reloads the log and answers as the protocol says.
 *
 * <p>Thread safety: immutable records.
 */
public sealed interface AppendConflict {

    /** The log the conflict is about. */
    String logId();

    /**
     * The log has another size than the appender expected (someone appended first, or the log does not exist).
     *
     * @param logId the log
     * @param expectedSize the size the appender expected (0 for a log it meant to create)
     * @param actualSize the log's size in the store (0 if it does not exist)
     */
    record LogMoved(String logId, int expectedSize, int actualSize) implements AppendConflict {
        /** @throws NullPointerException if {@code logId} is null */
        public LogMoved {
            Objects.requireNonNull(logId, "logId");
        }

        @Override
        public String toString() {
            return "log " + logId + " has " + actualSize + " ops, not the " + expectedSize + " the append expected";
        }
    }

    /**
     * An op id of the append is already in the log, at another position.
     *
     * @param logId the log
     * @param id the op id
     * @param position where the log holds it
     */
    record OpIdTaken(String logId, OpId id, int position) implements AppendConflict {
        /** @throws NullPointerException if an argument is null */
        public OpIdTaken {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return "log " + logId + " already holds op " + id + " at position " + position;
        }
    }

    /**
     * A sync mark of the append is not newer than the member's mark in the store: another writer took up that sync
     * chain, or a newer one of the member, first.
     *
     * @param logId the log
     * @param member the member
     * @param stored the member's mark in the store
     * @param appended the mark the append carried
     */
    record MarkTaken(String logId, NodeId member, SyncMark stored, SyncMark appended) implements AppendConflict {
        /** @throws NullPointerException if an argument is null */
        public MarkTaken {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(stored, "stored");
            Objects.requireNonNull(appended, "appended");
        }

        @Override
        public String toString() {
            return "log " + logId + " holds sync mark " + stored + " of " + member + ", not older than the appended "
                    + appended;
        }
    }
}
