package dev.chainkit.oplog.store;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ClientStore;
import io.vavr.collection.Vector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Objects;

/**
 * A {@link ClientStore} on an {@link OplogDatabase}: one row in {@code oplog_client} (the op counter and the synced
 * size) and the log in {@code oplog_client_op}. A save writes only what changed: it keeps the longest prefix the
 * stored log shares with the new one, deletes the rows after it and inserts the new ones, and sets the synced size,
 * in one transaction. Finding that prefix compares ops in memory, O(log length) pointer comparisons; the database work
 * is O(ops changed).
 *
 * <p>Thread safety: one thread at a time (the client's node thread); the database serializes the calls.
 */
final class JdbcClientStore<P> implements ClientStore<P> {

    private final OplogDatabase db;
    private final OpRows<P> rows;
    private final String logId;
    private OpLog<P> log;
    private OpId syncedTip;
    private long nextOpNumber;

    private JdbcClientStore(OplogDatabase db, OpRows<P> rows, String logId, OpLog<P> log, int syncedSize,
            long nextOpNumber) {
        this.db = db;
        this.rows = rows;
        this.logId = logId;
        this.log = log;
        this.syncedTip = log.get(syncedSize - 1).id();
        this.nextOpNumber = nextOpNumber;
    }

    static <P> JdbcClientStore<P> open(OplogDatabase db, String logId, OpRows<P> rows, Operation<P> genesis) {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(genesis, "genesis");
        return db.transaction("open the client store of log " + logId, c -> {
            long next;
            int syncedSize;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT next_op_number, synced_size FROM oplog_client WHERE log_id = ?")) {
                ps.setString(1, logId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        create(c, rows, logId, genesis);
                        return new JdbcClientStore<>(db, rows, logId, OpLog.genesis(genesis), 1, 1);
                    }
                    next = rs.getLong(1);
                    syncedSize = rs.getInt(2);
                }
            }
            String at = db.where() + ", client log " + logId;
            OpLog<P> log = rows.read(c, "oplog_client_op", logId, -1, db.where());
            if (log == null) {
                throw new StoreDamagedException(at + ": the client's row exists but oplog_client_op holds no op");
            }
            if (!log.first().id().equals(genesis.id())) {
                throw new StoreDamagedException(at + ": the log starts with op " + log.first().id()
                        + ", not with the genesis " + genesis.id() + " this client was opened for");
            }
            if (syncedSize < 1 || syncedSize > log.size()) {
                throw new StoreDamagedException(at + ": the synced tip is position " + (syncedSize - 1)
                        + ", outside the log of " + log.size() + " ops");
            }
            if (next < 1) {
                throw new StoreDamagedException(at + ": the next op number is " + next + "; numbers start at 1");
            }
            return new JdbcClientStore<>(db, rows, logId, log, syncedSize, next);
        });
    }

    private static <P> void create(Connection c, OpRows<P> rows, String logId, Operation<P> genesis)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO oplog_client (log_id, next_op_number, synced_size) VALUES (?, 1, 1)")) {
            ps.setString(1, logId);
            ps.executeUpdate();
        }
        rows.insert(c, "oplog_client_op", logId, 0, Vector.of(genesis));
    }

    @Override
    public OpLog<P> log() {
        return log;
    }

    @Override
    public OpId syncedTip() {
        return syncedTip;
    }

    @Override
    public void save(OpLog<P> newLog, OpId newSyncedTip) {
        Objects.requireNonNull(newLog, "log");
        Objects.requireNonNull(newSyncedTip, "syncedTip");
        int syncedSize = newLog.indexOf(newSyncedTip) + 1;
        if (syncedSize == 0) {
            throw new IllegalArgumentException("synced tip " + newSyncedTip + " is not in the log " + newLog);
        }
        int keep = commonPrefix(log, newLog);
        if (keep == 0) {
            throw new IllegalArgumentException("the new log of " + logId + " does not start with the genesis "
                    + log.first().id());
        }
        if (keep == log.size() && keep == newLog.size() && newSyncedTip.equals(syncedTip)) {
            return;
        }
        db.transaction("save the client log " + logId, c -> {
            if (keep < log.size()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM oplog_client_op WHERE log_id = ? AND position >= ?")) {
                    ps.setString(1, logId);
                    ps.setInt(2, keep);
                    ps.executeUpdate();
                }
            }
            rows.insert(c, "oplog_client_op", logId, keep, newLog.ops().drop(keep));
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE oplog_client SET synced_size = ? WHERE log_id = ?")) {
                ps.setInt(1, syncedSize);
                ps.setString(2, logId);
                ps.executeUpdate();
            }
            return null;
        });
        log = newLog;
        syncedTip = newSyncedTip;
    }

    /**
     * The number of leading positions at which both logs hold the same op. A scan, not a guess: a log may be cut
     * after an op and grown again with some of the same ops at the same positions, so one matching position says
     * nothing of those before it. The ops of an unchanged prefix are the same objects, so the scan is a pointer
     * comparison per op (a 100k-op log in well under a millisecond).
     */
    private static <P> int commonPrefix(OpLog<P> a, OpLog<P> b) {
        return firstDifference(a, b, Math.min(a.size(), b.size()));
    }

    private static <P> int firstDifference(OpLog<P> a, OpLog<P> b, int n) {
        Iterator<Operation<P>> ia = a.ops().iterator();
        Iterator<Operation<P>> ib = b.ops().iterator();
        for (int i = 0; i < n; i++) {
            Operation<P> x = ia.next();
            Operation<P> y = ib.next();
            if (x != y && !x.equals(y)) {
                return i;
            }
        }
        return n;
    }

    @Override
    public long nextOpNumber() {
        long number = nextOpNumber;
        db.transaction("reserve op number " + number + " of client log " + logId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE oplog_client SET next_op_number = ? WHERE log_id = ?")) {
                ps.setLong(1, number + 1);
                ps.setString(2, logId);
                ps.executeUpdate();
            }
            return null;
        });
        nextOpNumber = number + 1;
        return number;
    }

    @Override
    public String toString() {
        return "client store of log " + logId + " in " + db;
    }
}
