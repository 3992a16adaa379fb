package dev.chainkit.examples;

import dev.chainkit.examples.scenario.ExploredPath;
import dev.chainkit.examples.scenario.ExploredScenario;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim run FILE [--json] [--trace OUT.mmd [--trace-filter KEY=VALUE]...] [--seed N] [--seeds N]}: plays
 * one scenario file and checks its expectations, once or across seeds.
 *
 * <p>Everything that can be wrong with the input (the file, its lines, the options, the trace's target) is found
 * before anything is simulated, so exit status 2 always means nothing was simulated; but for the steps of an explored
 * path ({@code explored} and {@code step} lines), which are choices of the states they are played in: a step that is
 * none is found as the path is replayed, and reported alone, with exit status 2 too.
 *
 * <p>A file with an explored path is replayed exactly ({@link ScenarioPlayer#playExplored}), not on a random
 * network: it takes no {@code --seed} or {@code --seeds}.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Plays a scenario file (.scn) on the deterministic simulated network and checks its expectations.",
            "A file with an explored path ('explored' and 'step' lines, such as a violation file of chainsim explore)"
                    + " is replayed exactly on the explorer's network instead, then the run ends without faults;"
                    + " the explorer's checks run too.",
            "Prints a short summary on standard output. With --json, prints the JSON report alone on standard"
                    + " output and the summary on standard error.",
            "With --seeds N, plays it with N seeds in a row and names the seeds where an expectation failed.",
            "An invalid file is reported as FILE:LINE: what is wrong, before anything is simulated. A run of more"
                    + " than a few seconds shows its progress on a terminal."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every expectation held (with --seeds: in every seed)",
            "1:an expectation did not hold, or a safety invariant broke (or the explorer's checks found a"
                    + " violation on an explored path)",
            "2:the file is invalid or cannot be read, an option is wrong, or the trace file cannot be written;"
                    + " nothing was simulated (an explored path's step that is not a choice of its state is found"
                    + " as it is replayed; nothing is reported but it)"})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario file to play")
    private Path file;

    @Option(names = "--json", description = "print the JSON report on standard output (alone) and the summary on"
            + " standard error")
    private boolean json;

    @Option(names = "--trace", paramLabel = "OUT.mmd", description = "write the run as a Mermaid sequence diagram"
            + " to this file (cut, with a note, at Mermaid's limit of 50,000 characters)")
    private Path trace;

    @Option(names = "--trace-filter", paramLabel = "KEY=VALUE", description = "keep only part of the trace:"
            + " kind=OpSync,OpProcessor (message kinds), node=a,hq (messages to or from these nodes),"
            + " time=10s..20s (a window of virtual time; either end may be left out); repeatable")
    private Map<String, String> traceFilter = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "N", description = "seed every random choice with N instead of the"
            + " file's seed (the same seed replays the same run); with --seeds, the first seed")
    private Long seed;

    @Option(names = "--seeds", paramLabel = "N", description = "play the scenario with N seeds in a row (the"
            + " file's seed or --seed, then the next ones) and name the seeds where it fails")
    private Integer seeds;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public RunCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = ScenarioFile.read(file);
        } catch (ScenarioFile.Unreadable e) {
            return invalid(err, "chainsim run: " + e.getMessage());
        }
        Scenario scenario;
        Optional<ExploredPath> explored;
        try {
            ExploredScenario parsed = ScenarioParser.parseExplored(file.toString(), text);
            scenario = parsed.scenario();
            explored = parsed.explored();
        } catch (ScenarioException e) {
            return invalid(err, e.getMessage());
        }
        if (explored.isPresent() && (seeds != null || seed != null)) {
            return invalid(err, "chainsim run: " + file + " replays an explored path exactly (line "
                    + explored.get().line() + "), which has no random choice to seed; leave out --seed and --seeds");
        }
        RunProgress progress = RunProgress.onConsole(err);
        if (seeds != null) {
            if (seeds < 1 || seeds > SeedSweep.MAX_SEEDS) {
                return invalid(err, "chainsim run: --seeds must be from 1 to " + SeedSweep.MAX_SEEDS + ", got "
                        + seeds);
            }
            if (trace != null || !traceFilter.isEmpty()) {
                return invalid(err, "chainsim run: --trace draws one run, not " + seeds + "; play the seed you want"
                        + " to see with --seed N --trace OUT.mmd");
            }
            return SeedSweep.play(scenario, file.toString(), seed != null ? seed : scenario.seed(), seeds, json,
                    spec.commandLine().getOut(), progress);
        }
        if (trace == null && !traceFilter.isEmpty()) {
            return invalid(err, "chainsim run: --trace-filter narrows a trace: add --trace OUT.mmd");
        }
        TraceFilter filter;
        try {
            filter = TraceFilter.parse(traceFilter, scenario);
        } catch (IllegalArgumentException e) {
            return invalid(err, "chainsim run: " + e.getMessage());
        }
        if (trace != null) {
            Optional<String> problem = ScenarioPlayer.traceTargetProblem(trace);
            if (problem.isPresent()) {
                return invalid(err, "chainsim run: " + problem.get());
            }
        }
        if (explored.isPresent()) {
            return ScenarioPlayer.playExplored(file.toString(), scenario, explored.get(), json, trace, filter,
                    spec.commandLine().getOut(), err);
        }
        return ScenarioPlayer.play(scenario, seed, json, trace, filter, spec.commandLine().getOut(), err, progress);
    }

    private static int invalid(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return ScenarioPlayer.INVALID;
    }
}
