package dev.chainkit.examples.live;

import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a scenario's events on a {@link LiveStage} at their times, in real time scaled by the speed: the
 * events of one instant in file order, {@code calm at} after the events of its instant (as the simulator orders
 * them).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Ops at one instant travel together.</b> In the simulator, ops a node makes at one instant go in one
 *   {@code OpSync}, which leaves at the end of the instant, after the instant's other events. So the ops of each
 *   node at an instant are handed to it as one batch (made in one task on its thread) once the instant's other
 *   events are done; only a crash of that node at that instant comes first, and then the batch goes just before the
 *   crash.</li>
 *   <li><b>Never late on purpose.</b> Each instant is applied when its real time comes; the calls it makes do not
 *   wait for nodes (starts and ops go to each node's lane). A run held up by its machine is late, not reordered.</li>
 *   <li><b>Refused ops</b> are recorded as the simulator records them (line, time, node, label, op, reason), in the
 *   order of the file once the run is over ({@link #rejected}).</li>
 * </ul>
 *
 * <p>Thread safety: {@link #play} on one thread; what it records is read after the run.
 */
final class Timeline {

    private static final long PROGRESS_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LiveStage stage;
    private final long t0Ns;
    private final long wallDeadlineNs;
    private final ScenarioRun.Progress progress;
    private final List<RunReport.RejectedOp> rejected = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> labels = new LinkedHashSet<>();
    private final Map<String, String> authors = new LinkedHashMap<>();
    private int eventsDone;

    /**
     * @param stage the running system
     * @param t0Ns the real time of the scenario's time 0 ({@link System#nanoTime()})
     * @param wallDeadlineNs the real time by which the whole run must be over
     * @param progress told how far the run got
     */
    Timeline(LiveStage stage, long t0Ns, long wallDeadlineNs, ScenarioRun.Progress progress) {
        this.stage = stage;
        this.t0Ns = t0Ns;
        this.wallDeadlineNs = wallDeadlineNs;
        this.progress = progress;
    }

    /**
     * Applies every event at its time; returns after the last one.
     *
     * @throws LiveRunException if a node broke, or the wall-clock bound passed before the last event
     */
    void play() {
        Scenario scenario = stage.scenario;
        TreeMap<Duration, List<Event>> instants = new TreeMap<>();
        for (Event e : scenario.events()) {
            instants.computeIfAbsent(e.at(), t -> new ArrayList<>()).add(e);
        }
        scenario.calmAt().ifPresent(t -> instants.computeIfAbsent(t, x -> new ArrayList<>()));
        for (Map.Entry<Duration, List<Event>> instant : instants.entrySet()) {
            waitUntil(instant.getKey());
            apply(instant.getValue());
            if (scenario.calmAt().filter(instant.getKey()::equals).isPresent()) {
                stage.calm();
            }
        }
    }

    private void waitUntil(Duration at) {
        long due = t0Ns + stage.scale.realNs(at);
        while (true) {
            stage.throwIfTrouble();
            long now = System.nanoTime();
            if (due - now <= 0) {
                return;
            }
            if (wallDeadlineNs - now <= 0) {
                throw new LiveRunException("the run's wall-clock bound passed before the event at "
                        + RunSummary.time(at.toMillis()) + " (" + left(events() - eventsDone) + ")");
            }
            tell(now);
            long nap = Math.min(due - now, PROGRESS_NS);
            try {
                TimeUnit.NANOSECONDS.sleep(nap);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LiveRunException("interrupted while waiting for the event at " + at, e);
            }
        }
    }

    private static String left(int events) {
        return events == 1 ? "1 event was left" : events + " events were left";
    }

    private void apply(List<Event> events) {
        Map<String, List<Event.LocalOp>> batches = new LinkedHashMap<>();
        for (Event e : events) {
            if (e instanceof Event.LocalOp op) {
                op.label().ifPresent(l -> {
                    labels.add(l);
                    authors.put(l, op.node());
                });
                batches.computeIfAbsent(op.node(), n -> new ArrayList<>()).add(op);
            } else if (e instanceof Event.Crash c) {
                hand(c.node(), batches.remove(c.node()));
                stage.crash(c.node());
            } else if (e instanceof Event.Restart r) {
                stage.restart(r.node());
            } else if (e instanceof Event.Rule rule) {
                stage.rule(rule);
            } else if (e instanceof Event.Partition p) {
                stage.partition(p.left(), p.right());
            } else if (e instanceof Event.Heal) {
                stage.heal();
            } else {
                throw new IllegalStateException("unknown event type " + e.getClass().getName());
            }
            eventsDone++;
        }
        batches.forEach(this::hand);
    }

    /** Hands a node its ops of this instant (nothing if there are none). */
    private void hand(String node, List<Event.LocalOp> ops) {
        if (ops == null || ops.isEmpty()) {
            return;
        }
        NodeHandle handle = stage.nodes().get(node);
        List<LiveNode.OpRequest> requests = ops.stream().map(op -> new LiveNode.OpRequest(op.label().orElse(null),
                op.op().text())).toList();
        if (!handle.isUp()) {
            refused(ops, requests.stream().map(r -> new LiveNode.OpResult(r.id(), "node is down")).toList());
            return;
        }
        handle.submit(requests, results -> refused(ops, results));
    }

    private void refused(List<Event.LocalOp> ops, List<LiveNode.OpResult> results) {
        for (int i = 0; i < ops.size(); i++) {
            Event.LocalOp op = ops.get(i);
            String reason = i < results.size() ? results.get(i).rejected() : "the node made no answer for it";
            if (reason != null) {
                rejected.add(new RunReport.RejectedOp(op.line(), op.at().toMillis(), op.node(),
                        op.label().orElse(null), op.op().text(), reason));
            }
        }
    }

    private void tell(long now) {
        progress.update(stage.scale.scenarioNs(now - t0Ns), events() - eventsDone, events());
    }

    private int events() {
        return stage.scenario.events().size();
    }

    /** The ops refused on the spot, in the order of the file (by time, then line). */
    List<RunReport.RejectedOp> rejected() {
        List<RunReport.RejectedOp> sorted = new ArrayList<>(rejected);
        sorted.sort((a, b) -> a.atMs() != b.atMs() ? Long.compare(a.atMs(), b.atMs())
                : Integer.compare(a.line(), b.line()));
        return sorted;
    }

    /** Every label an op was made (or refused) with. */
    Set<String> labels() {
        return labels;
    }

    /** The node that made each labelled op. */
    Map<String, String> authors() {
        return authors;
    }

    /** How many events have been applied. */
    int eventsDone() {
        return eventsDone;
    }
}
