package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.util.Objects;

/**
 * The end of one log as a {@link ServerStore} holds it now, from a position the reader already has: what a server
 * that shares the store with others reads when a hint, a lost append race or an unknown anchor says the log moved
 * under it. It carries the ops from {@code from} on and the log's whole small state (forward cursors, which server
 * serves each client, members, sync marks), so a reader never needs the whole log again.
 *
 * <p>Thread safety: immutable.
 *
 * @param logId the log
 * @param from the position of the first op of {@code ops}: the reader has positions {@code 0 .. from - 1} (the
 *     store never rewrites a position, so those are the store's too)
 * @param ops the ops at positions {@code from, from + 1, ...}, to the log's end; may be empty
 * @param cursors every forward cursor of the log, by client (positions below {@link #size()})
 * @param servedBy which server serves each client, by client (see {@link StoredLog#servedBy()})
 * @param members the member registry, each member with its role
 * @param syncMarks every sync mark of the log, by member (see {@link SyncMark})
 * @param <P> the domain's payload type
 */
public record LogTail<P>(String logId, int from, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors,
        Map<NodeId, NodeId> servedBy, Map<NodeId, Role> members, Map<NodeId, SyncMark> syncMarks) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code from} is below 1 (every log has its genesis op) or a cursor is
     *     outside the log
     */
    public LogTail {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(cursors, "cursors");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(syncMarks, "syncMarks");
        if (from < 1) {
            throw new IllegalArgumentException("a tail of log " + logId + " starts after the genesis op, at 1 or "
                    + "later, not at " + from);
        }
        int size = from + ops.size();
        cursors.forEach((client, position) -> {
            if (position < 0 || position >= size) {
                throw new IllegalArgumentException("cursor of " + client + " on log " + logId + " is " + position
                        + ", outside the log of " + size + " ops");
            }
        });
    }

    /**
     * A tail without sync marks.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public LogTail(String logId, int from, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors,
            Map<NodeId, NodeId> servedBy, Map<NodeId, Role> members) {
        this(logId, from, ops, cursors, servedBy, members, HashMap.empty());
    }

    /**
     * The tail of {@code stored} from {@code from}.
     *
     * @throws NullPointerException if {@code stored} is null
     * @throws IllegalArgumentException if {@code from} is below 1 or past the log's size
     */
    public static <P> LogTail<P> of(StoredLog<P> stored, int from) {
        if (from > stored.log().size()) {
            throw new IllegalArgumentException("log " + stored.logId() + " has " + stored.log().size()
                    + " ops; a tail cannot start at " + from);
        }
        return new LogTail<>(stored.logId(), from, stored.log().ops().drop(from), stored.cursors(),
                stored.servedBy(), stored.members(), stored.syncMarks());
    }

    /** The log's size: {@code from} plus the ops read. */
    public int size() {
        return from + ops.size();
    }

    @Override
    public String toString() {
        return "LogTail[" + logId + " @" + from + " +" + ops.size() + " ops]";
    }
}
