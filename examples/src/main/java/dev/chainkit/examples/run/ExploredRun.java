package dev.chainkit.examples.run;

import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.explore.OplogExploreModel;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.ExploredPath;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.Trace;
import dev.chainkit.sim.explore.PathReplay;
import dev.chainkit.sim.explore.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One exact replay of a scenario file's explored path ({@link ExploredPath}): what {@code chainsim run} does with a
 * file that has {@code step} lines, such as a violation file of {@code chainsim explore}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The explorer's world, not a random network.</b> The scenario's cluster and ops become an
 *   {@link OplogExploreModel} ({@link OplogExploreModel#of}) and the path is played on a fresh world of it with
 *   {@link PathReplay}: the same manual network ({@code HeldMessages}), settings and checks as the exploration that
 *   wrote the path, so every step means what it meant there.</li>
 *   <li><b>Then the run ends without faults.</b> A path that shows a violation usually stops with messages in
 *   flight; the scenario's expectations are checked "after the run drains", so after the path the remaining ops
 *   are made, the oldest message in flight is delivered, or else the next timer fires, one at a time, until nothing
 *   is left to do ({@link PathReplay#finish}, at most {@value #MAX_FINISH_CHOICES} choices: a livelock does not
 *   end, and its run is then not quiet).</li>
 *   <li><b>The same report.</b> The expectations are checked and the {@link RunReport} assembled by
 *   {@link Findings}, as for any play; the explorer's first violation (of the path, or of the run's end) is the
 *   report's {@code invariant_violation}, with its kind and where it showed, so it fails the run.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; build and play it on one thread. Each instance plays once.
 */
public final class ExploredRun {

    /** The most choices the run's end makes after the path. */
    public static final int MAX_FINISH_CHOICES = 100_000;

    private final String file;
    private final Scenario scenario;
    private final ExploredPath path;
    private final boolean tracing;
    private Trace trace = Trace.empty();
    private Violation violation;
    private RunReport report;

    /**
     * Sets an explored path up; nothing runs yet.
     *
     * @param file the file's name, for messages ({@code FILE:LINE: what is wrong})
     * @param scenario the file's scenario: one server, no event but ops
     * @param path the file's path
     * @param tracing whether to record the {@link #trace()}
     * @throws NullPointerException if an argument is null
     */
    public ExploredRun(String file, Scenario scenario, ExploredPath path, boolean tracing) {
        this.file = Objects.requireNonNull(file, "file");
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.path = Objects.requireNonNull(path, "path");
        this.tracing = tracing;
    }

    /**
     * Plays the path exactly, lets the run end, and checks the scenario's expectations.
     *
     * @return the report
     * @throws ScenarioException if a step is not a choice of the state it is played in: {@code FILE:LINE} of that
     *     step (the path does not belong to this file's cluster, ops and bounds)
     * @throws IllegalStateException if this run was already played
     */
    public RunReport play() throws ScenarioException {
        if (report != null) {
            throw new IllegalStateException("the explored path of " + file + " was already played by this run");
        }
        PathReplay<Object, OplogExploreModel.Op> replay = new PathReplay<>(OplogExploreModel.of(scenario),
                path.bounds(), tracing);
        try {
            replay.play(path.choices(), path.cycleStart());
        } catch (PathReplay.NotAChoice e) {
            throw new ScenarioException(file, path.steps().get(e.index()).line(), e.getMessage());
        }
        violation = replay.finish(MAX_FINISH_CHOICES).orElse(null);
        OplogExploreModel model = (OplogExploreModel) replay.model();
        Simulation sim = replay.simulation();
        trace = sim.trace();
        TournamentCluster cluster = model.cluster();
        RunResult result = new RunResult(replay.terminal(), sim.nowNs(), replay.pending());
        report = new Findings(cluster, name -> sim.node(name).isUp(), model.chainAudit(), sim.counters(), result,
                rejected(cluster), authors(), violation == null ? null : describe(violation))
                .report(scenario, scenario.seed());
        return report;
    }

    /** The trace of the replay once played; {@link Trace#empty()} unless it was built with tracing. */
    public Trace trace() {
        return trace;
    }

    /** The explorer's first violation of the replay (of the path, or of the run's end), once played. */
    public Optional<Violation> violation() {
        return Optional.ofNullable(violation);
    }

    private String describe(Violation v) {
        int at = v.path().size();
        int steps = path.steps().size();
        String where = at == 0 ? "in the initial state"
                : at <= steps ? "at step " + at + " (line " + path.steps().get(at - 1).line() + ")"
                : "after the path, as the run ended without faults, " + (at - steps) + " choice(s) on";
        return v.kind() + " " + where + ": " + v.message();
    }

    /** The ops refused on the spot, each with the line of its {@code at} event (each node's ops in file order). */
    private List<RunReport.RejectedOp> rejected(TournamentCluster cluster) {
        Map<String, List<Event.LocalOp>> byNode = new HashMap<>();
        for (Event e : scenario.events()) {
            Event.LocalOp op = (Event.LocalOp) e;
            byNode.computeIfAbsent(op.node(), k -> new ArrayList<>()).add(op);
        }
        Map<String, Integer> made = new HashMap<>();
        List<RunReport.RejectedOp> out = new ArrayList<>();
        for (TournamentCluster.Submission s : cluster.submissions()) {
            int k = made.merge(s.node(), 1, Integer::sum) - 1;
            Event.LocalOp op = byNode.get(s.node()).get(k);
            s.rejected().ifPresent(reason -> out.add(new RunReport.RejectedOp(op.line(),
                    TimeUnit.NANOSECONDS.toMillis(s.atNs()), s.node(), s.label(), s.op().text(), reason)));
        }
        return out;
    }

    private Map<String, String> authors() {
        Map<String, String> authors = new LinkedHashMap<>();
        for (Event e : scenario.events()) {
            Event.LocalOp op = (Event.LocalOp) e;
            op.label().ifPresent(l -> authors.put(l, op.node()));
        }
        return authors;
    }
}
