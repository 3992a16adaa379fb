package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import java.util.Objects;

/**
 * One log as a {@link ServerStore} holds it: its ops, its per-client forward cursors, which server serves each
 * client, its member registry and its members' sync marks.
 *
 * <p>Thread safety: immutable.
 *
 * @param logId the log
 * @param log the ops
 * @param cursors the forward cursors by client: positions in {@code log}; a client without one is at 0
 * @param members the member registry: each member node with its role in this log
 * @param servedBy which server serves each client (the server it last opened a sync or a subscription with): on a
 *     shared store that server, and only that one, forwards to the client (a client without an entry gets no
 *     forwards until it syncs or subscribes); a server alone on its store forwards to every member
 * @param syncMarks the newest sync chain taken up, by member (see {@link SyncMark}); a member without one has none
 * @param <P> the domain's payload type
 */
public record StoredLog<P>(String logId, OpLog<P> log, Map<NodeId, Integer> cursors, Map<NodeId, Role> members,
        Map<NodeId, NodeId> servedBy, Map<NodeId, SyncMark> syncMarks) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a cursor is outside the log
     */
    public StoredLog {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(cursors, "cursors");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(syncMarks, "syncMarks");
        int size = log.size();
        cursors.forEach((client, position) -> {
            if (position < 0 || position >= size) {
                throw new IllegalArgumentException("cursor of " + client + " on log " + logId + " is " + position
                        + ", outside the log of " + size + " ops");
            }
        });
    }

    /**
     * A log without sync marks.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a cursor is outside the log
     */
    public StoredLog(String logId, OpLog<P> log, Map<NodeId, Integer> cursors, Map<NodeId, Role> members,
            Map<NodeId, NodeId> servedBy) {
        this(logId, log, cursors, members, servedBy, HashMap.empty());
    }

    /**
     * A log without {@code servedBy} entries (every hosting server forwards to every member).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a cursor is outside the log
     */
    public StoredLog(String logId, OpLog<P> log, Map<NodeId, Integer> cursors, Map<NodeId, Role> members) {
        this(logId, log, cursors, members, HashMap.empty());
    }

    /**
     * A log without members.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a cursor is outside the log
     */
    public StoredLog(String logId, OpLog<P> log, Map<NodeId, Integer> cursors) {
        this(logId, log, cursors, HashMap.empty());
    }

    /** The position up to which {@code client} has the log or was sent it; 0 (genesis) if it has no cursor. */
    public int cursor(NodeId client) {
        return cursors.get(client).getOrElse(0);
    }
}
