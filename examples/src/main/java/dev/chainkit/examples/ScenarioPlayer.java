package dev.chainkit.examples;

import dev.chainkit.examples.run.ExploredRun;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.ExploredPath;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.sim.MermaidRenderer;
import dev.chainkit.sim.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Plays a parsed scenario for the command line and prints what {@code chainsim} promises: the summary (on
 * standard output, or on standard error with {@code --json}), the JSON report, the trace file.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class ScenarioPlayer {

    /** Exit status: every expectation held. */
    static final int OK = 0;
    /** Exit status: an expectation did not hold, or an invariant broke. */
    static final int FAILED = 1;
    /** Exit status: invalid input; nothing was simulated. */
    static final int INVALID = 2;

    private ScenarioPlayer() {
    }

    /**
     * Plays {@code scenario} and prints the results.
     *
     * @param scenario the scenario
     * @param seed the seed to use instead of the scenario's, or null
     * @param json whether to print the JSON report on {@code out} (the summary then goes to {@code err})
     * @param trace where to write the Mermaid sequence diagram, or null; its target was checked before
     * @param filter what of the trace to keep
     * @param out standard output
     * @param err standard error
     * @param progress where a long run shows how far it got
     * @return the exit status: {@link #OK}, {@link #FAILED}, or {@link #INVALID} when the trace cannot be written
     *     after all (the target was checked before the run, so only if it changed meanwhile)
     */
    static int play(Scenario scenario, Long seed, boolean json, Path trace, TraceFilter filter, PrintWriter out,
            PrintWriter err, RunProgress progress) {
        ScenarioRun run = new ScenarioRun(scenario, seed != null ? seed : scenario.seed(), trace != null);
        RunReport report = run.play(progress);
        progress.finish();
        print(report, json, out, err);
        if (trace != null && !writeTrace(run.trace(), trace, filter, err)) {
            return INVALID;
        }
        return report.ok() ? OK : FAILED;
    }

    /**
     * Replays a scenario file's explored path exactly ({@link ExploredRun}) and prints the results as
     * {@link #play} does.
     *
     * @param file the file's name, for messages
     * @param scenario the file's scenario
     * @param path the file's explored path
     * @param json whether to print the JSON report on {@code out} (the summary then goes to {@code err})
     * @param trace where to write the Mermaid sequence diagram, or null; its target was checked before
     * @param filter what of the trace to keep
     * @param out standard output
     * @param err standard error
     * @return the exit status: {@link #OK}, {@link #FAILED} (an expectation failed or the explorer's checks found a
     *     violation), or {@link #INVALID} when a step is not a choice of its state ({@code FILE:LINE}, nothing
     *     printed but that) or the trace cannot be written after all
     */
    static int playExplored(String file, Scenario scenario, ExploredPath path, boolean json, Path trace,
            TraceFilter filter, PrintWriter out, PrintWriter err) {
        ExploredRun run = new ExploredRun(file, scenario, path, trace != null);
        RunReport report;
        try {
            report = run.play();
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            err.flush();
            return INVALID;
        }
        print(report, json, out, err);
        if (trace != null && !writeTrace(run.trace(), trace, filter, err)) {
            return INVALID;
        }
        return report.ok() ? OK : FAILED;
    }

    /**
     * Writes {@code run} as a Mermaid sequence diagram to {@code target}, narrowed by {@code filter}, and says on
     * {@code err} when it was cut at Mermaid's limit.
     *
     * @return whether it was written (if not, {@code err} says why)
     */
    private static boolean writeTrace(Trace run, Path target, TraceFilter filter, PrintWriter err) {
        String diagram = MermaidRenderer.render(filter.apply(run), MermaidRenderer.MERMAID_MAX_TEXT);
        try {
            Files.writeString(target, diagram, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("chainsim: cannot write the trace to " + target + ": " + e.getMessage());
            err.flush();
            return false;
        }
        if (diagram.contains(MermaidRenderer.CUT_MARK)) {
            err.println("chainsim: the trace in " + target + " was cut to stay under Mermaid's limit of "
                    + MermaidRenderer.MERMAID_MAX_TEXT + " characters (its last note says where); narrow it"
                    + " with --trace-filter " + TraceFilter.KEYS);
            err.flush();
        }
        return true;
    }

    /** Prints the summary, and with {@code json} the JSON report on {@code out} and the summary on {@code err}. */
    private static void print(RunReport report, boolean json, PrintWriter out, PrintWriter err) {
        String summary = RunSummary.render(report);
        if (json) {
            err.print(summary);
            err.flush();
            out.println(report.toJson());
        } else {
            out.print(summary);
        }
        out.flush();
    }

    /**
     * Says why a trace could not be written to {@code target}, before anything is simulated: so that exit status 2
     * keeps meaning "nothing was simulated".
     *
     * @param target the {@code --trace} file
     * @return empty when it can be written, otherwise why not
     */
    static Optional<String> traceTargetProblem(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            return Optional.of("--trace " + target + ": is a directory; name a file such as run.mmd");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            return Optional.of("--trace " + target + ": directory " + dir + " does not exist");
        }
        if (Files.exists(absolute) ? !Files.isWritable(absolute) : dir != null && !Files.isWritable(dir)) {
            return Optional.of("--trace " + target + ": cannot be written (no permission)");
        }
        return Optional.empty();
    }
}
