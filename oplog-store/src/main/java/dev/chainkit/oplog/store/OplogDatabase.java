package dev.chainkit.oplog.store;

import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.ServerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A database that holds op logs: an embedded SQLite file, or a PostgreSQL database several servers can share. It
 * hands out the {@link ServerStore}s and {@link ClientStore}s of the op-log sync, all on one connection.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Durability.</b> Every write is one transaction that is durable when it returns: SQLite runs with a WAL
 *   journal and {@code synchronous=FULL} (checked at open, not just asked for), PostgreSQL with {@code
 *   synchronous_commit=on}. Transactions on SQLite are immediate (the write lock is taken at {@code BEGIN}), so two
 *   writers never deadlock on a lock upgrade.</li>
 *   <li><b>Open.</b> Opening takes the SQLite file's lock ({@link StoreLockedException} if another process has it),
 *   connects, and migrates the schema ({@link Schema}) to the current version. Opening a log replays and validates
 *   it; damage is a {@link StoreDamagedException} naming the log, the position and what is wrong.</li>
 *   <li><b>One connection.</b> A database object uses one JDBC connection, serialized by its monitor: the server
 *   commits from one store executor at a time, and SQLite has a single writer anyway. Several servers that share a
 *   PostgreSQL database each open their own {@code OplogDatabase}.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe; calls are serialized.
 */
public final class OplogDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OplogDatabase.class);

    private final Dialect dialect;
    private final String where;
    private final Connection connection;
    private final FileLock lock;
    /** How to open another connection to the same database (PostgreSQL's hint listener); null for SQLite. */
    private final Reconnect reconnect;
    private final java.util.List<PostgresHints> listeners = new java.util.ArrayList<>();
    private boolean closed;

    /** Opens a further connection to the database, as {@code user}; with the session's backend pid of ours. */
    record Reconnect(String jdbcUrl, Properties props, int ownPid) {
    }

    private OplogDatabase(Dialect dialect, String where, Connection connection, FileLock lock, Reconnect reconnect) {
        this.dialect = dialect;
        this.where = where;
        this.connection = connection;
        this.lock = lock;
        this.reconnect = reconnect;
    }

    /**
     * Opens (creating if absent) an embedded store in a SQLite file.
     *
     * @param file the database file; its folder must exist; {@code FILE.lock}, {@code FILE-wal} and {@code FILE-shm}
     *     are created beside it
     * @return the open database
     * @throws NullPointerException if {@code file} is null
     * @throws StoreLockedException if another process has the file open
     * @throws StoreDamagedException if the file's schema is from a newer version
     * @throws StoreException if the file cannot be opened or set up for durable commits
     */
    public static OplogDatabase sqlite(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        if (!Files.isDirectory(absolute.getParent())) {
            throw new StoreException("cannot open store " + absolute + ": folder " + absolute.getParent()
                    + " does not exist");
        }
        FileLock lock = FileLock.acquire(absolute);
        String where = "sqlite store " + absolute;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.setBusyTimeout(10_000);
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + absolute, config.toProperties());
            return open(Dialect.SQLITE, where, connection, lock, null, null);
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e instanceof StoreException se ? se : new StoreException("cannot open " + where + ": " + e, e);
        }
    }

    /**
     * Opens a store in a PostgreSQL database, creating its tables if absent.
     *
     * @param jdbcUrl {@code jdbc:postgresql://HOST:PORT/DATABASE}
     * @param user the user
     * @param password the password, or null (trust or peer authentication)
     * @return the open database
     * @throws NullPointerException if {@code jdbcUrl} or {@code user} is null
     * @throws StoreDamagedException if the database's schema is from a newer version
     * @throws StoreException if the server cannot be reached or refuses
     */
    public static OplogDatabase postgres(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        String where = "postgresql store " + jdbcUrl;
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        try {
            return open(Dialect.POSTGRES, where, DriverManager.getConnection(jdbcUrl, props), null, jdbcUrl, props);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + where + " as " + user + ": " + e.getMessage(), e);
        }
    }

    private static OplogDatabase open(Dialect dialect, String where, Connection connection, FileLock lock,
            String jdbcUrl, Properties props) throws SQLException {
        try {
            connection.setAutoCommit(false);
            dialect.configure(connection, where);
            connection.commit();
            int before = Schema.migrate(connection, dialect, where);
            if (before < Schema.CURRENT) {
                log.info("Migrated [{}] from schema version [{}] to [{}]", where, before, Schema.CURRENT);
            }
            Reconnect reconnect = null;
            if (jdbcUrl != null) {
                try (java.sql.Statement st = connection.createStatement();
                        java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    reconnect = new Reconnect(jdbcUrl, props, rs.getInt(1));
                }
                connection.commit();
            }
            return new OplogDatabase(dialect, where, connection, lock, reconnect);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The server store of this database for a domain: many logs, keyed by log id.
     *
     * @param domain what the ops mean (decodes payloads and validates logs as they are read)
     * @return the store; thread-safe
     * @throws NullPointerException if {@code domain} is null
     */
    public <P> ServerStore<P> serverStore(Domain<?, P> domain) {
        return new JdbcServerStore<>(this, new OpRows<>(Objects.requireNonNull(domain, "domain")));
    }

    /**
     * The client store of this database for log {@code logId}, created holding only {@code genesis} (synced) if
     * absent. Reads and validates the stored log now.
     *
     * @param logId the log
     * @param domain what the ops mean
     * @param genesis the log's genesis op, for a new store; an existing one must start with an op of its id
     * @return the store; use it from one thread at a time (the client's node thread)
     * @throws NullPointerException if an argument is null
     * @throws StoreDamagedException if the stored log is damaged or starts with another genesis
     * @throws StoreException if the database cannot be read or written
     */
    public <P> ClientStore<P> clientStore(String logId, Domain<?, P> domain, Operation<P> genesis) {
        return JdbcClientStore.open(this, logId, new OpRows<>(Objects.requireNonNull(domain, "domain")), genesis);
    }

    /**
     * A client's log as this database holds it, read without creating or changing anything (for tools that show a
     * store).
     *
     * @param logId the log
     * @param domain what the ops mean
     * @return the client's whole log (synced ops, then pending ones), or empty if this database keeps no client
     *     log of that id
     * @throws NullPointerException if an argument is null
     * @throws StoreDamagedException if the stored log is damaged
     * @throws StoreException if the database cannot be read
     */
    public <P> java.util.Optional<dev.chainkit.oplog.OpLog<P>> clientLog(String logId, Domain<?, P> domain) {
        Objects.requireNonNull(logId, "logId");
        OpRows<P> rows = new OpRows<>(Objects.requireNonNull(domain, "domain"));
        return transaction("read the client log " + logId,
                c -> java.util.Optional.ofNullable(rows.read(c, "oplog_client_op", logId, -1, where)));
    }

    /** Work on the connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it; rolls back if it throws. Work that finds a reason not to
     * commit rolls back itself (the commit that follows is then empty).
     *
     * @param what what is being done, for the error message
     * @throws StoreException if the database fails (the message says what was being done and where)
     */
    synchronized <T> T transaction(String what, Work<T> work) {
        if (closed) {
            throw new StoreException("cannot " + what + ": " + where + " is closed");
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("cannot " + what + " in " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #transaction}, reading one snapshot of the database (its writes, if any, are those of a
     * transaction).
     */
    <T> T snapshot(String what, Work<T> work) {
        return transaction(what, c -> {
            dialect.beginSnapshot(c);
            return work.run(c);
        });
    }

    /**
     * Starts a hint listener on a connection of its own (PostgreSQL only); it stops when the subscription is closed
     * or this database is.
     *
     * @param ownSizes the size of each log after this database's own latest commit to it (not hinted)
     */
    synchronized dev.chainkit.oplog.sync.HintSubscription hints(dev.chainkit.oplog.sync.HintListener listener,
            java.util.Map<String, Integer> ownSizes) {
        if (reconnect == null) {
            throw new IllegalStateException(where + " has no hints: only PostgreSQL stores do");
        }
        if (closed) {
            throw new StoreException("cannot listen for hints: " + where + " is closed");
        }
        PostgresHints hints = PostgresHints.start(where, reconnect, listener, ownSizes);
        listeners.add(hints);
        return hints;
    }

    Dialect dialect() {
        return dialect;
    }

    String where() {
        return where;
    }

    /** The schema version this database is at, read from it (opening it migrated it to this program's version). */
    public int schemaVersion() {
        return snapshot("read the schema version", Schema::versionOf);
    }

    /**
     * Closes the connection and releases the file lock. Idempotent.
     *
     * @throws StoreException if the connection cannot be closed
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.forEach(PostgresHints::close);
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close " + where + ": " + e.getMessage(), e);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
