package dev.chainkit.examples;

import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim run FILE [--json] [--trace OUT.mmd] [--seed N]}: plays one scenario file and checks its
 * expectations.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Plays a scenario file (.scn) on the deterministic simulated network and checks its expectations.",
            "Prints a short summary on standard output. With --json, prints the JSON report alone on standard"
                    + " output and the summary on standard error.",
            "An invalid file is reported as FILE:LINE: what is wrong, before anything is simulated."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every expectation held",
            "1:an expectation did not hold, or a safety invariant broke",
            "2:the file is invalid or cannot be read, or an option is wrong (nothing was simulated then), or"
                    + " the trace file cannot be written"})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario file to play")
    private Path file;

    @Option(names = "--json", description = "print the JSON report on standard output (alone) and the summary on"
            + " standard error")
    private boolean json;

    @Option(names = "--trace", paramLabel = "OUT.mmd", description = "write the run as a Mermaid sequence diagram"
            + " to this file")
    private Path trace;

    @Option(names = "--seed", paramLabel = "N", description = "seed every random choice with N instead of the"
            + " file's seed (the same seed replays the same run)")
    private Long seed;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public RunCommand() {
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("chainsim run: " + name + ": no such file");
            return ScenarioPlayer.INVALID;
        } catch (IOException e) {
            err.println("chainsim run: " + name + ": cannot read it: " + e);
            return ScenarioPlayer.INVALID;
        }
        Scenario scenario;
        try {
            scenario = ScenarioParser.parse(name, text);
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return ScenarioPlayer.INVALID;
        }
        if (trace != null) {
            Path dir = trace.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                err.println("chainsim run: --trace " + trace + ": directory " + dir + " does not exist");
                return ScenarioPlayer.INVALID;
            }
        }
        return ScenarioPlayer.play(scenario, seed, json, trace, spec.commandLine().getOut(), err);
    }
}
