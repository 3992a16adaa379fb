package dev.chainkit.examples.testing;

import dev.chainkit.examples.Chainsim;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code chainsim} in-process for tests, as its main would, and keeps what it printed and returned. */
public final class Cli {

    /** What one invocation printed and returned. */
    public record Result(int exit, String out, String err) { }

    private Cli() {
    }

    public static Result chainsim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Chainsim.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    public static Result chainsim(List<String> args) {
        return chainsim(args.toArray(String[]::new));
    }
}
