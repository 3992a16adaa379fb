package dev.chainkit.sim.check;

import dev.chainkit.sim.NetworkCounters;
import dev.chainkit.sim.Trace;
import dev.chainkit.sim.fault.Durations;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one property-check run: the seed, the schedule it ran, the failure if any, and what the network
 * saw.
 *
 * <p>Thread safety: immutable.
 *
 * @param seed the run's seed
 * @param schedule the schedule that ran
 * @param failure why the run failed; empty when every check held
 * @param trace the run's trace; {@link Trace#empty()} for runs without tracing (sweeps trace only failures)
 * @param counters the network's counters at the end of the run
 * @param timeNs the virtual time when the run ended, in nanoseconds
 * @param <W> the user's workload type
 */
public record CheckResult<W>(long seed, Schedule<W> schedule, Optional<Failure> failure, Trace trace,
        NetworkCounters counters, long timeNs) {

    /** How many trailing trace lines {@link #report()} shows. */
    public static final int REPORT_TRACE_LINES = 200;

    /** @throws NullPointerException if an argument is null */
    public CheckResult {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(counters, "counters");
    }

    /** Whether every check held. */
    public boolean ok() {
        return failure.isEmpty();
    }

    /**
     * A report for people: the seed, the failure, the schedule as scenario text, how to replay, the counters and
     * the end of the trace.
     */
    public String report() {
        StringBuilder b = new StringBuilder();
        if (ok()) {
            b.append("Property held for seed ").append(seed).append('\n');
        } else {
            Failure f = failure.get();
            b.append("Property failed for seed ").append(seed).append(": ").append(f.kind()).append(" at ")
                    .append(Durations.timestamp(f.atNs()).trim()).append(": ").append(f.message()).append('\n');
        }
        b.append("Schedule (").append(schedule.actions().size()).append(" actions):\n");
        schedule.render().lines().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("Replay: run the test again with -D").append(Seeds.SEED_PROPERTY).append('=').append(seed)
                .append('\n');
        b.append("Network:\n").append(counters.render());
        if (trace.size() > 0) {
            b.append("Trace:\n").append(trace.render(REPORT_TRACE_LINES));
        }
        return b.toString();
    }
}
