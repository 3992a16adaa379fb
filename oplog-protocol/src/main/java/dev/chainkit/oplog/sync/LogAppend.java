package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.Objects;

/**
 * One log's part of a {@link ServerStore#commit}: ops to append at an expected position, forward cursors to move,
 * member registry changes and changes of which server serves a client, all in the commit's one transaction.
 *
 * <p>Thread safety: immutable.
 *
 * @param logId the log
 * @param expectedSize how many ops the log must hold before the append (0 creates the log; its first op is then
 *     the genesis); an append of ops is refused with {@link AppendConflict.LogMoved} unless the log holds exactly
 *     that many, one without ops unless it holds at least that many
 * @param ops the ops to append at positions {@code expectedSize, expectedSize + 1, ...}; may be empty (then only
 *     cursors, members and servers change, and the log must still hold at least {@code expectedSize} ops)
 * @param cursors forward cursors by client: positions in the log after the append, each at most its last position;
 *     a cursor only moves forward (a stored cursor further on stays where it is), so servers that share a store
 *     never move one back
 * @param members member registry changes by node: {@code Some(role)} makes the node a member in that role (or
 *     changes its role), {@code None} removes it
 * @param servedBy which server serves each client from now on, by client (see {@link StoredLog#servedBy()})
 * @param syncMarks the newest sync chain taken up, by member (see {@link SyncMark}); each must be newer than the
 *     member's mark in the store, or the commit is refused with {@link AppendConflict.MarkTaken}
 * @param <P> the domain's payload type
 */
public record LogAppend<P>(String logId, int expectedSize, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors,
        Map<NodeId, Option<Role>> members, Map<NodeId, NodeId> servedBy, Map<NodeId, SyncMark> syncMarks) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code expectedSize} is negative, a new log gets no ops, or a cursor is
     *     negative or past the log's last position after the append
     */
    public LogAppend {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(cursors, "cursors");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(syncMarks, "syncMarks");
        members.forEach((node, role) -> Objects.requireNonNull(role, "role change of " + node));
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expectedSize must be >= 0 but was " + expectedSize);
        }
        if (expectedSize == 0 && ops.isEmpty()) {
            throw new IllegalArgumentException("creating log " + logId + " needs at least its genesis op");
        }
        int last = expectedSize + ops.size() - 1;
        cursors.forEach((client, position) -> {
            if (position < 0 || position > last) {
                throw new IllegalArgumentException("cursor of " + client + " on log " + logId + " must be in [0, "
                        + last + "] but was " + position);
            }
        });
    }

    /**
     * An append of ops, cursor moves, member changes and changes of which server serves a client, without sync marks.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public LogAppend(String logId, int expectedSize, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors,
            Map<NodeId, Option<Role>> members, Map<NodeId, NodeId> servedBy) {
        this(logId, expectedSize, ops, cursors, members, servedBy, HashMap.empty());
    }

    /**
     * An append of ops, cursor moves and member changes, without changes of which server serves a client.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public LogAppend(String logId, int expectedSize, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors,
            Map<NodeId, Option<Role>> members) {
        this(logId, expectedSize, ops, cursors, members, HashMap.empty());
    }

    /**
     * An append of ops and cursor moves, without member changes.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public LogAppend(String logId, int expectedSize, Vector<Operation<P>> ops, Map<NodeId, Integer> cursors) {
        this(logId, expectedSize, ops, cursors, HashMap.empty(), HashMap.empty());
    }

    /**
     * An append of ops without cursor moves.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static <P> LogAppend<P> of(String logId, int expectedSize, Vector<Operation<P>> ops) {
        return new LogAppend<>(logId, expectedSize, ops, HashMap.empty());
    }

    /** The log's size after the append. */
    public int sizeAfter() {
        return expectedSize + ops.size();
    }

    @Override
    public String toString() {
        return "LogAppend[" + logId + " @" + expectedSize + " +" + ops.size() + " ops, cursors " + cursors
                + (members.isEmpty() ? "" : ", members " + members)
                + (servedBy.isEmpty() ? "" : ", served by " + servedBy)
                + (syncMarks.isEmpty() ? "" : ", sync marks " + syncMarks) + "]";
    }
}
