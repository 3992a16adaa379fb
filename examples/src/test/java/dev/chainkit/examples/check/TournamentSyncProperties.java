package dev.chainkit.examples.check;

import dev.chainkit.sim.check.PropertyRunner;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The property sweep that guards the tournament sync's termination and convergence: one dynamic test per seed,
 * {@code chainkit.seeds} seeds (500 by default, 100 000 with {@code -Psoak}), or only {@code -Dchainkit.seed=N}.
 * A failing seed is shrunk to a minimal schedule and reported with it (see {@link TournamentSyncCheck}).
 */
class TournamentSyncProperties {

    @TestFactory
    Stream<DynamicTest> syncTerminatesAndConverges() {
        return PropertyRunner.dynamicTests(new TournamentSyncCheck(SweepConfig.defaults()));
    }
}
