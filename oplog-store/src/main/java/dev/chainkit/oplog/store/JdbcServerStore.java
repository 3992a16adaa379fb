package dev.chainkit.oplog.store;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.HintListener;
import dev.chainkit.oplog.sync.HintSubscription;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.LogTail;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SyncMark;
import io.vavr.collection.HashMap;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ServerStore} on an {@link OplogDatabase}. An append is fenced by the log's row ({@code UPDATE oplog_log
 * SET size = new WHERE log_id = ? AND size = expected}, or an {@code INSERT ... ON CONFLICT DO NOTHING} for a new
 * log): zero rows means another writer moved the log, and nothing is written. Under PostgreSQL's read committed
 * isolation the second of two racing updates waits for the first and then finds the size changed, so two servers
 * never both append at one position; the unique keys on {@code (log_id, position)} and {@code (log_id, op_id)}
 * back this up. A cursor is written as the {@code GREATEST} of the stored and the new position, so it never moves
 * back, whichever server writes it. A member's sync mark is written only if it is newer than the stored one (by
 * incarnation, then sequence); otherwise the commit is a {@link AppendConflict.MarkTaken} and writes nothing, so two
 * servers never both take up one sync chain. Reads run on
 * one snapshot (repeatable read on PostgreSQL), so a log, its cursors, its members and its sync marks are read as
 * one commit left them.
 *
 * <p>On PostgreSQL the store is {@link #shared()}: a commit that appends ops or changes which server serves a
 * client sends a hint ({@code pg_notify}) in its own transaction, delivered to the other servers' listeners only if
 * it commits ({@link PostgresHints}).
 *
 * <p>Thread safety: thread-safe (the database serializes calls).
 */
final class JdbcServerStore<P> implements ServerStore<P> {

    private final OplogDatabase db;
    private final OpRows<P> rows;
    /** The size each log had after this store's latest commit to it: head polling does not hint its own commits. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> ownSizes =
            new java.util.concurrent.ConcurrentHashMap<>();

    JdbcServerStore(OplogDatabase db, OpRows<P> rows) {
        this.db = db;
        this.rows = rows;
    }

    @Override
    public Optional<StoredLog<P>> load(String logId) {
        Objects.requireNonNull(logId, "logId");
        return db.snapshot("read log " + logId, c -> {
            Integer size = sizeOf(c, logId);
            if (size == null) {
                return Optional.empty();
            }
            OpLog<P> log = rows.read(c, "oplog_op", logId, size, db.where());
            if (log == null) {
                throw new StoreDamagedException(db.where() + ", log " + logId + ": the log's row says " + size
                        + " ops but oplog_op holds none");
            }
            Cursors cursors = cursors(c, logId, size);
            return Optional.of(new StoredLog<>(logId, log, cursors.positions, members(c, logId), cursors.servers,
                    syncMarks(c, logId)));
        });
    }

    @Override
    public Optional<LogTail<P>> tail(String logId, int from) {
        Objects.requireNonNull(logId, "logId");
        if (from < 1) {
            throw new IllegalArgumentException("a tail of log " + logId + " starts at 1 or later, not " + from);
        }
        return db.snapshot("read log " + logId + " from " + from, c -> {
            Integer size = sizeOf(c, logId);
            if (size == null) {
                return Optional.empty();
            }
            if (from > size) {
                throw new IllegalArgumentException("log " + logId + " has " + size + " ops in " + db.where()
                        + "; a tail cannot start at " + from);
            }
            Vector<Operation<P>> ops = rows.readFrom(c, "oplog_op", logId, from, size, db.where());
            Cursors cursors = cursors(c, logId, size);
            return Optional.of(new LogTail<>(logId, from, ops, cursors.positions, cursors.servers,
                    members(c, logId), syncMarks(c, logId)));
        });
    }

    @Override
    public boolean shared() {
        return db.dialect() == Dialect.POSTGRES;
    }

    @Override
    public HintSubscription listen(HintListener listener) {
        Objects.requireNonNull(listener, "listener");
        return shared() ? db.hints(listener, ownSizes) : HintSubscription.NONE;
    }

    /** A log's forward cursors and which server serves each client. */
    private record Cursors(Map<NodeId, Integer> positions, Map<NodeId, NodeId> servers) {
    }

    private Cursors cursors(Connection c, String logId, int size) throws SQLException {
        Map<NodeId, Integer> cursors = HashMap.empty();
        Map<NodeId, NodeId> servers = HashMap.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT client, position, server FROM oplog_cursor WHERE log_id = ?")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String client = rs.getString(1);
                    int position = rs.getInt(2);
                    if (position < 0 || position >= size) {
                        throw new StoreDamagedException(db.where() + ", log " + logId + ": the forward cursor of "
                                + client + " is " + position + ", outside the log of " + size + " ops");
                    }
                    NodeId node = node(client, logId, "forward cursor of");
                    cursors = cursors.put(node, position);
                    String server = rs.getString(3);
                    if (server != null) {
                        servers = servers.put(node, node(server, logId, "server serving " + client + ":"));
                    }
                }
            }
        }
        return new Cursors(cursors, servers);
    }

    private Map<NodeId, Role> members(Connection c, String logId) throws SQLException {
        Map<NodeId, Role> members = LinkedHashMap.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT node, role FROM oplog_member WHERE log_id = ? ORDER BY node")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String node = rs.getString(1);
                    Either<String, Role> role = Role.parse(rs.getString(2));
                    if (role.isLeft()) {
                        throw new StoreDamagedException(db.where() + ", log " + logId + ": member " + node
                                + " has no valid role: " + role.getLeft());
                    }
                    members = members.put(node(node, logId, "member"), role.get());
                }
            }
        }
        return members;
    }

    private Map<NodeId, SyncMark> syncMarks(Connection c, String logId) throws SQLException {
        Map<NodeId, SyncMark> marks = HashMap.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT member, incarnation, sequence FROM oplog_sync_mark WHERE log_id = ?")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String member = rs.getString(1);
                    long incarnation = rs.getLong(2);
                    long sequence = rs.getLong(3);
                    if (incarnation < 1 || sequence < 1) {
                        throw new StoreDamagedException(db.where() + ", log " + logId + ": the sync mark of " + member
                                + " is incarnation " + incarnation + ", sequence " + sequence
                                + "; both are at least 1");
                    }
                    marks = marks.put(node(member, logId, "sync mark of"), new SyncMark(incarnation, sequence));
                }
            }
        }
        return marks;
    }

    private NodeId node(String name, String logId, String what) {
        try {
            return NodeId.of(name);
        } catch (IllegalArgumentException e) {
            throw new StoreDamagedException(db.where() + ", log " + logId + ": " + what + " '" + name
                    + "', which is not a node id: " + e.getMessage());
        }
    }

    @Override
    public Optional<AppendConflict> commit(List<LogAppend<P>> appends) {
        Objects.requireNonNull(appends, "appends");
        Set<String> seen = new HashSet<>();
        for (LogAppend<P> a : appends) {
            if (!seen.add(Objects.requireNonNull(a, "append").logId())) {
                throw new IllegalArgumentException("two appends name log " + a.logId() + "; merge them");
            }
        }
        Optional<AppendConflict> conflict = db.transaction("append to " + seen, c -> {
            for (LogAppend<P> a : appends) {
                Optional<AppendConflict> found = append(c, a);
                if (found.isPresent()) {
                    c.rollback();
                    return found;
                }
            }
            if (shared()) {
                hint(c, appends);
            }
            return Optional.empty();
        });
        if (conflict.isEmpty()) {
            for (LogAppend<P> a : appends) {
                if (!a.ops().isEmpty()) {
                    ownSizes.merge(a.logId(), a.sizeAfter(), Math::max);
                }
            }
        }
        return conflict;
    }

    /**
     * Tells the other servers, with the commit (PostgreSQL delivers a notification only if its transaction commits,
     * in commit order), which logs changed: those that got ops or a new server for a client (sync marks alone are
     * not news another server must read at once, so a commit of only marks sends none). The payload is the log's
     * size and its id.
     */
    private static void hint(Connection c, List<? extends LogAppend<?>> appends) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + PostgresHints.CHANNEL + "', ?)")) {
            for (LogAppend<?> a : appends) {
                if (!a.ops().isEmpty() || !a.servedBy().isEmpty()) {
                    ps.setString(1, a.sizeAfter() + " " + a.logId());
                    ps.executeQuery().close();
                }
            }
        }
    }

    private Optional<AppendConflict> append(Connection c, LogAppend<P> a) throws SQLException {
        if (a.expectedSize() == 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO oplog_log (log_id, size) VALUES (?, ?) ON CONFLICT (log_id) DO NOTHING")) {
                ps.setString(1, a.logId());
                ps.setInt(2, a.sizeAfter());
                if (ps.executeUpdate() == 0) {
                    return Optional.of(new AppendConflict.LogMoved(a.logId(), 0, sizeOf(c, a.logId())));
                }
            }
        } else if (!a.ops().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE oplog_log SET size = ? WHERE log_id = ? AND size = ?")) {
                ps.setInt(1, a.sizeAfter());
                ps.setString(2, a.logId());
                ps.setInt(3, a.expectedSize());
                if (ps.executeUpdate() == 0) {
                    Integer actual = sizeOf(c, a.logId());
                    return Optional.of(new AppendConflict.LogMoved(a.logId(), a.expectedSize(),
                            actual == null ? 0 : actual));
                }
            }
        } else { // no ops: cursors, members, servers and marks need only the log to hold what the appender knows
            Integer actual = sizeOf(c, a.logId());
            if (actual == null || actual < a.expectedSize()) {
                return Optional.of(new AppendConflict.LogMoved(a.logId(), a.expectedSize(),
                        actual == null ? 0 : actual));
            }
        }
        if (!a.syncMarks().isEmpty()) {
            Optional<AppendConflict> taken = moveSyncMarks(c, a);
            if (taken.isPresent()) {
                return taken;
            }
        }
        try {
            rows.insert(c, "oplog_op", a.logId(), a.expectedSize(), a.ops());
        } catch (SQLException e) { // a BatchUpdateException, or the driver's own (sqlite-jdbc)
            if (!db.dialect().isUniqueViolation(e)) {
                throw e;
            }
            c.rollback(); // the fence held, so an op id of the append is already in the log
            return Optional.of(takenId(c, a));
        }
        if (!a.cursors().isEmpty() || !a.servedBy().isEmpty()) {
            moveCursors(c, a);
        }
        if (!a.members().isEmpty()) {
            changeMembers(c, a);
        }
        return Optional.empty();
    }

    /** Cursors move forward only; a server named for a client replaces the one stored, none keeps it. */
    private void moveCursors(Connection c, LogAppend<?> a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO oplog_cursor (log_id, client, position, server) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (log_id, client) DO UPDATE SET position = "
                + db.dialect().greatest("oplog_cursor.position", "excluded.position")
                + ", server = COALESCE(excluded.server, oplog_cursor.server)")) {
            for (NodeId client : a.cursors().keySet().addAll(a.servedBy().keySet())) {
                ps.setString(1, a.logId());
                ps.setString(2, client.name());
                ps.setInt(3, a.cursors().get(client).getOrElse(0));
                ps.setString(4, a.servedBy().get(client).map(NodeId::name).getOrNull());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Writes the sync marks, each only if it is newer than the stored one (the upsert's {@code WHERE}; a racing
     * writer's row is waited for and then compared). A mark that is not newer is a {@link AppendConflict.MarkTaken},
     * and the caller rolls the transaction back.
     */
    private Optional<AppendConflict> moveSyncMarks(Connection c, LogAppend<?> a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO oplog_sync_mark (log_id, member, incarnation, "
                + "sequence) VALUES (?, ?, ?, ?) ON CONFLICT (log_id, member) DO UPDATE SET "
                + "incarnation = excluded.incarnation, sequence = excluded.sequence "
                + "WHERE excluded.incarnation > oplog_sync_mark.incarnation OR (excluded.incarnation = "
                + "oplog_sync_mark.incarnation AND excluded.sequence > oplog_sync_mark.sequence)")) {
            for (var mark : a.syncMarks()) {
                ps.setString(1, a.logId());
                ps.setString(2, mark._1.name());
                ps.setLong(3, mark._2.incarnation());
                ps.setLong(4, mark._2.sequence());
                if (ps.executeUpdate() == 0) {
                    SyncMark stored = syncMarks(c, a.logId()).get(mark._1).getOrElseThrow(() ->
                            new IllegalStateException("the sync mark of " + mark._1 + " on log " + a.logId()
                                    + " was neither written nor found"));
                    return Optional.of(new AppendConflict.MarkTaken(a.logId(), mark._1, stored, mark._2));
                }
            }
        }
        return Optional.empty();
    }

    private static void changeMembers(Connection c, LogAppend<?> a) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO oplog_member (log_id, node, role) "
                + "VALUES (?, ?, ?) ON CONFLICT (log_id, node) DO UPDATE SET role = excluded.role");
                PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM oplog_member WHERE log_id = ? AND node = ?")) {
            for (var change : a.members()) {
                PreparedStatement ps = change._2.isDefined() ? upsert : delete;
                ps.setString(1, a.logId());
                ps.setString(2, change._1.name());
                if (change._2.isDefined()) {
                    ps.setString(3, change._2.get().toString());
                }
                ps.addBatch();
            }
            upsert.executeBatch();
            delete.executeBatch();
        }
    }

    private AppendConflict takenId(Connection c, LogAppend<P> a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT position FROM oplog_op WHERE log_id = ? AND op_id = ?")) {
            for (Operation<P> op : a.ops()) {
                ps.setString(1, a.logId());
                ps.setString(2, op.id().value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new AppendConflict.OpIdTaken(a.logId(), op.id(), rs.getInt(1));
                    }
                }
            }
        }
        throw new IllegalArgumentException("append " + a + " names one op id twice: "
                + a.ops().map(Operation::id).mkString(" "));
    }

    private static Integer sizeOf(Connection c, String logId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT size FROM oplog_log WHERE log_id = ?")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    @Override
    public String toString() {
        return "server store in " + db;
    }
}
