package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.HintListener;
import dev.chainkit.oplog.sync.HintSubscription;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hints of a PostgreSQL store: {@code LISTEN} on a connection of its own, with the heads of the logs polled as
 * a safety net.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>What a hint is.</b> Every commit that appends ops or changes which server serves a client runs {@code
 *   pg_notify('chainkit_oplog', 'SIZE LOG')} in its own transaction; PostgreSQL delivers it to every listening
 *   session when, and only if, the transaction commits, in commit order. A notification from this database's own
 *   connection (its backend pid) is not passed on: the server knows its own commits.</li>
 *   <li><b>A dedicated connection.</b> The listener blocks in {@code getNotifications(timeout)} on a thread of its
 *   own, so the store's connection stays free for commits. A failed connection (the database restarted, the
 *   network cut) is opened again after a backoff with full jitter (100 ms doubling to 5 s); the listener is then
 *   told that hints may have been lost ({@link HintListener#hintsMayBeLost}), since notifications sent while no
 *   one listened are gone.</li>
 *   <li><b>Head polling.</b> Every {@value #POLL_MS} ms the thread reads every log's size and hints the logs that
 *   grew since its last poll (a log created since grew from nothing), unless this database's own commit made them
 *   that size: a notification lost for any other reason is made good within a poll.</li>
 *   <li><b>Listening when started.</b> {@link #start} returns once the first {@code LISTEN} ran and the heads were
 *   read after it (or the first connection failed): a commit made after a server subscribed is hinted, never lost
 *   in the gap between the subscription and the listener's connection.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe; {@link #close} from any thread.
 */
final class PostgresHints implements HintSubscription {

    /** The notification channel. */
    static final String CHANNEL = "chainkit_oplog";
    /** The listener connection's {@code application_name}, as {@code pg_stat_activity} shows it. */
    static final String APPLICATION_NAME = "chainkit-hints";
    /** How often the heads of the logs are polled, in milliseconds. */
    static final long POLL_MS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(PostgresHints.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long FIRST_LISTEN_WAIT_MS = 10_000;

    private final String where;
    private final OplogDatabase.Reconnect reconnect;
    private final HintListener listener;
    private final Map<String, Integer> ownSizes;
    private final Thread thread;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Connection connection;

    private PostgresHints(String where, OplogDatabase.Reconnect reconnect, HintListener listener,
            Map<String, Integer> ownSizes) {
        this.where = where;
        this.reconnect = reconnect;
        this.listener = listener;
        this.ownSizes = ownSizes;
        this.thread = new Thread(this::run, "oplog-hints");
        thread.setDaemon(true);
    }

    /**
     * Starts the listener thread and waits until it listens (or its first connection failed, or {@link
     * #FIRST_LISTEN_WAIT_MS} passed), so that a commit made after this returns is hinted.
     */
    static PostgresHints start(String where, OplogDatabase.Reconnect reconnect, HintListener listener,
            Map<String, Integer> ownSizes) {
        PostgresHints hints = new PostgresHints(where, reconnect, listener, ownSizes);
        hints.thread.start();
        try {
            if (!hints.firstAttempt.await(FIRST_LISTEN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("Hint listener of [{}] is not listening after [{}] ms; it goes on trying", where,
                        FIRST_LISTEN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hints;
    }

    private void run() {
        long backoffMs = FIRST_BACKOFF_MS;
        boolean first = true;
        while (!closed) {
            Properties props = new Properties();
            props.putAll(reconnect.props());
            props.setProperty("socketTimeout", "30"); // a blackholed connection fails instead of hanging
            props.setProperty("ApplicationName", APPLICATION_NAME);
            try (Connection c = DriverManager.getConnection(reconnect.jdbcUrl(), props)) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                Map<String, Integer> heads = poll(c, null); // after LISTEN: a commit between the two is hinted
                firstAttempt.countDown();
                if (!first) {
                    log.info("Hint listener of [{}] is back; hints sent meanwhile are lost: every log is read again",
                            where);
                    tell(listener::hintsMayBeLost);
                }
                first = false;
                backoffMs = FIRST_BACKOFF_MS;
                listen(c, heads);
            } catch (SQLException | RuntimeException e) {
                firstAttempt.countDown();
                if (closed) {
                    break;
                }
                long sleepMs = ThreadLocalRandom.current().nextLong(backoffMs + 1);
                log.warn("Hint listener of [{}] lost its connection ({}); trying again in [{}] ms", where,
                        e.getMessage(), sleepMs);
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException interrupted) {
                    break;
                }
            } finally {
                connection = null;
            }
        }
    }

    /** Passes notifications on and polls the heads, until closed or the connection fails. */
    private void listen(Connection c, Map<String, Integer> baseline) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        Map<String, Integer> heads = baseline;
        long nextPollNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
        while (!closed) {
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPollNs - System.nanoTime()));
            PGNotification[] notifications = pg.getNotifications((int) Math.min(waitMs, POLL_MS));
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    if (n.getPID() != reconnect.ownPid()) {
                        hint(n.getParameter(), heads);
                    }
                }
            }
            if (System.nanoTime() - nextPollNs >= 0) {
                heads = poll(c, heads);
                nextPollNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
            }
        }
    }

    /** Passes a notification on, and counts its size as seen so that the next poll does not hint it again. */
    private void hint(String payload, Map<String, Integer> heads) {
        int space = payload.indexOf(' ');
        try {
            int size = Integer.parseInt(payload.substring(0, space));
            String logId = payload.substring(space + 1);
            heads.merge(logId, size, Math::max);
            log.debug("Hint from [{}]: log [{}] has [{}] ops", where, logId, size);
            tell(() -> listener.hint(logId, size));
        } catch (RuntimeException e) {
            log.warn("Hint listener of [{}] ignores a notification it cannot read: '{}'", where, payload);
        }
    }

    /**
     * Reads every log's size; hints those that grew since {@code before} (a log created since counts as grown from
     * nothing) by another writer's commit.
     */
    private Map<String, Integer> poll(Connection c, Map<String, Integer> before) throws SQLException {
        Map<String, Integer> heads = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT log_id, size FROM oplog_log")) {
            while (rs.next()) {
                heads.put(rs.getString(1), rs.getInt(2));
            }
        }
        if (before != null) {
            heads.forEach((logId, size) -> {
                int was = before.getOrDefault(logId, 0);
                if (size > was && !Integer.valueOf(size).equals(ownSizes.get(logId))) {
                    log.debug("Head poll of [{}]: log [{}] grew from [{}] to [{}] ops", where, logId, was, size);
                    tell(() -> listener.hint(logId, size));
                }
            });
        }
        return heads;
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("A hint listener of [{}] threw; ignored", where, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the hint listener's connection of [{}]: {}", where, e.toString());
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
