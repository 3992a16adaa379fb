package dev.chainkit.examples;

import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.sim.MermaidRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * @param trace where to write the Mermaid sequence diagram, or null
     * @param out standard output
     * @param err standard error
     * @return the exit status: {@link #OK}, {@link #FAILED}, or {@link #INVALID} when the trace cannot be written
     */
    static int play(Scenario scenario, Long seed, boolean json, Path trace, PrintWriter out, PrintWriter err) {
        ScenarioRun run = new ScenarioRun(scenario, seed != null ? seed : scenario.seed(), trace != null);
        RunReport report = run.play();
        String summary = RunSummary.render(report);
        if (json) {
            err.print(summary);
            err.flush();
            out.println(report.toJson());
        } else {
            out.print(summary);
        }
        out.flush();
        if (trace != null) {
            try {
                Files.writeString(trace, MermaidRenderer.render(run.trace()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("chainsim: cannot write the trace to " + trace + ": " + e);
                err.flush();
                return INVALID;
            }
        }
        return report.ok() ? OK : FAILED;
    }
}
