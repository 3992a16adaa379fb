package dev.chainkit.examples.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.Comparison;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Expectation;
import dev.chainkit.examples.scenario.MessageKind;
import dev.chainkit.examples.scenario.Network;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioPrinter;
import dev.chainkit.sim.check.Action;
import dev.chainkit.sim.check.CheckResult;
import dev.chainkit.sim.check.Schedule;
import dev.chainkit.sim.check.TimedAction;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a (shrunk) schedule of {@link TournamentSyncCheck} into a scenario file that {@code chainsim run} plays
 * exactly as the check ran it: the same seed, network, server and clients, the same events in the same order, and
 * the same calm time and limit, with the expectations every run must meet ({@code expect converged},
 * {@code expect quiet}, and the run's message bound when it is known). A comment at the top names the seed and
 * what failed.
 *
 * <p>{@code chainsim run} checks the cluster's invariants and the expectations; the properties only this check
 * knows (the termination bounds of {@link MessageBound} other than the message count, forwards back to an op's
 * origin, the fates users are told) are named in the comment, and the check itself replays them with
 * {@code -Dchainkit.seed=N} or {@code chainsim check --seeds 1 --from N}.
 *
 * <p>Thread safety: stateless.
 */
public final class FailureScenario {

    private FailureScenario() {
    }

    /**
     * The scenario that replays {@code schedule} with {@code seed} on {@code shape}'s cluster.
     *
     * @param name the scenario's name, one word
     * @param seed the run's seed
     * @param shape the seed's cluster
     * @param schedule the schedule that ran
     * @param limit the run's virtual-time budget
     * @param messageBound the run's message bound, if known; becomes {@code expect messages any <= N}
     * @throws IllegalArgumentException if a message kind of a rule is unknown to the scenario format
     */
    public static Scenario of(String name, long seed, ClusterShape shape, Schedule<SyncWork> schedule,
            Duration limit, OptionalLong messageBound) {
        NetworkConfig n = schedule.network();
        Network network = new Network(n.lossProbability(), n.duplicateProbability(), n.latencyMin(),
                n.latencyMax());
        int line = 10 + shape.clients().size() + (shape.servers().size() > 1 ? shape.servers().size() : 0);
        List<Event> events = new ArrayList<>();
        Set<String> down = new HashSet<>();
        boolean ended = false;
        for (TimedAction<SyncWork> ta : schedule.actions()) {
            Duration at = ta.at();
            if (!ended && at.compareTo(schedule.calmAt()) >= 0) {
                line = endFaults(schedule.calmAt(), line, events, down);
                ended = true;
            }
            Action<SyncWork> a = ta.action();
            if (a instanceof Action.Workload<SyncWork> w) {
                events.add(new Event.LocalOp(at, line++, w.work().node(), Optional.of(w.work().label()),
                        w.work().op()));
            } else if (a instanceof Action.Fault<SyncWork> f) {
                events.add(rule(at, line++, f.rule()));
            } else if (a instanceof Action.Partition<SyncWork> p) {
                events.add(new Event.Partition(at, line++, names(p.left()), names(p.right())));
            } else if (a instanceof Action.Heal<SyncWork>) {
                events.add(new Event.Heal(at, line++));
            } else if (a instanceof Action.Crash<SyncWork> c) {
                if (down.add(c.node().name())) { // crashing a node that is down does nothing: no line
                    events.add(new Event.Crash(at, line++, c.node().name()));
                }
            } else if (a instanceof Action.Restart<SyncWork> r) {
                if (down.remove(r.node().name())) { // restarting a node that is up does nothing: no line
                    events.add(new Event.Restart(at, line++, r.node().name()));
                }
            } else {
                throw new IllegalStateException("unknown action " + a);
            }
        }
        if (!ended) {
            line = endFaults(schedule.calmAt(), line, events, down);
        }
        line++;
        List<Expectation> expectations = new ArrayList<>();
        expectations.add(new Expectation.Converged(line++));
        expectations.add(new Expectation.Quiet(line++));
        if (messageBound.isPresent()) {
            expectations.add(new Expectation.Messages(line, MessageKind.ANY, Comparison.AT_MOST,
                    (int) Math.min(Integer.MAX_VALUE, messageBound.getAsLong())));
        }
        return new Scenario(name, seed, network, Optional.empty(), limit, shape.servers(), shape.clients(),
                Optional.of(schedule.calmAt()), events, expectations, shape.hints());
    }

    /**
     * The {@code .scn} text of a failing run: a comment with the seed and the failure, then the scenario.
     *
     * @param failing the (shrunk) failing run
     * @param shape the seed's cluster
     * @param limit the run's virtual-time budget
     * @param messageBound the run's message bound, if known
     * @throws IllegalArgumentException if {@code failing} did not fail
     */
    public static String text(CheckResult<SyncWork> failing, ClusterShape shape, Duration limit,
            OptionalLong messageBound) {
        var f = failing.failure().orElseThrow(() -> new IllegalArgumentException("seed " + failing.seed()
                + " passed; only a failure is written as a scenario"));
        Scenario scenario = of("check-seed-" + failing.seed(), failing.seed(), shape, failing.schedule(), limit,
                messageBound);
        StringBuilder b = new StringBuilder();
        b.append("# chainsim check: seed ").append(failing.seed()).append(" failed (").append(f.kind())
                .append(")\n");
        for (String l : f.message().split("\n")) {
            b.append("#   ").append(l).append('\n');
        }
        b.append("# Shrunk to ").append(failing.schedule().actions().size()).append(" actions. Replay the run with")
                .append(" `chainsim run` on this file; replay the check (its invariants and termination bounds")
                .append(" too) with `chainsim check --seeds 1 --from ").append(failing.seed()).append("`.\n");
        return b.append(ScenarioPrinter.print(scenario)).toString();
    }

    /**
     * The check ends every fault at the calm time, before the schedule's own actions at that time, also in a
     * (shrunk) schedule that does not: it heals, and restarts what is down. Returns the next line.
     */
    private static int endFaults(Duration calmAt, int line, List<Event> events, Set<String> down) {
        events.add(new Event.Heal(calmAt, line++));
        for (String node : down.stream().sorted().toList()) {
            events.add(new Event.Restart(calmAt, line++, node));
        }
        down.clear();
        return line;
    }

    private static Event.Rule rule(Duration at, int line, FaultRule r) {
        MessageKind kind = MessageKind.fromText(r.messageKind()).orElseThrow(() -> new IllegalArgumentException(
                "message kind " + r.messageKind() + " has no name in the scenario format; known: "
                        + MessageKind.knownTexts()));
        Event.Rule.Action action = switch (r.action()) {
            case DROP -> Event.Rule.Action.DROP;
            case DUPLICATE -> Event.Rule.Action.DUPLICATE;
            case DELAY -> Event.Rule.Action.DELAY;
        };
        return new Event.Rule(at, line, action, r.count(), kind, r.from().name(), r.to().name(),
                action == Event.Rule.Action.DELAY ? r.delay() : Duration.ZERO);
    }

    private static List<String> names(Set<NodeId> group) {
        return group.stream().map(NodeId::name).toList();
    }
}
