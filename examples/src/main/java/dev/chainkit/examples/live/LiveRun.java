package dev.chainkit.examples.live;

import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.run.Findings;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.MessageKind;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.store.LocalPostgres;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.NetworkCounters;
import dev.chainkit.sim.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One play of a {@link Scenario} on real processes: the engine behind {@code chainsim live}. The file is played
 * unchanged; the report is the one {@code chainsim run} prints, with the same fields, from the same code
 * ({@link Findings}).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Processes.</b> One JVM per node ({@link NodeMain}), on loopback only: the server listens on a port of
 *   127.0.0.1, each client dials a fault proxy that relays to it ({@link LiveLinks}); each node keeps a SQLite store
 *   and its incarnation file in a temporary folder. {@code crash} is SIGKILL of the node's process, {@code restart}
 *   a new process on the same store with the next incarnation. With {@link Options#inProcess} every node runs in
 *   this JVM instead, on real sockets through the same proxies (a crash then stops the node at once, silently).</li>
 *   <li><b>Several servers</b> keep their log in one PostgreSQL database, as {@code chainsim serve --store
 *   postgresql://...} does: the run starts a server ({@link LocalPostgres}, as the store's tests do), creates the
 *   tournament's log there as the simulator's shared store starts ({@link TournamentCluster#createShared}), and
 *   stops it when the nodes have stopped and a down server's log has been read. The servers hear of each other's
 *   commits by the store's notifications, not by the simulator's hint channel: the scenario's {@code hints} line is
 *   ignored, and a rule about {@code Hint} messages is refused (no proxy sees a notification).</li>
 *   <li><b>Control.</b> The runner speaks to each node process over its standard input and output, one JSON line
 *   per command, answer or event ({@link ControlLine}): make these ops, are you idle, show your log. Nothing else
 *   can reach that channel. The nodes tell their chain events and their ops' fates as they happen
 *   ({@link Observations}), so a node killed by the scenario has told what it did.</li>
 *   <li><b>Faults.</b> Every proxy decides each envelope frame with the simulator's own fault logic (one
 *   {@code NetworkFaults} for the run: {@code network}, rules, calm; {@link FaultsPolicy}); partitions cut and
 *   blackhole links, heals restore them.</li>
 *   <li><b>Time.</b> Events happen at their real times, divided by the speed ({@link TimeScale}); the run ends
 *   when quiet, or at the scaled {@code limit}, or at the wall-clock bound ({@link Drain}).</li>
 *   <li><b>Expectations</b> are checked on what the nodes themselves reported: each node's log and pending ops at
 *   the end (a node that is down then is read from its store), each op's fate from its author, each message from
 *   the node that sent it (sent, resent) and from the proxies (passed on, duplicated; what was sent and never
 *   passed on was dropped: lost, cut off by a partition, or sent while its link was down).</li>
 *   <li><b>Invariants</b> that a live run can judge: no handler saw the same step of a chain twice (from every
 *   node's events, per incarnation), and at the end no log holds an op twice, every state is its log's replay, and
 *   no client believes an op synced that the server lacks. The simulator checks these after every event; a live
 *   run can only look at the end.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; play it on one thread, once.
 */
public final class LiveRun {

    /** The wall-clock time a run may take beyond its scaled {@code limit}: starting and stopping the nodes. */
    public static final Duration SETUP_ALLOWANCE = Duration.ofMinutes(5);

    private final Scenario scenario;
    private final Options options;
    private final TimeScale scale;

    /**
     * How a live run plays.
     *
     * @param speed how many times faster than written (1 plays the file as written; see {@link TimeScale})
     * @param inProcess whether every node runs in this JVM instead of a process each
     * @param timeout the most wall-clock time the whole run may take, or null for the scaled {@code limit} plus
     *     {@link #SETUP_ALLOWANCE}
     * @param keep a folder to keep the run's files in (stores, node logs, the scenario copy) instead of a temporary
     *     one that is removed; null to remove them
     */
    public record Options(double speed, boolean inProcess, Duration timeout, Path keep) {

        /** Speed 1, a process per node, the default bound, nothing kept. */
        public static Options defaults() {
            return new Options(1, false, null, null);
        }

        /** These options at another speed. */
        public Options withSpeed(double s) {
            return new Options(s, inProcess, timeout, keep);
        }

        /** These options with every node in this JVM, or not. */
        public Options withInProcess(boolean in) {
            return new Options(speed, in, timeout, keep);
        }
    }

    /**
     * @param scenario the scenario to play
     * @param options how
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the scenario has a rule about {@code Hint} messages (a live run's hints
     *     are PostgreSQL notifications, which pass through no proxy), the speed or the timeout is out of range, or
     *     the folder to keep the files in is a file or not empty
     */
    public LiveRun(Scenario scenario, Options options) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.options = Objects.requireNonNull(options, "options");
        refuseHintRules(scenario);
        this.scale = new TimeScale(options.speed());
        if (options.timeout() != null && (options.timeout().isNegative() || options.timeout().isZero())) {
            throw new IllegalArgumentException("--timeout must be more than 0, got " + options.timeout());
        }
        if (options.keep() != null && Files.exists(options.keep()) && !emptyFolder(options.keep())) {
            throw new IllegalArgumentException("--keep " + options.keep() + ": expected a new or empty folder, but "
                    + (Files.isDirectory(options.keep()) ? "the folder is not empty" : "it is a file"));
        }
    }

    private static void refuseHintRules(Scenario scenario) {
        for (Event e : scenario.events()) {
            if (e instanceof Event.Rule r && r.kind() == MessageKind.HINT) {
                throw new IllegalArgumentException("scenario " + scenario.name() + " line " + e.line() + ": a rule"
                        + " about Hint messages; chainsim live cannot honour it (its servers hear of each other's"
                        + " commits by PostgreSQL notifications, which pass through no fault proxy): play this"
                        + " scenario with chainsim run");
            }
        }
    }

    private static boolean emptyFolder(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> in = Files.list(p)) {
            return in.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the folder " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Plays the scenario: starts the nodes, carries out the events, waits until quiet (or the limit), checks the
     * expectations, stops everything and removes the run's folder.
     *
     * @param progress told how far the run got, on this thread
     * @return the report
     * @throws LiveRunException if the run could not be carried out: a node did not start, died without being told
     *     to, or stopped answering (the message says which and where its log is)
     */
    public RunReport play(ScenarioRun.Progress progress) {
        long startNs = System.nanoTime();
        long wallDeadlineNs = startNs + (options.timeout() != null ? options.timeout().toNanos()
                : scale.realNs(scenario.limit()) + SETUP_ALLOWANCE.toNanos());
        Path folder = folder();
        try (LocalPostgres postgres = scenario.servers().size() > 1 ? startPostgres() : null) {
            NodeSpec.Database database = postgres == null ? null : createLog(postgres);
            return play(folder, database, wallDeadlineNs, progress);
        } finally {
            if (options.keep() == null && !deleteTree(folder)) {
                System.err.println("chainsim live: could not remove the run's folder " + folder);
            }
        }
    }

    /** Starts the PostgreSQL server that several servers share, as the store's tests start theirs. */
    private static LocalPostgres startPostgres() {
        try {
            return LocalPostgres.start();
        } catch (IllegalStateException e) {
            throw new LiveRunException("several servers share a PostgreSQL database, which could not start: "
                    + e.getMessage(), e);
        }
    }

    /** Makes the servers' database and the tournament's log in it, as the simulator's shared store starts. */
    private NodeSpec.Database createLog(LocalPostgres postgres) {
        NodeSpec.Database database = new NodeSpec.Database(postgres.createDatabase("chainsim_live"), postgres.user());
        try (OplogDatabase db = open(database)) {
            TournamentCluster.createShared(db.serverStore(TournamentCluster.domain()), scenario.servers(),
                    scenario.clients());
        }
        return database;
    }

    private static OplogDatabase open(NodeSpec.Database database) {
        return OplogDatabase.postgres(database.url(), database.user(), null);
    }

    private RunReport play(Path folder, NodeSpec.Database database, long wallDeadlineNs,
            ScenarioRun.Progress progress) {
        LiveStage stage = LiveStage.start(scenario, scale, folder, options.inProcess(), database);
        Map<String, LiveCluster.NodeEnd> ends = new LinkedHashMap<>();
        Timeline timeline;
        RunResult result;
        try {
            long t0 = System.nanoTime();
            timeline = new Timeline(stage, t0, wallDeadlineNs, progress);
            timeline.play();
            result = Drain.await(stage, t0, wallDeadlineNs, progress);
            stage.observations.freeze();
            stage.throwIfTrouble();
            stage.nodes().forEach((name, node) -> {
                if (node.isUp()) {
                    LiveNode.Snapshot s = node.snapshot();
                    ends.put(name, new LiveCluster.NodeEnd(s.opLog(), s.pending(), s.stateMismatch()));
                } else {
                    ends.put(name, null); // read from its store once everything has stopped
                }
            });
        } finally {
            stage.close();
        }
        ends.replaceAll((name, end) -> end != null ? end
                : new LiveCluster.NodeEnd(stored(folder, database, name), 0, null));
        LiveCluster cluster = new LiveCluster(scenario.server().name(), ends, timeline.labels(), stage.observations);
        String broken = stage.observations.withAudit(a -> a.violation());
        if (broken == null) {
            broken = cluster.invariantViolation().orElse(null);
        }
        String invariant = broken == null ? null : "at " + RunSummary.time(result.timeNs() / 1_000_000) + ": "
                + broken;
        return stage.observations.withAudit(audit -> new Findings(cluster, name -> stage.nodes().get(name).isUp(),
                audit, counters(stage), result, timeline.rejected(), timeline.authors(), invariant)
                .report(scenario, scenario.seed()));
    }

    /** A down node's log, as its store kept it (a server's is the shared database's, if the servers share one). */
    private OpLog<TournamentOp> stored(Path folder, NodeSpec.Database database, String node) {
        boolean server = scenario.serverNames().contains(node);
        try (OplogDatabase db = server && database != null ? open(database)
                : OplogDatabase.sqlite(folder.resolve(node + ".db"))) {
            if (server) {
                return db.serverStore(TournamentCluster.domain()).load(TournamentCluster.LOG_ID).orElseThrow(
                        () -> new LiveRunException("the store of " + node + " holds no log")).log();
            }
            return db.clientLog(TournamentCluster.LOG_ID, TournamentCluster.domain()).orElseGet(
                    () -> OpLog.genesis(TournamentCluster.genesis(scenario.server().name())));
        }
    }

    /** The run's message counts: sent and resent as the nodes told, passed on and duplicated as the proxies did. */
    private static NetworkCounters counters(LiveStage stage) {
        Map<String, long[]> sent = stage.observations.sent();
        Map<String, long[]> network = stage.tally.byKind();
        Set<String> kinds = new TreeSet<>(sent.keySet());
        kinds.addAll(network.keySet());
        Map<String, NetworkCounters.Counts> byKind = new TreeMap<>();
        for (String kind : kinds) {
            long[] s = sent.getOrDefault(kind, new long[2]);
            long[] n = network.getOrDefault(kind, new long[3]);
            long dropped = Math.max(0, s[0] + n[1] - n[0]);
            byKind.put(kind, new NetworkCounters.Counts(s[0], n[0], dropped, n[1], s[1]));
        }
        return NetworkCounters.of(byKind);
    }

    private Path folder() {
        try {
            if (options.keep() != null) {
                return Files.createDirectories(options.keep());
            }
            return Files.createTempDirectory("chainsim-live-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the run's folder: " + e.getMessage(), e);
        }
    }

    /**
     * Removes a folder and everything in it.
     *
     * @return whether it is gone
     */
    static boolean deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
