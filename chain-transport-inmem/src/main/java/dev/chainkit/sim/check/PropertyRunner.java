package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.internal.Seeding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PropertyCheck}: draws a schedule from a seed, plays it on a fresh simulation, checks invariants
 * after every event and liveness after calm and drain; on a failure, shrinks the schedule to a minimal failing one
 * and reports the seed, that schedule and its trace. Any seed replays exactly: the same seed draws the same
 * schedule, runs the same way and shrinks to the same result.
 *
 * <p>With JUnit Jupiter:
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> syncConverges() {
 *     return PropertyRunner.dynamicTests(new SyncCheck());   // chainkit.seeds seeds, or -Dchainkit.seed=N
 * }
 * }</pre>
 *
 * <p>Sweeps run without tracing for speed; the trace of a failure comes from replaying its shrunk schedule.
 *
 * <p>Thread safety: stateless; a check instance must not run on two threads at once.
 */
public final class PropertyRunner {

    private static final Logger log = LoggerFactory.getLogger(PropertyRunner.class);

    private PropertyRunner() {
    }

    /**
     * The schedule {@code seed} draws for {@code check}.
     *
     * @throws NullPointerException if {@code check} is null, or its {@link PropertyCheck#forSeed} or generator
     *     returns null
     */
    public static <A, W> Schedule<W> schedule(PropertyCheck<A, W> check, long seed) {
        PropertyCheck<A, W> seeded = Objects.requireNonNull(check.forSeed(seed), "forSeed returned null");
        List<NodeId> ids = seeded.nodes().stream().map(n -> NodeId.of(n.name())).toList();
        return Objects.requireNonNull(seeded.generate(new SplittableRandom(Seeding.derive(seed, Seeding.SCHEDULE)),
                ids), "generate returned null");
    }

    /**
     * Runs the schedule {@code seed} draws, with tracing, and judges it (no shrinking).
     *
     * @throws NullPointerException if {@code check} is null
     */
    public static <A, W> CheckResult<W> check(PropertyCheck<A, W> check, long seed) {
        log.debug("Checking seed [{}]", seed);
        return ScheduleRunner.run(check, seed, schedule(check, seed), true);
    }

    /**
     * Runs a given schedule with {@code seed} (for the network's and nodes' random choices), with tracing.
     *
     * @throws NullPointerException if an argument is null
     */
    public static <A, W> CheckResult<W> run(PropertyCheck<A, W> check, long seed, Schedule<W> schedule) {
        return ScheduleRunner.run(check, seed, Objects.requireNonNull(schedule, "schedule"), true);
    }

    /**
     * Checks {@code count} seeds from {@code from}, without tracing, and stops at the first failure.
     *
     * @return the first failing run (not shrunk, no trace), or empty if every seed passed
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static <A, W> Optional<CheckResult<W>> sweep(PropertyCheck<A, W> check, long from, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("sweep count must be at least 1, got " + count);
        }
        for (long seed = from; seed < from + count; seed++) {
            CheckResult<W> r = ScheduleRunner.run(check, seed, schedule(check, seed), false);
            if (!r.ok()) {
                log.info("Seed [{}] failed: {}", seed, r.failure().get().message());
                return Optional.of(r);
            }
        }
        log.info("All [{}] seeds from [{}] passed", count, from);
        return Optional.empty();
    }

    /**
     * Shrinks a failing run to a minimal schedule that fails the same way with the same seed, within
     * {@link PropertyCheck#shrinkBudget()} runs, and replays it with tracing.
     *
     * @return the shrunk run, with its trace
     * @throws IllegalArgumentException if {@code failing} did not fail
     */
    public static <A, W> CheckResult<W> shrink(PropertyCheck<A, W> check, CheckResult<W> failing) {
        Failure f = failing.failure().orElseThrow(() -> new IllegalArgumentException(
                "only a failing run can be shrunk; seed " + failing.seed() + " passed"));
        Shrinker<A, W> shrinker = new Shrinker<>(check, failing.seed(), f.kind(), check.shrinkBudget());
        Schedule<W> minimal = shrinker.shrink(failing.schedule());
        CheckResult<W> result = ScheduleRunner.run(check, failing.seed(), minimal, true);
        log.info("Shrank seed [{}] from [{}] to [{}] actions in [{}] runs", failing.seed(),
                failing.schedule().actions().size(), minimal.actions().size(), shrinker.runs());
        return result;
    }

    /**
     * One dynamic test per seed of {@link Seeds#fromSystemProperty()}; a failing seed is shrunk and its test fails
     * with {@link CheckResult#report()}.
     *
     * @throws IllegalArgumentException if the seed system properties are malformed
     */
    public static <A, W> Stream<DynamicTest> dynamicTests(PropertyCheck<A, W> check) {
        return dynamicTests(check, Seeds.fromSystemProperty());
    }

    /** One dynamic test per seed of {@code seeds}; a failing seed is shrunk and reported. */
    public static <A, W> Stream<DynamicTest> dynamicTests(PropertyCheck<A, W> check, Seeds seeds) {
        Objects.requireNonNull(check, "check");
        return seeds.stream().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> assertHolds(check, seed)));
    }

    /**
     * Checks one seed (without tracing) and, if it fails, shrinks it and throws.
     *
     * @throws AssertionError with the shrunk run's {@link CheckResult#report()} if the property fails
     */
    public static <A, W> void assertHolds(PropertyCheck<A, W> check, long seed) {
        CheckResult<W> r = ScheduleRunner.run(check, seed, schedule(check, seed), false);
        if (!r.ok()) {
            log.info("Seed [{}] failed: {}; shrinking", seed, r.failure().get().message());
            throw new AssertionError(shrink(check, r).report());
        }
    }
}
