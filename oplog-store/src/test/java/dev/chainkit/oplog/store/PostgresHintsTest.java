package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.sync.HintListener;
import dev.chainkit.oplog.sync.HintSubscription;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.HashMap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database: each hears the other's commits as hints (log id and size), never its own;
 * a listener whose connection is killed comes back and says hints may have been lost; a change that sent no
 * notification is found by polling the heads.
 */
class PostgresHintsTest {

    private static final long WAIT_S = 20;

    private final LocalPostgres pg = LocalPostgres.shared();
    private String url;
    private OplogDatabase a;
    private OplogDatabase b;
    private final BlockingQueue<String> heardByB = new LinkedBlockingQueue<>();
    private HintSubscription subscription;

    @BeforeEach
    void open() {
        url = pg.createDatabase("hints");
        a = OplogDatabase.postgres(url, pg.user(), pg.password());
        b = OplogDatabase.postgres(url, pg.user(), pg.password());
        subscription = b.serverStore(Ops.DOMAIN).listen(new HintListener() {
            @Override
            public void hint(String logId, int size) {
                heardByB.add(logId + "@" + size);
            }

            @Override
            public void hintsMayBeLost() {
                heardByB.add("lost");
            }
        });
    }

    @AfterEach
    void close() {
        subscription.close();
        a.close();
        b.close();
    }

    @Test
    void aServerHearsAnotherServersAppendsAndServerChangesButNotItsOwnCommits() throws Exception {
        ServerStore<TournamentOp> storeA = a.serverStore(Ops.DOMAIN);
        ServerStore<TournamentOp> storeB = b.serverStore(Ops.DOMAIN);
        assertTrue(storeA.shared(), "a PostgreSQL store is shared");
        storeA.loadOrCreate("friday", Ops.genesis("friday"));
        assertEquals("friday@1", heardByB.poll(WAIT_S, TimeUnit.SECONDS), "the log's creation");
        storeA.commit(List.of(LogAppend.of("friday", 1, Ops.registrations("a", 1, 2))));
        assertEquals("friday@3", heardByB.poll(WAIT_S, TimeUnit.SECONDS));
        storeA.commit(List.of(new LogAppend<>("friday", 3, io.vavr.collection.Vector.empty(), HashMap.empty(),
                HashMap.empty(), HashMap.of(dev.chainkit.core.NodeId.of("c1"), dev.chainkit.core.NodeId.of("s1")))));
        assertEquals("friday@3", heardByB.poll(WAIT_S, TimeUnit.SECONDS), "a client moved to another server");
        storeB.commit(List.of(LogAppend.of("friday", 3, Ops.registrations("b", 1, 1))));
        storeA.commit(List.of(LogAppend.of("friday", 4, Ops.registrations("c", 1, 1))));
        assertEquals("friday@5", heardByB.poll(WAIT_S, TimeUnit.SECONDS), "b's own commit was not hinted to b");
    }

    @Test
    void aListenerWhoseConnectionDiesComesBackAndSaysHintsMayHaveBeenLost() throws Exception {
        ServerStore<TournamentOp> storeA = a.serverStore(Ops.DOMAIN);
        storeA.loadOrCreate("friday", Ops.genesis("friday"));
        assertEquals("friday@1", heardByB.poll(WAIT_S, TimeUnit.SECONDS));
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + PostgresHints.APPLICATION_NAME + "' AND datname = current_database()");
        }
        assertEquals("lost", heardByB.poll(WAIT_S, TimeUnit.SECONDS));
        storeA.commit(List.of(LogAppend.of("friday", 1, Ops.registrations("a", 1, 1))));
        assertEquals("friday@2", heardByB.poll(WAIT_S, TimeUnit.SECONDS), "and listens again");
    }

    @Test
    void aChangeThatSentNoNotificationIsFoundByPollingTheHeads() throws Exception {
        ServerStore<TournamentOp> storeA = a.serverStore(Ops.DOMAIN);
        storeA.loadOrCreate("friday", Ops.genesis("friday"));
        assertEquals("friday@1", heardByB.poll(WAIT_S, TimeUnit.SECONDS));
        Thread.sleep(PostgresHints.POLL_MS + 500); // the poll's baseline holds the log
        try (Connection admin = admin(); Statement st = admin.createStatement()) { // as if the notification was lost
            st.execute("UPDATE oplog_log SET size = 2 WHERE log_id = 'friday'");
        }
        assertEquals("friday@2", heardByB.poll(PostgresHints.POLL_MS * 3, TimeUnit.MILLISECONDS));
    }

    private Connection admin() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        if (pg.password() != null) {
            p.setProperty("password", pg.password());
        }
        return DriverManager.getConnection(url, p);
    }
}
