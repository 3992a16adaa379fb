package dev.chainkit.examples.check;

import dev.chainkit.sim.check.PropertyRunner;
import dev.chainkit.sim.check.Seeds;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property sweep of {@link TournamentSyncProperties} with the server and the clients on SQLite files instead of
 * in memory: every crash and restart of the sweep closes a node's database and opens (replays, validates) it again.
 * {@code chainkit.sqlite.seeds} seeds (20 by default; each commit is a real fsync), or only
 * {@code -Dchainkit.seed=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteTournamentSyncProperties {

    @TempDir
    Path folder;
    private SqliteClusterStores stores;

    @TestFactory
    Stream<DynamicTest> syncTerminatesAndConvergesOnSqliteStores() {
        stores = new SqliteClusterStores(folder);
        String one = System.getProperty(Seeds.SEED_PROPERTY);
        Seeds seeds = one != null ? Seeds.only(Long.parseLong(one))
                : Seeds.first(Integer.getInteger("chainkit.sqlite.seeds", 20));
        return PropertyRunner.dynamicTests(new TournamentSyncCheck(SweepConfig.defaults(), stores), seeds);
    }

    @AfterAll
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
    }
}
