package dev.chainkit.examples.run;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.examples.cluster.ClusterStores;
import dev.chainkit.examples.cluster.SharedStore;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.MessageKind;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.Trace;
import dev.chainkit.sim.fault.FaultRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One play of a {@link Scenario} on the deterministic simulator: the engine behind {@code chainsim run}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Setup.</b> One {@link Simulation} seeded with the scenario's seed (or an override), the network of its
 *   {@code network} line, every node's retry policy from its {@code retry} line, and a {@link ChainAudit} as the
 *   chain listener; a {@link TournamentCluster} adds the servers and the clients (several servers share a
 *   {@link SharedStore}, whose hints a {@code Hint} rule aims at).</li>
 *   <li><b>Events.</b> Every {@code at} line becomes one scripted action at its virtual time, in file order for
 *   equal times (the scenario keeps them sorted that way and the simulator runs same-time actions first in, first
 *   out). Local ops go through {@link TournamentCluster#submit}; an op refused on the spot is recorded as
 *   rejected, never as an error. Targeted rules become {@link FaultRule}s; {@code calm at} becomes
 *   {@link Simulation#calmAt}.</li>
 *   <li><b>Invariants.</b> After every simulated event the cluster's safety invariants and the audit's "same step
 *   handled twice" are checked; the first broken one is kept with its virtual time and makes the run not ok.</li>
 *   <li><b>End.</b> The run goes until quiet or the scenario's {@code limit}; then every expectation is checked
 *   ({@link Findings#report}) and the {@link RunReport} is assembled. Nothing reads the wall clock, so a scenario
 *   and a seed always give the same report and trace.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; build and play it on one thread. Each instance plays once.
 */
public final class ScenarioRun {

    private final Scenario scenario;
    private final long seed;
    private final Simulation sim;
    private final TournamentCluster cluster;
    private final ChainAudit audit = new ChainAudit();
    private final List<RunReport.RejectedOp> rejected = new ArrayList<>();
    private final Map<String, String> authors = new LinkedHashMap<>();
    private String invariantViolation;
    private RunReport report;
    private Progress progress = Progress.NONE;
    private int eventsDone;
    private long simulatedEvents;

    /** How often {@link Progress#update} is called, in simulated events. */
    public static final int PROGRESS_EVERY = 4096;

    /**
     * Told how far a run got, for people watching a long one. Called on the run's thread.
     */
    @FunctionalInterface
    public interface Progress {
        /** Tells nothing. */
        Progress NONE = (virtualTimeNs, eventsLeft, eventsTotal) -> { };

        /**
         * @param virtualTimeNs the virtual time reached, in nanoseconds
         * @param eventsLeft the scenario's {@code at} events not yet happened
         * @param eventsTotal the scenario's {@code at} events
         */
        void update(long virtualTimeNs, int eventsLeft, int eventsTotal);
    }

    /**
     * Sets a scenario up with its own seed, without a trace.
     *
     * @param scenario the scenario
     * @throws NullPointerException if {@code scenario} is null
     */
    public ScenarioRun(Scenario scenario) {
        this(scenario, scenario.seed(), false);
    }

    /**
     * Sets a scenario up: builds the simulation and the cluster and schedules every event; nothing runs yet.
     *
     * @param scenario the scenario
     * @param seed the seed of every random choice (the scenario's own, or an override)
     * @param tracing whether to record the {@link #trace()} (costs time and memory on long runs)
     * @throws NullPointerException if {@code scenario} is null
     */
    public ScenarioRun(Scenario scenario, long seed, boolean tracing) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.seed = seed;
        RetryPolicy retry = scenario.retry().map(r -> r.applyTo(RetryPolicy.defaults()))
                .orElse(RetryPolicy.defaults());
        this.sim = Simulation.builder()
                .seed(seed)
                .network(scenario.network().config())
                .settings(NodeSettings.defaults().withRetryPolicy(retry))
                .listener(audit)
                .tracing(tracing)
                .build();
        audit.attach(sim);
        this.cluster = new TournamentCluster(sim, scenario.servers(), scenario.clients(), ClusterStores.inMemory(),
                scenario.hints());
        for (Event event : scenario.events()) {
            schedule(event);
        }
        scenario.calmAt().ifPresent(sim::calmAt);
        sim.afterEachEvent(s -> {
            checkInvariants();
            if (++simulatedEvents % PROGRESS_EVERY == 0) {
                int total = scenario.events().size();
                progress.update(sim.nowNs(), total - eventsDone, total);
            }
        });
    }

    /**
     * Plays the scenario once: runs until quiet or the scenario's limit, then checks its expectations.
     *
     * @return the report
     * @throws IllegalStateException if this run was already played
     */
    public RunReport play() {
        return play(Progress.NONE);
    }

    /**
     * Plays the scenario once, telling {@code progress} how far it got every {@value #PROGRESS_EVERY} simulated
     * events (on this thread, from inside the run; the run does not depend on what it does).
     *
     * @param progress what to tell
     * @return the report
     * @throws IllegalStateException if this run was already played
     */
    public RunReport play(Progress progress) {
        if (report != null) {
            throw new IllegalStateException("scenario " + scenario.name() + " was already played by this run");
        }
        this.progress = Objects.requireNonNull(progress, "progress");
        RunResult result = sim.runUntilQuiet(scenario.limit());
        report = new Findings(cluster, name -> sim.node(name).isUp(), audit, sim.counters(), result, rejected,
                authors, invariantViolation).report(scenario, seed);
        return report;
    }

    /** The scenario being played. */
    public Scenario scenario() {
        return scenario;
    }

    /** The seed of this run. */
    public long seed() {
        return seed;
    }

    /** The simulation the scenario plays on (for tests and tools that look closer). */
    public Simulation simulation() {
        return sim;
    }

    /** The cluster of the run: the server, the clients and what happened to each op. */
    public TournamentCluster cluster() {
        return cluster;
    }

    /** The trace so far; {@link Trace#empty()} unless the run was built with tracing. */
    public Trace trace() {
        return sim.trace();
    }

    // ---------------------------------------------------------------- setup

    private void schedule(Event event) {
        if (event instanceof Event.LocalOp op) {
            op.label().ifPresent(l -> authors.put(l, op.node()));
            String what = op.node() + ": " + op.label().map(l -> l + " = ").orElse("") + op.op().text();
            sim.at(op.at(), what, counted(() -> submit(op)));
        } else if (event instanceof Event.Rule rule) {
            FaultRule fault = rule.faultRule();
            if (rule.kind() == MessageKind.HINT) { // hints pass through the store the servers share
                SharedStore<TournamentOp> store = cluster.sharedStore().orElseThrow(() -> new IllegalStateException(
                        "a Hint rule needs several servers; the parser refuses it with one"));
                sim.at(rule.at(), counted(() -> store.addRule(fault)));
            } else {
                sim.at(rule.at(), counted(() -> sim.addRule(fault)));
            }
        } else if (event instanceof Event.Partition p) {
            Set<NodeId> left = ids(p.left());
            Set<NodeId> right = ids(p.right());
            sim.at(p.at(), counted(() -> sim.partition(left, right)));
        } else if (event instanceof Event.Heal h) {
            sim.at(h.at(), counted(sim::heal));
        } else if (event instanceof Event.Crash c) {
            sim.at(c.at(), counted(() -> sim.crash(NodeId.of(c.node()))));
        } else if (event instanceof Event.Restart r) {
            sim.at(r.at(), counted(() -> sim.restart(NodeId.of(r.node()))));
        } else {
            throw new IllegalStateException("unknown event type " + event.getClass().getName());
        }
    }

    private Runnable counted(Runnable action) {
        return () -> {
            eventsDone++;
            action.run();
        };
    }

    private void submit(Event.LocalOp op) {
        TournamentOp payload = op.op();
        TournamentCluster.Submission s = cluster.submit(op.node(), op.label().orElse(null), payload);
        s.rejected().ifPresent(reason -> rejected.add(new RunReport.RejectedOp(op.line(),
                TimeUnit.NANOSECONDS.toMillis(s.atNs()), op.node(), op.label().orElse(null), payload.text(),
                reason)));
    }

    private static Set<NodeId> ids(List<String> names) {
        Set<NodeId> ids = new LinkedHashSet<>();
        names.forEach(n -> ids.add(NodeId.of(n)));
        return ids;
    }

    private void checkInvariants() {
        if (invariantViolation != null) {
            return;
        }
        String broken = audit.violation();
        if (broken == null) {
            broken = cluster.invariantViolation().orElse(null);
        }
        if (broken != null) {
            invariantViolation = "at " + RunSummary.time(TimeUnit.NANOSECONDS.toMillis(sim.nowNs())) + ": " + broken;
        }
    }
}
