package dev.chainkit.oplog.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Everything SQLite and PostgreSQL do differently, in one place; every other statement of the stores is plain SQL
 * that both run alike (including {@code INSERT ... ON CONFLICT}).
 *
 * <p>Thread safety: stateless, thread-safe.
 */
enum Dialect {

    /** SQLite through {@code org.xerial:sqlite-jdbc}: WAL journal, {@code synchronous=FULL}, immediate transactions. */
    SQLITE {
        @Override
        void configure(Connection connection, String where) throws SQLException {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                String mode = rs.next() ? rs.getString(1) : "";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StoreException(where + ": SQLite refused the WAL journal (journal_mode is '" + mode
                            + "'); the file system may not support the shared memory WAL needs");
                }
            }
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                int level = rs.next() ? rs.getInt(1) : -1;
                if (level != 2) { // 2 = FULL: a commit is on disk when it returns, with WAL
                    throw new StoreException(where + ": SQLite synchronous level is " + level + ", not FULL (2)");
                }
            }
        }

        @Override
        String opTableOptions() {
            return " WITHOUT ROWID"; // the rows are clustered on (log_id, position): a log replays in one scan
        }

        @Override
        boolean isUniqueViolationCode(SQLException e) {
            // SQLITE_CONSTRAINT (19) and its extended codes for UNIQUE (2067) and PRIMARY KEY (1555)
            int code = e.getErrorCode();
            return code == 19 || code == 2067 || code == 1555;
        }

        @Override
        void lockForMigration(Connection connection) {
            // transactions are immediate (the write lock is taken at BEGIN): a migration already runs alone
        }

        @Override
        String greatest(String a, String b) {
            return "MAX(" + a + ", " + b + ")";
        }

        @Override
        void beginSnapshot(Connection connection) {
            // one writer, immediate transactions: every transaction sees one state of the file
        }
    },

    /** PostgreSQL through {@code org.postgresql:postgresql}, with synchronous commit. */
    POSTGRES {
        @Override
        void configure(Connection connection, String where) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("SET synchronous_commit TO on"); // whatever the server's default: durable when committed
            }
        }

        @Override
        String opTableOptions() {
            return "";
        }

        @Override
        boolean isUniqueViolationCode(SQLException e) {
            return "23505".equals(e.getSQLState());
        }

        @Override
        void lockForMigration(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                // several servers opening one database at once: one migrates, the others wait and find it done
                st.execute("SELECT pg_advisory_xact_lock(7243311001)");
            }
        }

        @Override
        String greatest(String a, String b) {
            return "GREATEST(" + a + ", " + b + ")";
        }

        @Override
        void beginSnapshot(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                // other servers commit meanwhile: a read of several tables must see one state of the database
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
        }
    };

    /** Sets up and checks a fresh connection (autocommit is already off). */
    abstract void configure(Connection connection, String where) throws SQLException;

    /** What follows the column list of an op table's {@code CREATE TABLE}. */
    abstract String opTableOptions();

    /** Whether {@code e} (or an exception chained to it by a batch) reports a UNIQUE or PRIMARY KEY violation. */
    boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (isUniqueViolationCode(x)) {
                return true;
            }
        }
        return false;
    }

    abstract boolean isUniqueViolationCode(SQLException e);

    /** Serializes schema migrations between processes, inside the migration's transaction. */
    abstract void lockForMigration(Connection connection) throws SQLException;

    /** The larger of two SQL expressions. */
    abstract String greatest(String a, String b);

    /** Makes the transaction just begun read one snapshot of the database (its first statement). */
    abstract void beginSnapshot(Connection connection) throws SQLException;
}
