package dev.chainkit.examples.live;

import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.sim.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits, once a live run's last event has happened, until the run is quiet, its {@code limit} has passed, or its
 * wall-clock bound: and says which, and what was still going on.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Quiet</b> means what it means in the simulator: every event done, every node up, each one idle by its
 *   own account (no chain it opened in flight, nothing pending, no sync due, no user deciding, nothing being
 *   committed or forwarded), and no message in transit: no copy held back in a proxy, and nothing told or relayed
 *   for a settling time ({@link #SETTLE_NS}), which covers what is in a socket between a send and its receipt.
 *   The run's end time is when that quiet stretch began.</li>
 *   <li><b>Not quiet</b>: at the {@code limit} (scaled), or at the wall-clock bound, the run stops and says what it
 *   was waiting for, node by node ("a: 2 pending op(s), 1 chain(s) in flight; gina: down"), as the simulator's
 *   report does.</li>
 *   <li>The nodes are asked every {@link #POLL_NS}; each question is a line on a pipe (or a call), answered from
 *   the node's thread.</li>
 * </ul>
 *
 * <p>Thread safety: used on the run's thread.
 */
final class Drain {

    /** How often the nodes are asked whether they are idle, in nanoseconds. */
    static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long nothing may move before a run whose nodes are all idle counts as quiet, in nanoseconds. */
    static final long SETTLE_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private Drain() {
    }

    /**
     * Waits until quiet, the limit or the wall-clock bound.
     *
     * @param stage the running system
     * @param t0Ns the real time of the scenario's time 0
     * @param wallDeadlineNs the real time by which the run must be over
     * @param progress told how far the run got
     * @return quiet or not, the scenario time it stopped, and what was pending
     * @throws LiveRunException if a node broke meanwhile
     */
    static RunResult await(LiveStage stage, long t0Ns, long wallDeadlineNs, ScenarioRun.Progress progress) {
        long limitNs = t0Ns + stage.scale.realNs(stage.scenario.limit());
        long quietSince = 0;
        boolean quietNow = false;
        long moved = -1;
        while (true) {
            stage.throwIfTrouble();
            long now = System.nanoTime();
            long movement = stage.observations.told() + stage.tally.decisions();
            List<String> busy = busy(stage, now);
            if (!busy.isEmpty() || movement != moved) {
                quietNow = false;
                moved = movement;
            } else if (!quietNow) {
                quietNow = true;
                quietSince = now;
            } else if (now - quietSince >= SETTLE_NS) {
                return new RunResult(true, stage.scale.scenarioNs(quietSince - t0Ns), "");
            }
            if (now - limitNs >= 0) {
                return new RunResult(false, stage.scenario.limit().toNanos(), pending(busy));
            }
            if (now - wallDeadlineNs >= 0) {
                return new RunResult(false, stage.scale.scenarioNs(now - t0Ns), "the wall-clock bound passed"
                        + (busy.isEmpty() ? "" : "; " + pending(busy)));
            }
            progress.update(stage.scale.scenarioNs(now - t0Ns), 0, stage.scenario.events().size());
            try {
                TimeUnit.NANOSECONDS.sleep(POLL_NS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LiveRunException("interrupted while waiting for the run to drain", e);
            }
        }
    }

    /** What keeps the run from being quiet now, one entry per node or proxy; empty when nothing does. */
    private static List<String> busy(LiveStage stage, long now) {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<String, NodeHandle> e : stage.nodes().entrySet()) {
            LiveNode.Status s = e.getValue().status();
            if (!s.idle()) {
                busy.add(e.getKey() + ": " + s.busy());
            }
        }
        long transit = stage.tally.inTransitNs(now);
        if (transit > 0) {
            busy.add("messages held in the network for up to "
                    + RunSummary.time(TimeUnit.NANOSECONDS.toMillis(stage.scale.scenarioNs(transit))) + " more");
        }
        return busy;
    }

    private static String pending(List<String> busy) {
        return busy.isEmpty() ? "messages still moving" : String.join("; ", busy);
    }
}
