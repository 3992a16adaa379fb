package dev.chainkit.sim.explore;

import java.util.List;
import java.util.Optional;

/**
 * What an exploration found: how many distinct states and transitions it visited, how deep it went, whether it
 * exhausted the space within the bounds (or what cut it), and the violations, shortest path first.
 *
 * <p>Thread safety: immutable value.
 *
 * @param states distinct states visited (after symmetry)
 * @param nodeStates distinct states of the nodes among them (what the nodes hold, leaving out the messages in flight
 *     and the faults spent): the same with late faults as without ({@link ExploreBounds#lateFaults()})
 * @param transitions choices made (each one a step of some world; replays not counted)
 * @param depth the longest shortest path to a visited state, in choices
 * @param exhausted whether every state reachable within the fault bounds was visited
 * @param cutBy why not exhausted (the depth or state limit, or the violation limit); empty when exhausted
 * @param terminalStates terminal states visited (workload done, nothing in flight, quiet)
 * @param elapsedMs wall-clock time, in milliseconds
 * @param violations what broke, shortest first
 */
public record ExploreResult(long states, long nodeStates, long transitions, int depth, boolean exhausted,
        Optional<String> cutBy, long terminalStates, long elapsedMs, List<Violation> violations) {

    /** @throws NullPointerException if an argument is null */
    public ExploreResult {
        violations = List.copyOf(violations);
    }

    /** Whether the space was exhausted without a violation. */
    public boolean ok() {
        return exhausted && violations.isEmpty();
    }
}
