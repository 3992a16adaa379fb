package dev.chainkit.examples;

import dev.chainkit.examples.check.CheckCommand;
import dev.chainkit.examples.event.ClientCommand;
import dev.chainkit.examples.event.ServeCommand;
import dev.chainkit.examples.event.ShowCommand;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim}, the command line of the examples: plays scenario files of the tournament sync on the
 * deterministic simulated network. With no arguments it plays the built-in default scenario, a Friday-night
 * event ({@code scenarios/friday-night.scn} on the class path), and prints its summary.
 *
 * <p>Exit status, for every command: 0 when every expectation held, 1 when one did not, 2 when the input is
 * invalid (nothing was simulated then).
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "chainsim", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Plays scenarios and property sweeps of the op-log sync of a tournament on a deterministic simulated"
                    + " network, and runs a real event (serve, client, show).",
            "With no command: plays the built-in default scenario (a Friday-night event: two judge tablets,"
                    + " eight player phones, a lossy venue network, a partition and a crash) and prints its"
                    + " summary."},
        subcommands = {
            RunCommand.class,
            LiveCommand.class,
            CheckCommand.class,
            GenerateCommand.class,
            ExploreCommand.class,
            ServeCommand.class,
            ClientCommand.class,
            ShowCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every expectation held",
            "1:an expectation did not hold, or a safety invariant broke",
            "2:invalid input (a scenario line, an option, a file that cannot be read); nothing was simulated"})
public final class Chainsim implements Callable<Integer> {

    /** Where the default scenario sits on the class path. */
    public static final String DEFAULT_SCENARIO = "scenarios/friday-night.scn";

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public Chainsim() {
    }

    /**
     * Runs {@code chainsim} with {@code args} and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the command line, ready to {@link CommandLine#execute}; tests set its output streams.
     *
     * @return a new command line for {@code chainsim}
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Chainsim());
    }

    /** Plays the default scenario and prints its summary. */
    @Override
    public Integer call() {
        Scenario scenario;
        try {
            scenario = defaultScenario();
        } catch (ScenarioException e) {
            throw new IllegalStateException("the built-in default scenario is invalid: " + e.getMessage(), e);
        }
        return ScenarioPlayer.play(scenario, null, false, null, TraceFilter.ALL, spec.commandLine().getOut(),
                spec.commandLine().getErr(), RunProgress.onConsole(spec.commandLine().getErr()));
    }

    /**
     * Reads the built-in default scenario from the class path.
     *
     * @return the Friday-night scenario
     * @throws ScenarioException if the shipped file is invalid (a bug)
     * @throws IllegalStateException if the file is missing from the class path
     */
    public static Scenario defaultScenario() throws ScenarioException {
        return ScenarioParser.parse("friday-night.scn", resource(DEFAULT_SCENARIO));
    }

    /**
     * Reads a text resource of the examples.
     *
     * @param path the path on the class path, e.g. {@code scenarios/friday-night.scn}
     * @return its content
     * @throws IllegalStateException if there is no such resource
     */
    public static String resource(String path) {
        try (InputStream in = Chainsim.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Chainsim.class.getPackage().getImplementationVersion();
            return new String[] {"chainsim " + (v == null ? "dev" : v)};
        }
    }
}
