package dev.chainkit.oplog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The stores' tables, versioned: {@link #migrate} brings a database from whatever version it is at to {@link
 * #CURRENT}, one step at a time, in one transaction, and refuses a database written by a newer version.
 *
 * <h2>Version 1</h2>
 * <pre>
 * oplog_schema    (version)                                    one row: the schema version
 * oplog_log       (log_id PK, size)                            a server log; size is the append fence
 * oplog_op        (log_id, position, op_id, author, created_at_ms, payload, digest)
 *                 PK (log_id, position), UNIQUE (log_id, op_id) a server log's ops
 * oplog_cursor    (log_id, client, position) PK (log_id, client) how far forwarding reached each client
 * oplog_client    (log_id PK, next_op_number, synced_size)     a client's counter and synced tip (its position + 1)
 * oplog_client_op (as oplog_op)                                a client's log: synced ops, then pending ones
 * </pre>
 *
 * <h2>Version 2</h2>
 * <pre>
 * oplog_member    (log_id, node, role) PK (log_id, node)        a server log's member registry: who may write, as what
 * </pre>
 *
 * <h2>Version 3</h2>
 * <pre>
 * oplog_cursor    + server (nullable)                           which server serves the client (forwards to it)
 * </pre>
 *
 * <h2>Version 4</h2>
 * <pre>
 * oplog_sync_mark (log_id, member, incarnation, sequence) PK (log_id, member)
 *                                                              the newest sync chain of each member the log took up;
 *                                                              written only if newer
 * </pre>
 * {@code role} is the role's text form ({@code organizer}, {@code judge}, {@code player:NAME}).
 * {@code author} is {@code node/role} ({@code Author.toString}), {@code payload} the domain's one-line text form
 * ({@code PayloadCodec}), {@code digest} the op's content digest ({@code OpDigest}): a stored log reads as text.
 * Every table is keyed by log id first, so one database holds many logs, and several servers can share one
 * PostgreSQL database: an append is fenced by {@code UPDATE oplog_log SET size = new WHERE size = expected} and
 * backed by the two unique keys; a cursor only moves forward ({@code GREATEST} of the stored and the new position),
 * and a sync mark is written only if it is newer than the stored one (else the commit is a conflict).
 *
 * <p>Thread safety: stateless.
 */
final class Schema {

    /** The version this program writes. */
    static final int CURRENT = 4;

    private Schema() {
    }

    private static List<String> version1(Dialect dialect) {
        String opColumns = "(log_id TEXT NOT NULL, position INTEGER NOT NULL, op_id TEXT NOT NULL, "
                + "author TEXT NOT NULL, created_at_ms BIGINT NOT NULL, payload TEXT NOT NULL, digest TEXT NOT NULL, "
                + "PRIMARY KEY (log_id, position), UNIQUE (log_id, op_id))" + dialect.opTableOptions();
        return List.of(
                "CREATE TABLE oplog_log (log_id TEXT PRIMARY KEY, size INTEGER NOT NULL)",
                "CREATE TABLE oplog_op " + opColumns,
                "CREATE TABLE oplog_cursor (log_id TEXT NOT NULL, client TEXT NOT NULL, position INTEGER NOT NULL, "
                        + "PRIMARY KEY (log_id, client))",
                "CREATE TABLE oplog_client (log_id TEXT PRIMARY KEY, next_op_number BIGINT NOT NULL, "
                        + "synced_size INTEGER NOT NULL)",
                "CREATE TABLE oplog_client_op " + opColumns);
    }

    private static List<String> version2() {
        return List.of("CREATE TABLE oplog_member (log_id TEXT NOT NULL, node TEXT NOT NULL, role TEXT NOT NULL, "
                + "PRIMARY KEY (log_id, node))");
    }

    private static List<String> version3() {
        return List.of("ALTER TABLE oplog_cursor ADD COLUMN server TEXT");
    }

    private static List<String> version4() {
        return List.of("CREATE TABLE oplog_sync_mark (log_id TEXT NOT NULL, member TEXT NOT NULL, "
                + "incarnation BIGINT NOT NULL, sequence BIGINT NOT NULL, PRIMARY KEY (log_id, member))");
    }

    /** The statements that take a database from version {@code to - 1} to {@code to}. */
    private static List<String> step(Dialect dialect, int to) {
        if (to == 1) {
            return version1(dialect);
        }
        if (to == 2) {
            return version2();
        }
        if (to == 3) {
            return version3();
        }
        if (to == 4) {
            return version4();
        }
        throw new IllegalArgumentException("no migration to schema version " + to);
    }

    /**
     * Brings the database to {@link #CURRENT} and commits.
     *
     * @return the version it was at before (0 for an empty database)
     * @throws StoreDamagedException if the database was written by a newer version
     */
    static int migrate(Connection connection, Dialect dialect, String where) throws SQLException {
        return migrate(connection, dialect, where, CURRENT);
    }

    /**
     * Brings the database to version {@code target} and commits: {@link #CURRENT} when a store opens; an older
     * version only to build, in a test, a database as an older program left it.
     *
     * @return the version it was at before (0 for an empty database)
     * @throws StoreDamagedException if the database was written by a newer version than this program's
     * @throws IllegalArgumentException if {@code target} is below 1 or above {@link #CURRENT}, or below the version
     *     the database is at
     */
    static int migrate(Connection connection, Dialect dialect, String where, int target) throws SQLException {
        if (target < 1 || target > CURRENT) {
            throw new IllegalArgumentException("no schema version " + target + "; versions are 1.." + CURRENT);
        }
        dialect.lockForMigration(connection);
        int found = versionOf(connection);
        if (found > CURRENT) {
            connection.rollback();
            throw new StoreDamagedException(where + ": the database has schema version " + found
                    + ", written by a newer program; this one reads up to version " + CURRENT);
        }
        if (found > target) {
            connection.rollback();
            throw new IllegalArgumentException(where + " is at schema version " + found + ", past " + target);
        }
        try (Statement st = connection.createStatement()) {
            if (found == 0) {
                st.execute("CREATE TABLE oplog_schema (version INTEGER NOT NULL)");
                st.execute("INSERT INTO oplog_schema (version) VALUES (0)");
            }
            for (int v = found + 1; v <= target; v++) {
                for (String sql : step(dialect, v)) {
                    st.execute(sql);
                }
            }
        }
        if (found < target) {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE oplog_schema SET version = ?")) {
                ps.setInt(1, target);
                ps.executeUpdate();
            }
        }
        connection.commit();
        return found;
    }

    /** The version the database is at, as its {@code oplog_schema} row says (0 for an empty database). */
    static int versionOf(Connection connection) throws SQLException {
        boolean exists;
        try (ResultSet rs = connection.getMetaData().getTables(null, null, "oplog_schema", null)) {
            exists = rs.next();
        }
        if (!exists) {
            return 0;
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM oplog_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
