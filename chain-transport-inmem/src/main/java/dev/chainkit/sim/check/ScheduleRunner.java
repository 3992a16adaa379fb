package dev.chainkit.sim.check;

import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one {@link Schedule} of a {@link PropertyCheck} on a fresh simulation and judges it. Not API.
 *
 * <p>Thread safety: stateless; each call builds its own simulation.
 */
final class ScheduleRunner {

    private ScheduleRunner() {
    }

    static <A, W> CheckResult<W> run(PropertyCheck<A, W> unseeded, long seed, Schedule<W> schedule,
            boolean tracing) {
        PropertyCheck<A, W> check = Objects.requireNonNull(unseeded.forSeed(seed), "forSeed returned null");
        Simulation sim = Simulation.builder().seed(seed).network(schedule.network()).settings(check.settings())
                .listener(check.listener()).tracing(tracing).build();
        Failure failure;
        try {
            List<SimNode<A>> nodes = new ArrayList<>();
            for (NodeSpec<A> spec : check.nodes()) {
                nodes.add(sim.addNode(spec.name(), spec.factory()));
            }
            Cluster<A> cluster = new Cluster<>(sim, nodes);
            check.prepare(cluster);
            for (TimedAction<W> ta : schedule.actions()) {
                Action<W> action = ta.action();
                if (action instanceof Action.Workload<W> w) {
                    sim.at(ta.at(), action.render(), () -> check.applyWorkload(cluster, w.work()));
                } else {
                    sim.at(ta.at(), () -> applyFault(sim, action));
                }
            }
            sim.calmAt(schedule.calmAt());
            sim.afterEachEvent(s -> check.invariant(cluster).ifPresent(message -> {
                throw new Violation(message);
            }));
            failure = judge(check, cluster, sim.runUntilQuiet(check.limit()));
        } catch (Violation v) {
            failure = new Failure(Failure.Kind.INVARIANT, v.getMessage(), sim.nowNs());
        } catch (RuntimeException e) {
            failure = new Failure(Failure.Kind.ERROR, e.toString(), sim.nowNs());
        }
        return new CheckResult<>(seed, schedule, Optional.ofNullable(failure), sim.trace(), sim.counters(),
                sim.nowNs());
    }

    private static <A, W> Failure judge(PropertyCheck<A, W> check, Cluster<A> cluster, RunResult run) {
        if (!run.quiet()) {
            return new Failure(Failure.Kind.LIVENESS, "not quiet after " + Durations.format(check.limit().toNanos())
                    + ": " + run.pending(), run.timeNs());
        }
        return check.liveness(cluster).map(m -> new Failure(Failure.Kind.LIVENESS, m, run.timeNs())).orElse(null);
    }

    private static <W> void applyFault(Simulation sim, Action<W> action) {
        if (action instanceof Action.Fault<W> f) {
            sim.addRule(f.rule());
        } else if (action instanceof Action.Partition<W> p) {
            sim.partition(p.left(), p.right());
        } else if (action instanceof Action.Heal<W>) {
            sim.heal();
        } else if (action instanceof Action.Crash<W> c) {
            if (sim.node(c.node()).isUp()) {
                sim.crash(c.node());
            }
        } else if (action instanceof Action.Restart<W> r) {
            if (!sim.node(r.node()).isUp()) {
                sim.restart(r.node());
            }
        } else {
            throw new IllegalStateException("not a fault: " + action);
        }
    }

    /** An invariant failed; carries its message out of the event loop. */
    private static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message, null, false, false);
        }
    }
}
