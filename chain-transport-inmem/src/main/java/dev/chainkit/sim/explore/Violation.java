package dev.chainkit.sim.explore;

import java.util.List;
import java.util.Objects;

/**
 * A property the explorer found broken, with the shortest path it knows to it: the choices from the initial state,
 * each as one line ({@link Explorer#replay} plays them again).
 *
 * <p>Thread safety: immutable value.
 *
 * @param kind what broke
 * @param message what is wrong, as the check said it
 * @param path the choices from the initial state, in order
 * @param cycleStart for a livelock, where in {@code path} the cycle starts (the path from there returns to the
 *     state it starts in); -1 otherwise
 */
public record Violation(Kind kind, String message, List<String> path, int cycleStart) {

    /** What a violation breaks. */
    public enum Kind {
        /** The model's invariant, in some state. */
        INVARIANT,
        /** A node threw while handling a choice. */
        EXCEPTION,
        /** The model's terminal property, in a terminal state. */
        TERMINAL,
        /** A state with nothing left to choose that is not terminal (a chain that can never end). */
        STUCK,
        /** A cycle of states that makes no progress: it can go on forever. */
        LIVELOCK
    }

    /** @throws NullPointerException if an argument is null */
    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        path = List.copyOf(path);
    }

    @Override
    public String toString() {
        return kind + ": " + message + " after " + path.size() + " step(s)";
    }
}
