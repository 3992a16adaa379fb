package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SyncMark;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database an older program left is migrated when a store opens it, and keeps everything it held: the tests build
 * a database at schema version 3 with that version's statements ({@link Schema#migrate} to 3) and rows as the
 * version-3 program wrote them, then open it with this one, on SQLite and on PostgreSQL.
 */
class SchemaMigrationTest {

    private static final String LOG = "friday";
    private static final NodeId C1 = NodeId.of("c1");
    private static final NodeId C2 = NodeId.of("c2");
    private static final NodeId S1 = NodeId.of("s1");
    private static final Vector<Operation<TournamentOp>> OPS =
            Vector.of(Ops.genesis(LOG)).appendAll(Ops.registrations("a", 1, 3));

    @TempDir
    Path folder;

    /** A connection to one database, as the version-3 program had it: no store, no migration to the current one. */
    private interface Raw {
        Connection connect() throws SQLException;
    }

    @Test
    void anEmptySqliteDatabaseOpensAtTheCurrentVersionWithTheSyncMarkTable() throws SQLException {
        Path file = folder.resolve("store.db");
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            assertEquals(Optional.empty(), db.serverStore(Ops.DOMAIN).load(LOG));
        }
        assertEquals(Schema.CURRENT, versionOf(() -> DriverManager.getConnection("jdbc:sqlite:" + file)));
        assertEquals(0, rowsOf(() -> DriverManager.getConnection("jdbc:sqlite:" + file), "oplog_sync_mark"));
    }

    @Test
    void aVersion3SqliteDatabaseOpensAtTheCurrentVersionWithItsLogCursorsAndMembersAndNoMarks() throws SQLException {
        Path file = folder.resolve("store.db");
        Raw raw = () -> DriverManager.getConnection("jdbc:sqlite:" + file);
        writeVersion3(raw, Dialect.SQLITE);
        assertOpensAtTheCurrentVersionWithEverything(raw, () -> OplogDatabase.sqlite(file));
    }

    @Test
    void aVersion3PostgresDatabaseOpensAtTheCurrentVersionWithItsLogCursorsAndMembersAndNoMarks() throws SQLException {
        LocalPostgres pg = LocalPostgres.shared();
        String url = pg.createDatabase("migration");
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        if (pg.password() != null) {
            props.setProperty("password", pg.password());
        }
        Raw raw = () -> DriverManager.getConnection(url, props);
        writeVersion3(raw, Dialect.POSTGRES);
        assertOpensAtTheCurrentVersionWithEverything(raw, () -> OplogDatabase.postgres(url, pg.user(), pg.password()));
    }

    @Test
    void aMigrationBackToAnOlderVersionIsRefused() throws SQLException {
        Path file = folder.resolve("store.db");
        OplogDatabase.sqlite(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.setAutoCommit(false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Schema.migrate(c, Dialect.SQLITE, "test store", 3));
            assertTrue(e.getMessage().contains("test store is at schema version " + Schema.CURRENT + ", past 3"),
                    e.getMessage());
        }
        assertEquals(Schema.CURRENT, versionOf(() -> DriverManager.getConnection("jdbc:sqlite:" + file)));
    }

    /** A log of 4 ops with two cursors (one with its server) and two members, as the version-3 program wrote it. */
    private static void writeVersion3(Raw raw, Dialect dialect) throws SQLException {
        try (Connection c = raw.connect()) {
            c.setAutoCommit(false);
            assertEquals(0, Schema.migrate(c, dialect, "version-3 database", 3), "an empty database");
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO oplog_log (log_id, size) VALUES ('" + LOG + "', " + OPS.size() + ")");
                st.executeUpdate("INSERT INTO oplog_cursor (log_id, client, position, server) VALUES ('" + LOG
                        + "', 'c1', 3, 's1'), ('" + LOG + "', 'c2', 1, NULL)");
                st.executeUpdate("INSERT INTO oplog_member (log_id, node, role) VALUES ('" + LOG + "', 'c1', 'judge'), "
                        + "('" + LOG + "', 'c2', 'player:bob')");
            }
            new OpRows<>(Ops.DOMAIN).insert(c, "oplog_op", LOG, 0, OPS);
            c.commit();
        }
        assertEquals(3, versionOf(raw));
    }

    private static void assertOpensAtTheCurrentVersionWithEverything(Raw raw, Supplier<OplogDatabase> open)
            throws SQLException {
        try (OplogDatabase db = open.get()) {
            StoredLog<TournamentOp> back = db.serverStore(Ops.DOMAIN).load(LOG).orElseThrow();
            assertEquals(OPS, back.log().ops(), "ids, authors, times, payloads");
            assertEquals(HashMap.of(C1, 3, C2, 1), HashMap.ofEntries(back.cursors()));
            assertEquals(HashMap.of(C1, S1), HashMap.ofEntries(back.servedBy()));
            assertEquals(HashMap.of(C1, Role.judge(), C2, Role.player("bob")), HashMap.ofEntries(back.members()));
            assertTrue(back.syncMarks().isEmpty(), "a version-3 log has no sync marks");
        }
        assertEquals(Schema.CURRENT, versionOf(raw));

        try (OplogDatabase db = open.get()) {
            ServerStore<TournamentOp> store = db.serverStore(Ops.DOMAIN);
            assertEquals(Optional.empty(), store.commit(List.of(new LogAppend<>(LOG, OPS.size(), Vector.empty(),
                    HashMap.empty(), HashMap.empty(), HashMap.empty(), HashMap.of(C2, new SyncMark(1, 2))))));
        }
        try (OplogDatabase db = open.get()) {
            StoredLog<TournamentOp> back = db.serverStore(Ops.DOMAIN).load(LOG).orElseThrow();
            assertEquals(HashMap.of(C2, new SyncMark(1, 2)), HashMap.ofEntries(back.syncMarks()),
                    "the migrated database keeps marks");
            assertEquals(OPS, back.log().ops());
            assertEquals(HashMap.of(C1, 3, C2, 1), HashMap.ofEntries(back.cursors()));
        }
    }

    private static int versionOf(Raw raw) throws SQLException {
        try (Connection c = raw.connect(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT version FROM oplog_schema")) {
            assertTrue(rs.next(), "oplog_schema has its row");
            int version = rs.getInt(1);
            assertFalse(rs.next(), "oplog_schema has one row");
            return version;
        }
    }

    private static int rowsOf(Raw raw, String table) throws SQLException {
        try (Connection c = raw.connect(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
