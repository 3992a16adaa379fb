package dev.chainkit.sim.check;

import dev.chainkit.sim.fault.Durations;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one property-check run does: the network's random faults, when they calm down, and an ordered list of
 * timed actions (faults and workload). It renders as scenario text, one line per action.
 *
 * <p>Thread safety: immutable (provided the workload values are).
 *
 * @param network the random faults of every link until calm
 * @param calmAt when random faults stop; the liveness check runs after this and a drain
 * @param actions the actions, in time order (equal times run in list order)
 * @param <W> the user's workload type
 */
public record Schedule<W>(NetworkConfig network, Duration calmAt, List<TimedAction<W>> actions) {

    /**
     * @throws NullPointerException if an argument or an action is null
     * @throws IllegalArgumentException if {@code calmAt} is negative or the actions are not in time order
     */
    public Schedule {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(calmAt, "calmAt");
        actions = List.copyOf(actions);
        if (calmAt.isNegative()) {
            throw new IllegalArgumentException("calm time must be 0 or more, got " + calmAt);
        }
        for (int i = 1; i < actions.size(); i++) {
            if (actions.get(i).at().compareTo(actions.get(i - 1).at()) < 0) {
                throw new IllegalArgumentException("actions must be in time order: action " + i + " ("
                        + actions.get(i) + ") comes before action " + (i - 1) + " (" + actions.get(i - 1) + ")");
            }
        }
    }

    /** This schedule with other actions. @throws IllegalArgumentException as the constructor */
    public Schedule<W> withActions(List<TimedAction<W>> newActions) {
        return new Schedule<>(network, calmAt, newActions);
    }

    /** This schedule with another network. @throws NullPointerException if null */
    public Schedule<W> withNetwork(NetworkConfig newNetwork) {
        return new Schedule<>(newNetwork, calmAt, actions);
    }

    /**
     * Scenario text: a {@code network} line, one {@code at ...} line per action, and a {@code calm at} line, each
     * ending with a newline.
     */
    public String render() {
        StringBuilder b = new StringBuilder("network ").append(network).append('\n');
        for (TimedAction<W> a : actions) {
            b.append(a.render()).append('\n');
        }
        return b.append("calm at ").append(Durations.format(calmAt.toNanos())).append('\n').toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
