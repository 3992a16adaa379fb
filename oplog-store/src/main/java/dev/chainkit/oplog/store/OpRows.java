package dev.chainkit.oplog.store;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpDigest;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Seq;
import io.vavr.control.Either;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ops as rows of an op table ({@code oplog_op} or {@code oplog_client_op}), both ways, for the server and the client
 * store alike: writing a run of ops, and reading a whole log back while validating it (positions dense from 0, each
 * row decodes, matches its digest and applies where it stands).
 *
 * <p>Thread safety: immutable; use from one thread at a time per connection.
 *
 * @param <P> the domain's payload type
 */
final class OpRows<P> {

    private final Domain<?, P> domain;
    private final PayloadCodec<P> codec;

    OpRows(Domain<?, P> domain) {
        this.domain = domain;
        this.codec = domain.payloads();
    }

    /** Inserts {@code ops} into {@code table} at positions {@code from, from + 1, ...} as one JDBC batch. */
    void insert(Connection connection, String table, String logId, int from, Seq<Operation<P>> ops)
            throws SQLException {
        if (ops.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " (log_id, position, op_id, author, created_at_ms, payload, digest) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int position = from;
            for (Operation<P> op : ops) {
                String payload = codec.encode(op.payload());
                ps.setString(1, logId);
                ps.setInt(2, position++);
                ps.setString(3, op.id().value());
                ps.setString(4, op.author().toString());
                ps.setLong(5, op.createdAtMs());
                ps.setString(6, payload);
                ps.setString(7, OpDigest.of(op.createdAtMs(), payload));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Reads log {@code logId} of {@code table}, validating every row.
     *
     * @param expectedSize the size the log's own row states, or -1 if there is none to compare with
     * @return the log, or null if the table has no row for it
     * @throws StoreDamagedException naming the position and what is wrong
     */
    OpLog<P> read(Connection connection, String table, String logId, int expectedSize, String where)
            throws SQLException {
        OpLog<P> log = null;
        Object state = domain.empty();
        try (PreparedStatement ps = connection.prepareStatement("SELECT position, op_id, author, created_at_ms, "
                + "payload, digest FROM " + table + " WHERE log_id = ? ORDER BY position")) {
            ps.setFetchSize(1000);
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                int expected = 0;
                while (rs.next()) {
                    int position = rs.getInt(1);
                    String at = where + ", log " + logId + ", " + table + " position " + position;
                    if (position != expected) {
                        throw new StoreDamagedException(at + ": expected position " + expected
                                + " (positions must be dense from 0); " + (position > expected
                                ? "ops " + expected + ".." + (position - 1) + " are missing" : "out of order"));
                    }
                    Operation<P> op = decode(rs, at);
                    if (log != null && log.contains(op.id())) {
                        throw new StoreDamagedException(at + ": op id " + op.id() + " already stands at position "
                                + log.indexOf(op.id()));
                    }
                    state = apply(state, op, at);
                    log = log == null ? OpLog.genesis(op) : log.append(op);
                    expected++;
                }
            }
        }
        int size = log == null ? 0 : log.size();
        if (expectedSize >= 0 && size != expectedSize) {
            throw new StoreDamagedException(where + ", log " + logId + ": the log's row says " + expectedSize
                    + " ops but " + table + " holds " + size);
        }
        return log;
    }

    /**
     * Reads the ops of log {@code logId} of {@code table} at positions {@code from} to {@code size - 1}, validating
     * each row (dense positions, digest, decoding, no id twice among them); whether they apply is for the reader,
     * which holds the state they apply to.
     *
     * @throws StoreDamagedException naming the position and what is wrong
     */
    io.vavr.collection.Vector<Operation<P>> readFrom(Connection connection, String table, String logId, int from,
            int size, String where) throws SQLException {
        io.vavr.collection.Vector<Operation<P>> ops = io.vavr.collection.Vector.empty();
        java.util.Set<OpId> ids = new java.util.HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT position, op_id, author, created_at_ms, "
                + "payload, digest FROM " + table + " WHERE log_id = ? AND position >= ? AND position < ? "
                + "ORDER BY position")) {
            ps.setFetchSize(1000);
            ps.setString(1, logId);
            ps.setInt(2, from);
            ps.setInt(3, size);
            try (ResultSet rs = ps.executeQuery()) {
                int expected = from;
                while (rs.next()) {
                    int position = rs.getInt(1);
                    String at = where + ", log " + logId + ", " + table + " position " + position;
                    if (position != expected) {
                        throw new StoreDamagedException(at + ": expected position " + expected
                                + " (positions must be dense); ops " + expected + ".." + (position - 1)
                                + " are missing");
                    }
                    Operation<P> op = decode(rs, at);
                    if (!ids.add(op.id())) {
                        throw new StoreDamagedException(at + ": op id " + op.id() + " stands twice in the log");
                    }
                    ops = ops.append(op);
                    expected++;
                }
            }
        }
        if (from + ops.size() != size) {
            throw new StoreDamagedException(where + ", log " + logId + ": the log's row says " + size + " ops but "
                    + table + " holds " + (from + ops.size()));
        }
        return ops;
    }

    @SuppressWarnings("unchecked")
    private Object apply(Object state, Operation<P> op, String at) {
        Either<OpError, ?> next = ((Domain<Object, P>) domain).apply(state, op);
        if (next.isLeft()) {
            throw new StoreDamagedException(at + ": op " + op.id() + " does not apply where it stands: "
                    + next.getLeft());
        }
        return next.get();
    }

    private Operation<P> decode(ResultSet rs, String at) throws SQLException {
        String id = rs.getString(2);
        String author = rs.getString(3);
        long createdAtMs = rs.getLong(4);
        String payloadText = rs.getString(5);
        String digest = rs.getString(6);
        if (!OpDigest.of(createdAtMs, payloadText).equals(digest)) {
            throw new StoreDamagedException(at + " (op " + id + "): its content does not match its digest "
                    + digest + " (payload '" + payloadText + "', created at " + createdAtMs + " ms)");
        }
        Either<String, P> payload = codec.decode(payloadText);
        if (payload.isLeft()) {
            throw new StoreDamagedException(at + " (op " + id + "): payload '" + payloadText + "' does not decode: "
                    + payload.getLeft());
        }
        try {
            return new Operation<>(OpId.of(id), parseAuthor(author, at), createdAtMs, payload.get());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreDamagedException(at + " (op " + id + "): " + e.getMessage());
        }
    }

    private static Author parseAuthor(String text, String at) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0) {
            throw new StoreDamagedException(at + ": author '" + text + "' is not node/role");
        }
        Either<String, Role> role = Role.parse(text.substring(slash + 1));
        if (role.isLeft()) {
            throw new StoreDamagedException(at + ": author '" + text + "' has no valid role: " + role.getLeft());
        }
        return new Author(text.substring(0, slash), role.get());
    }
}
