package dev.chainkit.examples;

import dev.chainkit.examples.live.LiveRun;
import dev.chainkit.examples.live.LiveRunException;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim live FILE [--json] [--speed S] [--in-process] [--timeout D] [--keep DIR]}: plays a scenario file,
 * unchanged, on real processes (one JVM per node on loopback, real sockets through fault proxies, SQLite stores,
 * SIGKILL for a crash) and checks its expectations, printing the report {@code chainsim run} prints.
 *
 * <p>Exit status 2 means nothing was started: the file or an option is invalid. A run that could not be carried
 * out (a node did not start or stopped answering) says why and exits 1, as a failed expectation does.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "live", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Plays a scenario file (.scn) unchanged on real processes: one JVM per node on 127.0.0.1, the network"
                    + " transport through a fault proxy per link (the file's loss, duplication, latency, rules and"
                    + " partitions), SQLite stores in a temporary folder, 'crash' as SIGKILL, 'restart' as a new"
                    + " process on the same store. Checks the same expectations and prints the same report as run.",
            "Times run in real time, divided by --speed (the scenario's times, its users' thinking, its latencies"
                    + " and the retransmission schedule alike). The run ends when quiet, at the file's limit, or at"
                    + " the wall-clock bound, and then says what it was still waiting for."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every expectation held",
            "1:an expectation did not hold, an invariant broke, or the run could not be carried out (a node did not"
                    + " start or stopped answering: the message says which, and where its log is)",
            "2:the file is invalid or cannot be read, or an option is wrong; nothing was started"})
public final class LiveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario file to play")
    private Path file;

    @Option(names = "--json", description = "print the JSON report on standard output (alone) and the summary on"
            + " standard error")
    private boolean json;

    @Option(names = "--speed", paramLabel = "S", description = "play S times faster than written (default 1, at"
            + " most 100): every time of the scenario and the retransmission schedule are divided by S")
    private double speed = 1;

    @Option(names = "--in-process", description = "run every node in this JVM (still on real sockets, through the"
            + " proxies) instead of a process per node: quicker to start; a crash stops a node instead of killing"
            + " a process")
    private boolean inProcess;

    @Option(names = "--timeout", paramLabel = "D", description = "the most wall-clock time the whole run may take,"
            + " e.g. 90s or 10m (default: the file's limit divided by the speed, plus 5m to start and stop the"
            + " nodes)")
    private String timeout;

    @Option(names = "--keep", paramLabel = "DIR", description = "keep the run's files (stores, each node's log,"
            + " the scenario as played) in DIR, a new or empty folder, instead of removing them")
    private Path keep;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public LiveCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String text;
        try {
            text = ScenarioFile.read(file);
        } catch (ScenarioFile.Unreadable e) {
            return invalid(err, "chainsim live: " + e.getMessage());
        }
        Scenario scenario;
        try {
            scenario = ScenarioParser.parse(file.toString(), text);
        } catch (ScenarioException e) {
            return invalid(err, e.getMessage());
        }
        Duration bound = null;
        if (timeout != null) {
            Optional<Duration> d = ScenarioParser.duration(timeout);
            if (d.isEmpty() || d.get().isZero()) {
                return invalid(err, "chainsim live: --timeout " + timeout + ": expected a duration of more than 0"
                        + " such as 90s or 10m");
            }
            bound = d.get();
        }
        LiveRun run;
        try {
            run = new LiveRun(scenario, new LiveRun.Options(speed, inProcess, bound, keep));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return invalid(err, "chainsim live: " + e.getMessage());
        }
        RunProgress progress = RunProgress.onConsole(err);
        long start = System.nanoTime();
        RunReport report;
        try {
            report = run.play(progress);
        } catch (LiveRunException | IllegalArgumentException | UncheckedIOException e) {
            progress.finish();
            err.println("chainsim live: the run could not be carried out: " + e.getMessage());
            err.flush();
            return ScenarioPlayer.FAILED;
        } finally {
            progress.finish();
        }
        String summary = RunSummary.render(report);
        String played = "played live in " + RunSummary.time(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                + " of wall-clock time (" + (inProcess ? "every node in this JVM" : "a process per node")
                + ", speed " + speedText() + ")" + (keep != null ? "; its files are in " + keep : "");
        if (json) {
            err.print(summary);
            out.println(report.toJson());
        } else {
            out.print(summary);
        }
        err.println(played);
        err.flush();
        out.flush();
        return report.ok() ? ScenarioPlayer.OK : ScenarioPlayer.FAILED;
    }

    private String speedText() {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }

    private static int invalid(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return ScenarioPlayer.INVALID;
    }
}
