package dev.chainkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** {@link PropertyCheck#forSeed} and {@link PropertyCheck#listener}: a check that varies with the seed. */
class SeededCheckTest {

    /** The bank check, but each seed gets its own instance, which counts the chains it saw start. */
    static final class PerSeed implements PropertyCheck<Bank.App, Bank.Submit> {
        final List<Long> seeds;
        final List<PerSeed> runs;
        final Bank.Check bank = new Bank.Check(true);
        final long seed;
        long started;

        PerSeed(List<Long> seeds, List<PerSeed> runs, long seed) {
            this.seeds = seeds;
            this.runs = runs;
            this.seed = seed;
        }

        @Override
        public PropertyCheck<Bank.App, Bank.Submit> forSeed(long s) {
            seeds.add(s);
            PerSeed run = new PerSeed(seeds, runs, s);
            runs.add(run);
            return run;
        }

        @Override
        public ChainListener listener() {
            return e -> {
                if (e.type() == ChainEventType.STARTED) {
                    started++;
                }
            };
        }

        @Override
        public List<NodeSpec<Bank.App>> nodes() {
            return bank.nodes();
        }

        @Override
        public Schedule<Bank.Submit> generate(RandomGenerator random, List<NodeId> nodes) {
            return bank.generate(random, nodes);
        }

        @Override
        public void applyWorkload(Cluster<Bank.App> cluster, Bank.Submit work) {
            bank.applyWorkload(cluster, work);
        }

        @Override
        public Optional<String> liveness(Cluster<Bank.App> cluster) {
            return bank.liveness(cluster);
        }
    }

    @Test
    void everyRunOfASeedGetsTheCheckForThatSeedAndItsOwnListener() {
        List<Long> seeds = new ArrayList<>();
        List<PerSeed> runs = new ArrayList<>();
        PerSeed check = new PerSeed(seeds, runs, -1);

        assertTrue(PropertyRunner.sweep(check, 7, 3).isEmpty());

        assertEquals(List.of(7L, 7L, 8L, 8L, 9L, 9L), seeds, "one call to draw the schedule, one to run it");
        assertTrue(runs.stream().anyMatch(r -> r.started > 0), "each run's listener sees that run's chains");
        assertEquals(seeds, runs.stream().map(r -> r.seed).toList());
    }
}
