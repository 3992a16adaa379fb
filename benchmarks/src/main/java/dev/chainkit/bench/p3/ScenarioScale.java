package dev.chainkit.bench.p3;

import dev.chainkit.bench.Stats;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioGenerator;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P3b: how a whole {@code chainsim run} scales with a scenario's size. Wall time of a generated scenario
 * ({@link ScenarioGenerator}: a tournament whose players, rounds and log all grow with the op count) of 10 clients
 * and 2,000 ops, divided by the same with 200 ops: linear is 10, the target at most 15. Then one run of 50 clients
 * and 2,000 ops. Each play is the whole of {@code chainsim run} but the printing: parse, simulate with the
 * invariants checked after every event, check the expectations, build the report.
 *
 * <p>Rounds interleave the two sizes (small, large, small, large, ...) after a warm-up of each, and the ratio is
 * taken per round, so a noisy moment of a shared machine hits both sides of a ratio alike. Prints one {@code P3b}
 * line per figure. Argument: the number of rounds (default 3).
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class ScenarioScale {

    private static final long SEED = 6;

    private ScenarioScale() { }

    /**
     * @param args the number of measured rounds (default 3)
     * @throws ScenarioException if a generated scenario does not parse (a bug of the generator)
     */
    public static void main(String[] args) throws ScenarioException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Scenario small = generated(10, 200);
        Scenario large = generated(10, 2000);
        play(small);
        play(large);
        List<Double> smallSeconds = new ArrayList<>();
        List<Double> largeSeconds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Played lastLarge = null;
        for (int r = 0; r < rounds; r++) {
            Played s = play(small);
            Played l = play(large);
            smallSeconds.add(s.seconds);
            largeSeconds.add(l.seconds);
            ratios.add(l.seconds / s.seconds);
            lastLarge = l;
        }
        Stats ratio = Stats.of(ratios);
        System.out.printf(Locale.ROOT, "P3b generated scenario, 10 clients: 200 ops %s s, 2,000 ops %s s (%s);"
                        + " ratio %s (target <= 15: %s; linear is 10); %d rounds%n",
                Stats.of(smallSeconds).format("%.2f"), Stats.of(largeSeconds).format("%.2f"), lastLarge.describe(),
                ratio.format("%.1f"), ratio.median() <= 15 ? "met" : "MISSED", rounds);
        Played fifty = play(generated(50, 2000));
        System.out.printf(Locale.ROOT, "P3b generated scenario, 50 clients, 2,000 ops: %.2f s (%s)%n", fifty.seconds,
                fifty.describe());
    }

    private static Scenario generated(int clients, int ops) throws ScenarioException {
        return ScenarioParser.parse("generated.scn", ScenarioGenerator.generate(clients, ops, SEED));
    }

    private static Played play(Scenario scenario) {
        long start = System.nanoTime();
        RunReport report = new ScenarioRun(scenario).play();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.ok()) {
            throw new IllegalStateException("the generated scenario " + scenario.name() + " failed: "
                    + report.invariantViolation() + " " + report.expectations());
        }
        return new Played(seconds, report);
    }

    /** One play's wall time and report. */
    private record Played(double seconds, RunReport report) {
        String describe() {
            return String.format(Locale.ROOT, "ok, %d ops in every log, %d refused on the spot, %d messages,"
                            + " virtual %d s", report.nodes().values().iterator().next().logSize() - 1,
                    report.rejectedOps().size(), report.messages().sent(), report.virtualTimeMs() / 1000);
        }
    }
}
