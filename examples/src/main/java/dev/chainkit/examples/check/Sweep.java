package dev.chainkit.examples.check;

import dev.chainkit.sim.check.CheckResult;
import dev.chainkit.sim.check.Failure;
import dev.chainkit.sim.check.PropertyRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A sweep of {@link TournamentSyncCheck} over consecutive seeds, as {@code chainsim check} runs it: every seed is
 * checked without tracing; each failing seed is shrunk to a minimal schedule, replayed with a trace, and turned
 * into a scenario file ({@link FailureScenario}); the figures of the passing runs are kept (how close the message
 * count came to its bound, how soon the system was quiet).
 *
 * <p>Thread safety: stateless; a sweep runs on the calling thread.
 */
public final class Sweep {

    private Sweep() {
    }

    /** Told after every seed, on the sweeping thread. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done how many seeds ran so far
         * @param total how many seeds the sweep has
         * @param failures how many of them failed
         */
        void update(int done, int total, int failures);
    }

    /**
     * One failing seed.
     *
     * @param seed the seed
     * @param found how the seed's own schedule failed
     * @param shrunk the failure of the minimal schedule, replayed with a trace
     * @param scenario the {@code .scn} text that replays the minimal schedule with {@code chainsim run}
     */
    public record Failed(long seed, Failure found, CheckResult<SyncWork> shrunk, String scenario) {
    }

    /**
     * What a sweep found.
     *
     * @param config what the seeds drew from
     * @param from the first seed
     * @param seeds how many seeds were asked for
     * @param ran how many ran (fewer if the sweep stopped at its failure limit)
     * @param failures the failing seeds, in order
     * @param wallNanos how long the sweep took, shrinking included, in nanoseconds of wall time
     * @param maxMessages the most messages a passing run sent
     * @param boundOfMaxMessages the message bound of that run
     * @param maxBoundShare the highest share of its message bound a passing run used, in [0, 1]
     * @param maxQuietAfterMs the longest a passing run took to be quiet after its last fault, in milliseconds
     * @param boundOfMaxQuietMs the quiet bound of that run, in milliseconds (a run's bound depends on its users'
     *     thinking times and ops)
     */
    public record Result(SweepConfig config, long from, int seeds, int ran, List<Failed> failures, long wallNanos,
            long maxMessages, long boundOfMaxMessages, double maxBoundShare, long maxQuietAfterMs,
            long boundOfMaxQuietMs) {

        /** The failing seeds. */
        public List<Long> failedSeeds() {
            return failures.stream().map(Failed::seed).toList();
        }

        /** Seeds checked per second of wall time. */
        public double seedsPerSecond() {
            return wallNanos == 0 ? 0 : ran * 1e9 / wallNanos;
        }
    }

    /**
     * Checks {@code count} seeds from {@code from}.
     *
     * @param config what each seed draws from
     * @param from the first seed
     * @param count how many seeds, at least 1
     * @param maxFailures stop after this many failing seeds, at least 1
     * @param progress told after every seed
     * @throws IllegalArgumentException if {@code count} or {@code maxFailures} is below 1
     */
    public static Result run(SweepConfig config, long from, int count, int maxFailures, Progress progress) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(progress, "progress");
        if (count < 1 || maxFailures < 1) {
            throw new IllegalArgumentException("a sweep needs at least 1 seed and a failure limit of at least 1, got "
                    + count + " seeds and " + maxFailures);
        }
        RunStats[] last = new RunStats[1];
        TournamentSyncCheck check = new TournamentSyncCheck(config, s -> last[0] = s);
        List<Failed> failures = new ArrayList<>();
        long maxMessages = 0;
        long boundOfMax = 0;
        double maxShare = 0;
        long maxQuiet = -1;
        long boundOfMaxQuiet = 0;
        long start = System.nanoTime();
        int ran = 0;
        for (long seed = from; ran < count && failures.size() < maxFailures; seed++) {
            last[0] = null;
            Optional<CheckResult<SyncWork>> failed = PropertyRunner.sweep(check, seed, 1);
            ran++;
            if (failed.isPresent()) {
                failures.add(shrink(check, failed.get(), last));
            } else if (last[0] != null) {
                RunStats s = last[0];
                if (s.messages() > maxMessages) {
                    maxMessages = s.messages();
                    boundOfMax = s.messageBound();
                }
                if (s.messageBound() > 0) {
                    maxShare = Math.max(maxShare, (double) s.messages() / s.messageBound());
                }
                if (s.quietAfterMs() > maxQuiet) {
                    maxQuiet = s.quietAfterMs();
                    boundOfMaxQuiet = s.quietBoundMs();
                }
            }
            progress.update(ran, count, failures.size());
        }
        return new Result(config, from, count, ran, List.copyOf(failures), System.nanoTime() - start, maxMessages,
                boundOfMax, maxShare, Math.max(0, maxQuiet), boundOfMaxQuiet);
    }

    private static Failed shrink(TournamentSyncCheck check, CheckResult<SyncWork> found, RunStats[] last) {
        CheckResult<SyncWork> shrunk = PropertyRunner.shrink(check, found);
        last[0] = null;
        PropertyRunner.run(check, found.seed(), shrunk.schedule()); // once more, for its figures (if it has them)
        OptionalLong bound = last[0] != null && last[0].seed() == found.seed()
                ? OptionalLong.of(last[0].messageBound()) : OptionalLong.empty();
        TournamentSyncCheck seeded = check.forSeed(found.seed());
        String scenario = FailureScenario.text(shrunk, check.shape(found.seed()), seeded.limit(), bound);
        return new Failed(found.seed(), found.failure().orElseThrow(), shrunk, scenario);
    }
}
