package dev.chainkit.bench;

import dev.chainkit.bench.p1.BareQueue;
import dev.chainkit.bench.p1.EngineThroughput;
import dev.chainkit.bench.p1.HandWritten;
import dev.chainkit.bench.p1.LoadedEngine;
import dev.chainkit.bench.p2.SimulatorSpeed;
import dev.chainkit.bench.p3.ScenarioScale;
import dev.chainkit.bench.p3.SyncCost;
import dev.chainkit.bench.p4.Memory;
import dev.chainkit.bench.p5.Retransmissions;
import dev.chainkit.bench.p6.NetworkThroughput;
import dev.chainkit.bench.p7.DurableCommits;
import dev.chainkit.bench.p8.SeveralServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The main of {@code ./bench [--quick]}: runs P1 to P8 and prints one line per figure, starting with its id.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Ratios, side by side.</b> The machines are shared and noisy, so every figure is printed beside its
 *   reference from the same run, as a ratio. Where a figure has a reference (P1, P3), the benchmarks run in
 *   interleaved rounds (a, b, c, a, b, c, ...) and the ratio is taken per round, so that a noisy minute hits both
 *   sides of a ratio alike; the spread of a ratio is its range over the rounds.</li>
 *   <li><b>Medians with spread.</b> Each number is the median of the measurement iterations (or runs), with
 *   {@code [min..max]} beside it.</li>
 *   <li><b>JMH where it fits.</b> P1 to P3 are JMH benchmarks (one fork each; JMH's own log goes to
 *   {@code benchmarks/target/bench-logs/}). P4 (retained memory) and P5 (counts in virtual time) are not timings:
 *   they are plain mains, each in a JVM of its own; so are P3b (whole scenario runs of seconds, timed one by one),
 *   P6 (closed loops over loopback TCP, timed with HdrHistogram, beside gRPC and a raw echo in the same JVM) and P7
 *   (durable commits on real threads, files and a PostgreSQL server) and P8 (several servers on one PostgreSQL
 *   server: committed ops with 1, 2 and 3 of them in interleaved rounds, and failover).</li>
 * </ul>
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class Bench {

    private final boolean quick;
    private final Path logs;
    private int runNumber;

    private Bench(boolean quick, Path logs) {
        this.quick = quick;
        this.logs = logs;
    }

    /**
     * @param args {@code --quick} for the short run (about three minutes); nothing for the full run
     * @throws IllegalArgumentException on any other argument
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'; usage: ./bench [--quick]");
            }
        }
        Path logs = Path.of("benchmarks", "target", "bench-logs");
        Files.createDirectories(logs);
        try (var old = Files.newDirectoryStream(logs, "*.txt")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        Bench bench = new Bench(quick, logs);
        long start = System.nanoTime();
        System.out.println("# " + Machine.describe());
        System.out.println("# mode " + (quick ? "--quick" : "full") + "; JMH logs in " + logs);
        bench.p1();
        bench.p2();
        bench.p3();
        bench.p3b();
        bench.p4();
        bench.p5();
        bench.p6();
        bench.p7();
        bench.p8();
        System.out.printf(Locale.ROOT, "# done in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------- P1

    private void p1() throws RunnerException {
        int rounds = quick ? 2 : 3;
        List<Double> engine = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> hand = new ArrayList<>();
        List<Double> vsBare = new ArrayList<>();
        List<Double> vsHand = new ArrayList<>();
        List<Double> resends = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Measured e = measure(EngineThroughput.class, "-Xmx5g");
            List<Double> b = jmh(BareQueue.class, "-Xmx5g");
            List<Double> h = jmh(HandWritten.class, "-Xmx5g");
            engine.addAll(e.scores);
            bare.addAll(b);
            hand.addAll(h);
            vsBare.add(Stats.of(e.scores).median() / Stats.of(b).median());
            vsHand.add(Stats.of(e.scores).median() / Stats.of(h).median());
            resends.add(e.resendsPerChain());
        }
        Stats en = Stats.of(engine);
        Stats rb = Stats.of(vsBare);
        Stats rh = Stats.of(vsHand);
        Stats rs = Stats.of(resends);
        System.out.printf(Locale.ROOT, "P1 engine %s chains/s (target >= 1M: %s); bare MPSC %s round trips/s;"
                        + " hand-written %s requests/s; engine/bare %s (target >= 0.25: %s);"
                        + " engine/hand-written %s (target >= 2: %s); needless resends per chain %s (target < 0.05:"
                        + " %s); %d rounds%n",
                en.millions(), verdict(en.median() >= 1e6), Stats.of(bare).millions(), Stats.of(hand).millions(),
                rb.format("%.3f"), verdict(rb.median() >= 0.25), rh.format("%.2f"), verdict(rh.median() >= 2),
                rs.format("%.4f"), verdict(rs.max() < 0.05), rounds);
        Measured loaded = measure(LoadedEngine.class, "-Xmx2g");
        double loadedResends = loaded.resendsPerChain();
        System.out.printf(Locale.ROOT, "P1 under load (b works 150 us per request, so 1024 requests in flight wait"
                        + " ~150 ms in its queue, beyond the 100 ms initial delay; lossless): %s chains/s, needless"
                        + " resends per chain %.4f (target < 0.05: %s)%n", Stats.of(loaded.scores).format("%.0f"),
                loadedResends, verdict(loadedResends < 0.05));
        if (!quick) {
            // Context: with a 1 s window the tombstone table reaches its steady size within the warmup, so this is
            // the engine's per-chain cost without the growth of a 32 s window that a 16 s fork never outlives.
            Stats e = Stats.of(jmh(EngineThroughput.class, "-Xmx5g", "dedupWindow", "1s"));
            Stats h = Stats.of(jmh(HandWritten.class, "-Xmx5g"));
            System.out.printf(Locale.ROOT, "P1 context: engine with a 1 s dedup window %s chains/s beside"
                    + " hand-written %s requests/s: engine/hand-written %.2f (not a target)%n", e.millions(),
                    h.millions(), e.median() / h.median());
        }
    }

    // ---------------------------------------------------------------- P2

    private void p2() throws RunnerException {
        List<Double> pingPong = jmh(SimulatorSpeed.class, "-Xmx3g", "inFlight", "1");
        List<Double> many = jmh(SimulatorSpeed.class, "-Xmx3g", "inFlight", "64");
        Stats one = Stats.of(pingPong);
        Stats sixtyFour = Stats.of(many);
        System.out.printf(Locale.ROOT, "P2 simulator %s deliveries/s with 1 chain in flight (target >= 2M: %s),"
                        + " %s with 64 in flight (%s); one thread, virtual time, 32 s dedup window%n",
                one.millions(), verdict(one.median() >= 2e6), sixtyFour.millions(),
                verdict(sixtyFour.median() >= 2e6));
    }

    // ---------------------------------------------------------------- P3

    private void p3() throws RunnerException {
        int rounds = quick ? 2 : 3;
        List<Double> small = new ArrayList<>();
        List<Double> large = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Double> s = jmh(SyncCost.class, "-Xmx3g", "logSize", "1000");
            List<Double> l = jmh(SyncCost.class, "-Xmx3g", "logSize", "1000000");
            small.addAll(s);
            large.addAll(l);
            ratios.add(Stats.of(l).median() / Stats.of(s).median());
        }
        Stats ratio = Stats.of(ratios);
        System.out.printf(Locale.ROOT, "P3 fast-forward of 10 ops: %s us onto 1,000 ops, %s us onto 1,000,000 ops;"
                        + " ratio %s (target <= 1.5: %s); %d rounds%n",
                Stats.of(small).format("%.1f"), Stats.of(large).format("%.1f"), ratio.format("%.2f"),
                verdict(ratio.median() <= 1.5), rounds);
    }

    // ---------------------------------------------------------------- P3b, P4, P5, P6

    private void p4() throws IOException, InterruptedException {
        main(Memory.class, "-Xmx4g", "1000000", quick ? "1000000" : "10000000",
                quick ? "1" : "3");
    }

    private void p5() throws IOException, InterruptedException {
        main(Retransmissions.class, "-Xmx2g", quick ? "5000" : "20000");
    }

    private void p3b() throws IOException, InterruptedException {
        main(ScenarioScale.class, "-Xmx2g", quick ? "2" : "5");
    }

    private void p6() throws IOException, InterruptedException {
        main(NetworkThroughput.class, "-Xmx2g", quick ? "--quick" : "--full");
    }

    private void p7() throws IOException, InterruptedException {
        main(DurableCommits.class, "-Xmx2g", quick ? "2" : "5", "128", quick ? "2" : "3");
    }

    private void p8() throws IOException, InterruptedException {
        main(SeveralServers.class, "-Xmx2g", quick ? "2" : "5", "96", quick ? "1" : "3", quick ? "1" : "3");
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs one JMH benchmark class (with one parameter fixed, if given) in one fork.
     *
     * @return the score of each measurement iteration
     */
    private List<Double> jmh(Class<?> benchmark, String heap, String... param) throws RunnerException {
        return measure(benchmark, heap, param).scores;
    }

    /**
     * What one fork of a benchmark measured: the score of each measurement iteration, and its secondary counters
     * ({@code @AuxCounters}) summed over those iterations.
     */
    private record Measured(List<Double> scores, Map<String, Double> counters) {
        /** Retransmissions per completed chain, from the engine benchmarks' counters. */
        double resendsPerChain() {
            return counters.getOrDefault("retransmitted", 0.0) / counters.get("chainsDone");
        }
    }

    /** Runs one JMH benchmark class (with one parameter fixed, if given) in one fork. */
    private Measured measure(Class<?> benchmark, String heap, String... param) throws RunnerException {
        Path log = logs.resolve(String.format(Locale.ROOT, "%02d-%s%s.txt", ++runNumber,
                benchmark.getSimpleName(), param.length == 2 ? "-" + param[0] + "=" + param[1] : ""));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 1000 : 2000))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 600 : 2000))
                .jvmArgs(heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true)
                .output(log.toString());
        if (param.length == 2) {
            options.param(param[0], param[1]);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Double> scores = new ArrayList<>();
        Map<String, Double> counters = new HashMap<>();
        for (RunResult run : results) {
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult it : fork.getIterationResults()) {
                    scores.add(it.getPrimaryResult().getScore());
                    for (Map.Entry<String, Result> c : it.getSecondaryResults().entrySet()) {
                        counters.merge(c.getKey(), c.getValue().getScore(), Double::sum);
                    }
                }
            }
        }
        if (scores.isEmpty()) {
            throw new IllegalStateException(benchmark.getSimpleName() + " produced no results; see " + log);
        }
        return new Measured(scores, counters);
    }

    /** Runs {@code main} in a JVM of its own and passes on its figure lines. */
    private static void main(Class<?> main, String heap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
            }
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(main.getSimpleName() + " exited with " + exit);
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }
}
