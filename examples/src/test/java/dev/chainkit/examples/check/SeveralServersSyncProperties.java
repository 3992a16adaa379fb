package dev.chainkit.examples.check;

import dev.chainkit.sim.check.PropertyRunner;
import dev.chainkit.sim.check.Seeds;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The property sweep of several servers sharing one store ({@link SweepConfig#severalServers()}: 2 or 3 servers,
 * each client with its own order of them, lost and delayed hints, crashes of servers and clients, partitions that
 * make clients fail over): one dynamic test per seed, {@code chainkit.multi.seeds} seeds (2,000 by default, 100 000
 * with {@code -Psoak}), or only {@code -Dchainkit.seed=N}. The invariants are the single server's: converged,
 * nothing acknowledged lost, no op twice, quiet (see {@link TournamentSyncCheck}).
 */
class SeveralServersSyncProperties {

    /** The system property with the number of seeds of this sweep. */
    static final String SEEDS_PROPERTY = "chainkit.multi.seeds";

    @TestFactory
    Stream<DynamicTest> severalServersSyncTerminateAndConverge() {
        String one = System.getProperty(Seeds.SEED_PROPERTY);
        Seeds seeds = one != null && !one.isBlank() ? Seeds.fromSystemProperty()
                : Seeds.first(Integer.getInteger(SEEDS_PROPERTY, 2000));
        return PropertyRunner.dynamicTests(new TournamentSyncCheck(SweepConfig.severalServers()), seeds);
    }
}
