package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpDigest;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.HashMap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store is refused at open with a message naming the log, the position and what is wrong: the tests
 * damage a SQLite store the way a bad disk, a bad hand edit or a newer program would, then open it.
 */
class StoreDamageTest {

    private static final String LOG = "friday";

    @TempDir
    Path folder;
    private Path file;

    @BeforeEach
    void makeStore() {
        file = folder.resolve("store.db");
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            ServerStore<TournamentOp> store = db.serverStore(Ops.DOMAIN);
            store.loadOrCreate(LOG, Ops.genesis(LOG));
            store.commit(List.of(new LogAppend<>(LOG, 1, Ops.registrations("a", 1, 4),
                    HashMap.of(NodeId.of("c1"), 4))));
            db.clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG)).save(Ops.log(LOG, Ops.registrations("a", 1, 2)),
                    Ops.genesis(LOG).id());
        }
    }

    private void damage(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.executeUpdate(s);
            }
        }
    }

    private void assertServerLogRefused(String... fragments) {
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            StoreDamagedException e = assertThrows(StoreDamagedException.class,
                    () -> db.serverStore(Ops.DOMAIN).load(LOG));
            for (String f : fragments) {
                assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
            }
        }
    }

    @Test
    void aMissingOpIsNamedByItsPosition() throws SQLException {
        damage("DELETE FROM oplog_op WHERE position = 2");
        assertServerLogRefused("log friday", "position 3", "ops 2..2 are missing");
    }

    @Test
    void anEditedPayloadNoLongerMatchesItsDigest() throws SQLException {
        damage("UPDATE oplog_op SET payload = 'register mallory' WHERE position = 1");
        assertServerLogRefused("position 1", "op a1", "does not match its digest");
    }

    @Test
    void aPayloadThatDoesNotDecodeIsNamed() throws SQLException {
        damage("UPDATE oplog_op SET payload = 'fly away', digest = '" + OpDigest.of(1, "fly away")
                + "' WHERE position = 1");
        assertServerLogRefused("position 1", "'fly away' does not decode");
    }

    @Test
    void anOpThatDoesNotApplyWhereItStandsIsNamed() throws SQLException {
        damage("UPDATE oplog_op SET payload = 'register ap1', digest = '" + OpDigest.of(2, "register ap1")
                + "' WHERE position = 2");
        assertServerLogRefused("position 2", "op a2 does not apply where it stands");
    }

    @Test
    void aCursorOutsideTheLogIsNamed() throws SQLException {
        damage("UPDATE oplog_cursor SET position = 99");
        assertServerLogRefused("forward cursor of c1 is 99", "outside the log of 5 ops");
    }

    @Test
    void aSyncMarkBelowOneIsNamedWithItsMember() throws SQLException {
        damage("INSERT INTO oplog_sync_mark (log_id, member, incarnation, sequence) VALUES ('friday', 'c1', 2, 0)");
        assertServerLogRefused("log friday", "the sync mark of c1 is incarnation 2, sequence 0");
        damage("UPDATE oplog_sync_mark SET incarnation = -1, sequence = 3");
        assertServerLogRefused("log friday", "the sync mark of c1 is incarnation -1, sequence 3");
    }

    @Test
    void aSyncMarkOfAMemberThatIsNoNodeIdIsNamed() throws SQLException {
        damage("INSERT INTO oplog_sync_mark (log_id, member, incarnation, sequence) "
                + "VALUES ('friday', '9 lives', 1, 1)");
        assertServerLogRefused("log friday", "sync mark of '9 lives', which is not a node id");
    }

    @Test
    void aDamagedSyncMarkIsRefusedByATailToo() throws SQLException {
        damage("INSERT INTO oplog_sync_mark (log_id, member, incarnation, sequence) VALUES ('friday', 'c1', 0, 1)");
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            StoreDamagedException e = assertThrows(StoreDamagedException.class,
                    () -> db.serverStore(Ops.DOMAIN).tail(LOG, 3));
            assertTrue(e.getMessage().contains("log friday: the sync mark of c1 is incarnation 0, sequence 1"),
                    e.getMessage());
        }
    }

    @Test
    void aLogRowThatDisagreesWithItsOpsIsNamed() throws SQLException {
        damage("UPDATE oplog_log SET size = 6");
        assertServerLogRefused("the log's row says 6 ops but oplog_op holds 5");
    }

    @Test
    void aClientSyncedTipOutsideItsLogIsNamed() throws SQLException {
        damage("UPDATE oplog_client SET synced_size = 9");
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            StoreDamagedException e = assertThrows(StoreDamagedException.class,
                    () -> db.clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG)));
            assertTrue(e.getMessage().contains("client log friday: the synced tip is position 8, outside the log of 3"),
                    e.getMessage());
        }
    }

    @Test
    void aClientStoreOfAnotherGenesisIsRefused() {
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            StoreDamagedException e = assertThrows(StoreDamagedException.class,
                    () -> db.clientStore(LOG, Ops.DOMAIN, Ops.op("z0", "register z")));
            assertTrue(e.getMessage().contains("starts with op o0, not with the genesis z0"), e.getMessage());
        }
    }

    @Test
    void aSchemaFromANewerProgramIsRefusedAtOpen() throws SQLException {
        damage("UPDATE oplog_schema SET version = 99");
        StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> OplogDatabase.sqlite(file));
        assertTrue(e.getMessage().contains("schema version 99, written by a newer program"), e.getMessage());
        assertThrows(StoreDamagedException.class, () -> OplogDatabase.sqlite(file),
                "refused again the same way, not as locked");
    }
}
