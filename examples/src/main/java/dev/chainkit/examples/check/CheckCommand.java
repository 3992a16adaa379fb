package dev.chainkit.examples.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim check}: the property sweep of the tournament sync on the command line, the same sweep as the
 * test suite's {@code TournamentSyncProperties} ({@link TournamentSyncCheck}), over any range of seeds and
 * narrowed by options. A progress bar runs on standard error; each failing seed is shrunk to a minimal schedule,
 * printed with its seed, and written as a scenario file that {@code chainsim run} replays.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Sweeps seeds of the tournament sync's property check: random ops and faults on a simulated cluster,"
                    + " with the safety invariants checked after every event and convergence, quiet and the"
                    + " termination bounds once faults calm.",
            "Without options it runs the test suite's sweep: each seed draws 1 to 4 clients, up to 30 ops, loss up"
                    + " to 0.4, duplication up to 0.2, latency 1ms to 100ms, partitions and crashes of any node.",
            "With --servers 2..3 it runs the sweep of several servers sharing one store: each client uses the"
                    + " servers in an order of its own and fails over, hints between servers are lost (up to"
                    + " --hint-loss) and delayed.",
            "Each failing seed is shrunk to a minimal schedule and written to DIR/check-seed-N.scn, which"
                    + " `chainsim run` replays."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every seed passed",
            "1:a seed failed",
            "2:an option is wrong, or a scenario file cannot be written"})
public final class CheckCommand implements Callable<Integer> {

    /** Exit status: every seed passed. */
    public static final int OK = 0;
    /** Exit status: a seed failed. */
    public static final int FAILED = 1;
    /** Exit status: bad options or an unwritable directory. */
    public static final int INVALID = 2;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "500",
            description = "how many seeds to check (default: ${DEFAULT-VALUE})")
    private int seeds;

    @Option(names = "--from", paramLabel = "S", defaultValue = "1",
            description = "the first seed (default: ${DEFAULT-VALUE})")
    private long from;

    @Option(names = "--clients", paramLabel = "K",
            description = "exactly K clients in every seed (default: 1 to 4, drawn per seed)")
    private Integer clients;

    @Option(names = "--servers", paramLabel = "N|MIN..MAX",
            description = "how many servers sharing one store each seed draws, 1 to " + SweepConfig.MAX_SERVERS
                    + " (default: 1)")
    private String servers;

    @Option(names = "--hint-loss", paramLabel = "P",
            description = "with several servers, hint loss probability at most P (default: 0.5)")
    private Double hintLoss;

    @Option(names = "--ops", paramLabel = "M", description = "at most M ops per seed, up to " + SweepConfig.MAX_OPS
            + " (default: 30)")
    private Integer ops;

    @Option(names = "--loss", paramLabel = "P", description = "loss probability at most P (default: 0.4)")
    private Double loss;

    @Option(names = "--duplicate", paramLabel = "P", description = "duplication probability at most P (default: 0.2)")
    private Double duplicate;

    @Option(names = "--partitions", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "let seeds partition the network (default: on; --no-partitions turns them off)")
    private boolean partitions;

    @Option(names = "--crashes", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "let seeds crash and restart any node, the server included (default: on;"
                    + " --no-crashes turns them off)")
    private boolean crashes;

    @Option(names = "--json", description = "print a JSON report on standard output instead of the summary")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "where to write the scenario file of each failing seed (default: the current directory)")
    private Path out;

    @Option(names = "--max-failures", paramLabel = "F", defaultValue = "10",
            description = "stop after F failing seeds (default: ${DEFAULT-VALUE})")
    private int maxFailures;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public CheckCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "chainsim check: " + e.getMessage());
        }
        if (seeds < 1 || maxFailures < 1) {
            throw new ParameterException(spec.commandLine(),
                    "chainsim check: --seeds and --max-failures must be at least 1");
        }
        if (!Files.isDirectory(out)) {
            err.println("chainsim check: --out " + out + " is not a directory");
            err.flush();
            return INVALID;
        }
        ProgressBar bar = new ProgressBar(err);
        Sweep.Result result = Sweep.run(config, from, seeds, maxFailures, bar::update);
        bar.finish();
        List<String> files = new ArrayList<>();
        for (Sweep.Failed f : result.failures()) {
            Path file = out.resolve("check-seed-" + f.seed() + ".scn");
            try {
                Files.writeString(file, f.scenario(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("chainsim check: cannot write " + file + ": " + e);
                err.flush();
                return INVALID;
            }
            files.add(file.toString());
            if (!json) {
                stdout.println(describe(f, file));
            }
        }
        if (json) {
            stdout.println(json(result, files));
        } else {
            stdout.println(summary(result));
        }
        stdout.flush();
        return result.failures().isEmpty() ? OK : FAILED;
    }

    private SweepConfig config() {
        SweepConfig c = SweepConfig.defaults();
        if (servers != null) {
            int dots = servers.indexOf("..");
            try {
                int min = Integer.parseInt(dots < 0 ? servers.strip() : servers.substring(0, dots).strip());
                int max = dots < 0 ? min : Integer.parseInt(servers.substring(dots + 2).strip());
                c = c.withServers(min, max);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--servers '" + servers + "': expected N or MIN..MAX, e.g. 2..3");
            }
            if (c.maxServers() > 1) {
                c = c.withMaxHintLoss(SweepConfig.severalServers().maxHintLoss());
            }
        }
        if (hintLoss != null) {
            c = c.withMaxHintLoss(hintLoss);
        }
        if (clients != null) {
            c = c.withClients(clients);
        }
        if (ops != null) {
            c = c.withMaxOps(ops);
        }
        if (loss != null) {
            c = c.withMaxLoss(loss);
        }
        if (duplicate != null) {
            c = c.withMaxDuplicate(duplicate);
        }
        return c.withPartitions(partitions).withCrashes(crashes);
    }

    private static String describe(Sweep.Failed f, Path file) {
        StringBuilder b = new StringBuilder();
        b.append("seed ").append(f.seed()).append(" FAILED (").append(f.found().kind()).append("): ")
                .append(f.found().message()).append('\n');
        var shrunk = f.shrunk();
        b.append("  shrunk to ").append(shrunk.schedule().actions().size()).append(" actions (")
                .append(shrunk.failure().map(x -> x.kind() + ": " + x.message()).orElse("")).append("):\n");
        shrunk.schedule().render().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        b.append("  replay: chainsim run ").append(file);
        return b.toString();
    }

    private static String summary(Sweep.Result r) {
        String seconds = String.format(Locale.ROOT, "%.1f", r.wallNanos() / 1e9);
        String rate = String.format(Locale.ROOT, "%.0f", r.seedsPerSecond());
        StringBuilder b = new StringBuilder();
        b.append(r.ran()).append(" seeds from ").append(r.from()).append(" (").append(r.config()).append("): ")
                .append(r.ran() - r.failures().size()).append(" passed, ").append(r.failures().size())
                .append(" failed");
        if (!r.failures().isEmpty()) {
            b.append(" (seeds ").append(r.failedSeeds()).append(')');
        }
        if (r.ran() < r.seeds()) {
            b.append("; stopped after ").append(r.failures().size()).append(" failures");
        }
        b.append("\n").append(seconds).append(" s, ").append(rate).append(" seeds/s; most messages in a run ")
                .append(r.maxMessages()).append(" (its bound ").append(r.boundOfMaxMessages())
                .append("), at most ").append(String.format(Locale.ROOT, "%.0f%%", 100 * r.maxBoundShare()))
                .append(" of a run's bound; quiet at most ").append(r.maxQuietAfterMs())
                .append(" ms after the last fault (its bound ").append(r.boundOfMaxQuietMs()).append(" ms)");
        return b.toString();
    }

    private static String json(Sweep.Result r, List<String> files) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("seeds", r.ran());
        root.put("from", r.from());
        root.put("passed", r.ran() - r.failures().size());
        root.put("failures", r.failures().size());
        root.put("failed_seeds", r.failedSeeds());
        Map<String, Object> config = new LinkedHashMap<>();
        SweepConfig c = r.config();
        config.put("min_clients", c.minClients());
        config.put("max_clients", c.maxClients());
        config.put("max_ops", c.maxOps());
        config.put("max_loss", c.maxLoss());
        config.put("max_duplicate", c.maxDuplicate());
        config.put("max_latency_ms", c.maxLatency().toMillis());
        config.put("partitions", c.partitions());
        config.put("crashes", c.crashes());
        config.put("min_servers", c.minServers());
        config.put("max_servers", c.maxServers());
        config.put("max_hint_loss", c.maxHintLoss());
        root.put("config", config);
        root.put("wall_ms", TimeUnit.NANOSECONDS.toMillis(r.wallNanos()));
        root.put("seeds_per_second", Math.round(r.seedsPerSecond() * 10) / 10.0);
        root.put("max_messages", r.maxMessages());
        root.put("max_messages_bound", r.boundOfMaxMessages());
        root.put("max_bound_share", Math.round(r.maxBoundShare() * 1000) / 1000.0);
        root.put("max_quiet_after_ms", r.maxQuietAfterMs());
        root.put("quiet_bound_ms", r.boundOfMaxQuietMs());
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < r.failures().size(); i++) {
            Sweep.Failed f = r.failures().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", f.seed());
            m.put("kind", f.found().kind().name());
            m.put("message", f.found().message());
            m.put("shrunk_kind", f.shrunk().failure().map(x -> x.kind().name()).orElse(null));
            m.put("shrunk_message", f.shrunk().failure().map(x -> x.message()).orElse(null));
            m.put("shrunk_actions", f.shrunk().schedule().actions().size());
            m.put("schedule", f.shrunk().schedule().render().lines().toList());
            m.put("scenario_file", files.get(i));
            reports.add(m);
        }
        root.put("failure_reports", reports);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    /**
     * A plain-text progress bar on standard error: redrawn in place with {@code \r} every 100 ms on a terminal, one
     * line every 5 s (and at the end) when standard error goes to a file or a pipe, so logs stay readable.
     */
    private static final class ProgressBar {
        private static final int WIDTH = 30;
        private static final boolean INTERACTIVE = System.console() != null;
        private static final long REDRAW_NS = INTERACTIVE ? TimeUnit.MILLISECONDS.toNanos(100)
                : TimeUnit.SECONDS.toNanos(5);
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private long lastDraw;
        private int lastLength;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        void update(int done, int total, int failures) {
            long now = System.nanoTime();
            if (done < total && now - lastDraw < REDRAW_NS) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) WIDTH * done / total);
            double rate = done * 1e9 / Math.max(1, now - start);
            String line = (INTERACTIVE ? "\r[" : "[") + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total
                    + " seeds, " + failures + (failures == 1 ? " failure, " : " failures, ")
                    + String.format(Locale.ROOT, "%.0f", rate) + " seeds/s";
            if (INTERACTIVE) {
                err.print(line + " ".repeat(Math.max(0, lastLength - line.length())));
                lastLength = line.length();
            } else {
                err.println(line);
            }
            err.flush();
        }

        void finish() {
            if (INTERACTIVE) {
                err.println();
            }
            err.flush();
        }
    }
}
