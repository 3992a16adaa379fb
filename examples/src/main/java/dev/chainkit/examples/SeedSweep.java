package dev.chainkit.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code chainsim run FILE --seeds N}: plays one scenario with N seeds in a row (the file's seed, or
 * {@code --seed S}, then the next ones) and names every seed where an expectation failed or an invariant broke,
 * with what failed and the command that replays it. So a scenario whose outcome depends on the seed is found by its
 * author in one command.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class SeedSweep {

    /** The most seeds one sweep plays. */
    static final int MAX_SEEDS = 1_000_000;

    private SeedSweep() {
    }

    /**
     * Plays the seeds and prints one paragraph per failing seed, then a summary (or, with {@code json}, one JSON
     * object on {@code out}).
     *
     * @param scenario the scenario
     * @param file the file's name as given, for the replay command
     * @param first the first seed
     * @param count how many seeds, 1 to {@link #MAX_SEEDS}
     * @param json whether to print JSON instead of text
     * @param out standard output
     * @param progress where a long sweep shows how far it got
     * @return {@link ScenarioPlayer#OK} when every seed passed, else {@link ScenarioPlayer#FAILED}
     */
    static int play(Scenario scenario, String file, long first, int count, boolean json, PrintWriter out,
            RunProgress progress) {
        List<RunReport> failed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seed = first + i;
            progress.seed(seed, i, count);
            RunReport report = new ScenarioRun(scenario, seed, false).play(progress);
            if (!report.ok()) {
                failed.add(report);
                if (!json) {
                    progress.finish();
                    out.print(describe(report, file));
                    out.flush();
                }
            }
        }
        progress.finish();
        List<Long> seeds = failed.stream().map(RunReport::seed).toList();
        if (json) {
            out.println(json(scenario, first, count, failed));
        } else {
            out.println("scenario " + scenario.name() + ": " + count + " seeds from " + first + ": "
                    + (count - failed.size()) + " passed, " + failed.size() + " failed"
                    + (failed.isEmpty() ? "" : " (seeds " + seeds.stream().map(String::valueOf)
                    .reduce((a, b) -> a + ", " + b).orElse("") + ")"));
        }
        out.flush();
        return failed.isEmpty() ? ScenarioPlayer.OK : ScenarioPlayer.FAILED;
    }

    private static String describe(RunReport r, String file) {
        StringBuilder b = new StringBuilder();
        b.append("seed ").append(r.seed()).append(" FAILED\n");
        if (r.invariantViolation() != null) {
            b.append("  invariant  ").append(r.invariantViolation()).append('\n');
        }
        for (RunReport.ExpectationResult x : r.expectations()) {
            if (!x.ok()) {
                b.append("  line ").append(x.line()).append("  ").append(x.text()).append(": ").append(x.detail())
                        .append('\n');
            }
        }
        b.append("  replay: chainsim run ").append(file).append(" --seed ").append(r.seed()).append('\n');
        return b.toString();
    }

    private static String json(Scenario scenario, long first, int count, List<RunReport> failed) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario.name());
        root.put("from", first);
        root.put("seeds", count);
        root.put("passed", count - failed.size());
        root.put("failed", failed.size());
        root.put("failed_seeds", failed.stream().map(RunReport::seed).toList());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (RunReport r : failed) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("seed", r.seed());
            f.put("invariant_violation", r.invariantViolation());
            List<Map<String, Object>> expectations = new ArrayList<>();
            for (RunReport.ExpectationResult x : r.expectations()) {
                if (!x.ok()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("line", x.line());
                    e.put("text", x.text());
                    e.put("detail", x.detail());
                    expectations.add(e);
                }
            }
            f.put("failed_expectations", expectations);
            failures.add(f);
        }
        root.put("failures", failures);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }
}
