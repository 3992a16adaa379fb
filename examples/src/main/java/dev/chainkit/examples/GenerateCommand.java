package dev.chainkit.examples;

import dev.chainkit.examples.scenario.ScenarioGenerator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim generate --clients K --ops N [--seed S]}: prints a generated scenario of any size (a whole
 * tournament played by K judge devices, see {@link ScenarioGenerator}) on standard output, to play with
 * {@code chainsim run}.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Prints a generated scenario on standard output: a tournament of ops/10 players (at least 4), played"
                    + " by K judge devices and the organizer's server on a slightly lossy network, with a few"
                    + " conflicting registrations; it expects convergence and quiet.",
            "For instance: chainsim generate --clients 50 --ops 2000 > big.scn && chainsim run big.scn"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the scenario was printed", "2:an option is wrong"})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--clients", paramLabel = "K", defaultValue = "10",
            description = "how many judge devices besides the server (default: ${DEFAULT-VALUE})")
    private int clients;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "2000",
            description = "how many ops their users make (default: ${DEFAULT-VALUE})")
    private int ops;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "the seed of the generator and of the scenario (default: ${DEFAULT-VALUE})")
    private long seed;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public GenerateCommand() {
    }

    @Override
    public Integer call() {
        String text;
        try {
            text = ScenarioGenerator.generate(clients, ops, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "chainsim generate: " + e.getMessage());
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
