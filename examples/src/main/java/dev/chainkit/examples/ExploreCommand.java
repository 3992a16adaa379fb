package dev.chainkit.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chainkit.examples.explore.OplogExploreModel;
import dev.chainkit.examples.explore.ViolationFile;
import dev.chainkit.examples.scenario.ExploredPath;
import dev.chainkit.examples.scenario.ExploredScenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.sim.explore.Checkpoints;
import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.ExploreResult;
import dev.chainkit.sim.explore.Explorer;
import dev.chainkit.sim.explore.NetworkModel;
import dev.chainkit.sim.explore.PathReplay;
import dev.chainkit.sim.explore.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim explore}: explores every behaviour of a small op-log sync (a server and K judges making M ops
 * each) within fault bounds, on the {@link Explorer}, and writes each violation as a file that replays it.
 *
 * <p>Thread safety: a command object serves one invocation on one thread.
 */
@Command(name = "explore", mixinStandardHelpOptions = true, versionProvider = Chainsim.Version.class,
        description = {
            "Explores every interleaving of a small op-log sync (server hq, judges c1..cK, each registering M"
                    + " players): every delivery order, loss, copy, timer firing and crash point within the bounds,"
                    + " checking the safety invariants in every state and convergence in every terminal state, and"
                    + " reporting livelocks.",
            "Prints states, transitions, depth, whether the space was exhausted or what cut it, and each violation"
                    + " with the file that replays it exactly (chainsim run FILE; chainsim explore --replay FILE"
                    + " replays the path alone), shortest first. Progress goes to standard error every two seconds.",
            "Bounds are per path: --losses messages lost (datagram) or connections dropped (fifo) in all, and so"
                    + " on (with --per-link, losses and copies per pair of nodes). datagram is exhaustive for its loss,"
                    + " copy and crash bounds; fifo for its disconnect and crash bounds (it makes no copies). Messages"
                    + " are delivered or lost within --lifetime."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the space was exhausted without a violation (with --replay: the path shows no violation)",
            "1:a violation was found (with --replay: the path shows it), or a bound cut the space short",
            "2:an option is wrong, the replay file cannot be read, or the checkpoint cannot be resumed from;"
                    + " nothing was explored"})
public final class ExploreCommand implements Callable<Integer> {

    @Option(names = "--clients", paramLabel = "K", description = "judges (default 2)")
    private int clients = 2;

    @Option(names = "--ops", paramLabel = "M", description = "ops each judge makes (default 1)")
    private int ops = 1;

    @Option(names = "--losses", paramLabel = "L", description = "most losses per path (default 1)")
    private int losses = 1;

    @Option(names = "--duplicates", paramLabel = "D", description = "most network copies per path (default 1)")
    private int duplicates = 1;

    @Option(names = "--per-link", description = "--losses and --duplicates bound each link (pair of nodes) apart,"
            + " not the whole path")
    private boolean perLink;

    @Option(names = "--threads", paramLabel = "N", description = "threads that expand states (default: the"
            + " processors, ${DEFAULT-VALUE}); the result is the same for any number")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--crashes", paramLabel = "C", description = "most crashes per path, each restarted at once"
            + " (default 1)")
    private int crashes = 1;

    @Option(names = "--network", paramLabel = "MODEL", description = "datagram (default) or fifo")
    private String network = "datagram";

    @Option(names = "--lifetime", paramLabel = "MS", description = "the network's maximum message lifetime in"
            + " milliseconds (default 300): time does not pass beyond it while such a message is in flight")
    private long lifetimeMs = 300;

    @Option(names = "--max-depth", paramLabel = "N", description = "longest path explored (default 200)")
    private int maxDepth = 200;

    @Option(names = "--max-states", paramLabel = "N", description = "most states visited (default 10000000)")
    private long maxStates = 10_000_000;

    @Option(names = "--max-violations", paramLabel = "N", description = "stop after N violations (default 1)")
    private int maxViolations = 1;

    @Option(names = "--max-minutes", paramLabel = "N", description = "stop after running N minutes (default: no"
            + " limit); with --checkpoint, a later run goes on from there")
    private Long maxMinutes;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "save the search to FILE as it goes (every"
            + " --checkpoint-every minutes, and when it ends), and resume from FILE if it exists; the same command"
            + " again goes on where a stopped or killed run was")
    private Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "minutes between two saves of the"
            + " checkpoint (default 10)")
    private long checkpointMinutes = 10;

    @Option(names = "--no-reduction", description = "explore every order of independent choices (no sleep sets)")
    private boolean noReduction;

    @Option(names = "--late-faults", description = "make losses and copies only at the last moment they can"
            + " matter (datagram; fewer states, the same states of the nodes where measured; new, off by default)")
    private boolean lateFaults;

    @Option(names = "--out", paramLabel = "DIR", description = "where violation files go (default: the current"
            + " directory)")
    private Path out = Path.of(".");

    @Option(names = "--replay", paramLabel = "FILE", description = "replay a violation file's path instead of"
            + " exploring")
    private Path replay;

    @Option(names = "--json", description = "print one JSON object on standard output")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public ExploreCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        if (replay != null) {
            return replay(outw, err);
        }
        ExploreBounds bounds;
        OplogExploreModel model;
        Optional<Checkpoints> checkpoints;
        try {
            bounds = ExploreBounds.defaults().withLosses(losses).withDuplicates(duplicates).withPerLink(perLink)
                    .withCrashes(crashes).withThreads(threads)
                    .withNetwork(NetworkModel.of(network)).withMaxDepth(maxDepth).withMaxStates(maxStates)
                    .withMaxViolations(maxViolations).withReduction(!noReduction).withLateFaults(lateFaults)
                    .withMessageLifetime(Duration.ofMillis(lifetimeMs));
            if (maxMinutes != null) {
                bounds = bounds.withMaxTime(Duration.ofMinutes(maxMinutes));
            }
            model = new OplogExploreModel(clients, ops);
            checkpoints = checkpoint == null ? Optional.empty()
                    : Optional.of(new Checkpoints(checkpoint, Duration.ofMinutes(checkpointMinutes)));
        } catch (IllegalArgumentException e) {
            return invalid(err, "chainsim explore: " + e.getMessage());
        }
        if (checkpoint != null && Files.exists(checkpoint)) {
            err.println("resuming from checkpoint " + checkpoint);
            err.flush();
        }
        ExploreResult r;
        try {
            r = Explorer.explore(model, bounds, checkpoints, (states, transitions, depth, queued, ms) -> {
                err.println("exploring: " + states + " states, " + transitions + " transitions, depth " + depth
                        + ", " + queued + " queued, " + ms / 1000 + " s");
                err.flush();
            });
        } catch (Checkpoints.Unusable | UncheckedIOException e) { // a checkpoint that cannot be read or written
            return invalid(err, "chainsim explore: " + e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < r.violations().size(); i++) {
            String name = "explore-violation-" + (i + 1);
            Path file = out.resolve(name + ".scn");
            try {
                Files.createDirectories(out);
                Files.writeString(file, ViolationFile.write(name, r.violations().get(i), model, bounds),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            files.add(file);
        }
        if (json) {
            outw.println(json(r, files));
        } else {
            outw.println("explored " + clients + " client(s), " + ops + " op(s) each, losses <= " + losses
                    + ", duplicates <= " + duplicates + (perLink ? " per link" : "") + ", crashes <= " + crashes + ", "
                    + network + ":");
            outw.println("  states " + r.states() + " (" + r.nodeStates() + " of the nodes), transitions "
                    + r.transitions() + ", depth " + r.depth() + ", terminal states " + r.terminalStates() + ", "
                    + r.elapsedMs() + " ms");
            outw.println("  " + (r.exhausted() ? "exhausted" : "not exhausted: cut by " + r.cutBy().orElse("?")));
            for (int i = 0; i < r.violations().size(); i++) {
                Violation v = r.violations().get(i);
                outw.println("  violation " + (i + 1) + ": " + v.kind() + ": " + v.message());
                outw.println("    after " + v.path().size() + " steps, replay: chainsim run " + files.get(i));
                v.path().forEach(s -> outw.println("      " + s));
            }
            if (r.ok()) {
                outw.println("  no violation");
            }
        }
        outw.flush();
        return r.ok() ? 0 : 1;
    }

    private int replay(PrintWriter outw, PrintWriter err) {
        ExploredScenario file;
        try {
            file = ScenarioParser.parseExplored(replay.toString(), ScenarioFile.read(replay));
        } catch (ScenarioFile.Unreadable e) {
            return invalid(err, "chainsim explore: " + e.getMessage());
        } catch (ScenarioException e) {
            return invalid(err, e.getMessage());
        }
        if (file.explored().isEmpty()) {
            return invalid(err, replay + ": no explored path: expected an 'explored' line and 'step' lines, as"
                    + " chainsim explore writes them");
        }
        ExploredPath path = file.explored().get();
        Optional<Violation> v;
        try {
            v = Explorer.replay(OplogExploreModel.of(file.scenario()), path.bounds(), path.choices(),
                    path.cycleStart());
        } catch (PathReplay.NotAChoice e) {
            return invalid(err, replay + ":" + path.steps().get(e.index()).line() + ": " + e.getMessage());
        }
        if (v.isPresent()) {
            outw.println("replayed " + path.steps().size() + " steps: " + v.get().kind() + ": " + v.get().message());
        } else {
            outw.println("replayed " + path.steps().size() + " steps: no violation");
        }
        outw.flush();
        return v.isPresent() ? 1 : 0;
    }

    private static String json(ExploreResult r, List<Path> files) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("states", r.states());
        root.put("node_states", r.nodeStates());
        root.put("transitions", r.transitions());
        root.put("depth", r.depth());
        root.put("exhausted", r.exhausted());
        root.put("cut_by", r.cutBy().orElse(null));
        root.put("terminal_states", r.terminalStates());
        root.put("elapsed_ms", r.elapsedMs());
        ArrayNode vs = root.putArray("violations");
        for (int i = 0; i < r.violations().size(); i++) {
            Violation v = r.violations().get(i);
            ObjectNode o = vs.addObject();
            o.put("kind", v.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("message", v.message());
            o.put("steps", v.path().size());
            o.put("replay_file", files.get(i).toString());
            ArrayNode path = o.putArray("path");
            v.path().forEach(path::add);
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    private static int invalid(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return ScenarioPlayer.INVALID;
    }
}
