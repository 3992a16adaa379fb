package dev.chainkit.sim.explore;

import dev.chainkit.sim.Simulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A path (the lines of a {@link Violation#path()}) replayed exactly on a fresh world of a model, with the explorer's
 * checks: what {@link Explorer#replay} does, and what {@code chainsim run} plays an explored path with. After the
 * path, {@link #finish} lets the run end without further faults, and the world's model and simulation can be read
 * (to check a scenario's expectations on them).
 *
 * <p>Thread safety: not thread-safe; one thread.
 *
 * @param <A> the application type
 * @param <W> the workload item type
 */
public final class PathReplay<A, W> {

    private final World<A, W> world;
    private final List<String> path = new ArrayList<>();
    private Violation violation;
    private boolean played;

    /**
     * Builds a fresh world of {@code model} (its initial state, whose invariant is checked), without a trace.
     *
     * @throws IllegalArgumentException if the model is inconsistent (see {@link Explorer#explore})
     * @throws NullPointerException if an argument is null
     */
    public PathReplay(ExploreModel<A, W> model, ExploreBounds bounds) {
        this(model, bounds, false);
    }

    /**
     * Builds a fresh world of {@code model} (its initial state, whose invariant is checked).
     *
     * @param tracing whether the world's simulation records its trace ({@link Simulation#trace()})
     * @throws IllegalArgumentException if the model is inconsistent (see {@link Explorer#explore})
     * @throws NullPointerException if an argument is null
     */
    public PathReplay(ExploreModel<A, W> model, ExploreBounds bounds, boolean tracing) {
        world = new World<>(Objects.requireNonNull(model, "model"), Objects.requireNonNull(bounds, "bounds"),
                model.codecs(), tracing);
        world.checkInvariant().ifPresent(b -> violation = new Violation(b.kind(), b.message(), List.of(), -1));
    }

    /** A line of a path that names no choice of its state. */
    public static final class NotAChoice extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int index;

        NotAChoice(int index, String message) {
            super(message);
            this.index = index;
        }

        /** The position in the path of the line, from 0. */
        public int index() {
            return index;
        }
    }

    /**
     * Plays {@code steps} from the initial state, checking as the explorer does: the invariant after every step
     * (the replay stops at the first broken one), and at the end the terminal property (in a terminal state), a
     * stuck state, or (when {@code cycleStart} is not -1) that the path returned to the state it had at that step.
     *
     * @param steps the choices, one line each
     * @param cycleStart where the path's cycle starts (a livelock), or -1
     * @return the violation the path shows, or empty
     * @throws NotAChoice if a line names no choice of its state (the path does not belong to this model and these
     *     bounds)
     * @throws IllegalStateException if this replay already played a path
     */
    public Optional<Violation> play(List<String> steps, int cycleStart) {
        if (played) {
            throw new IllegalStateException("this replay already played a path");
        }
        played = true;
        byte[] cycleState = null;
        for (int i = 0; i < steps.size() && violation == null; i++) {
            List<Choice> cs = world.choices();
            if (i == cycleStart) {
                cycleState = world.describeWithoutEndedChains();
            }
            String line = steps.get(i);
            int at = i;
            Choice c = World.named(cs, line).orElseThrow(() ->
                    new NotAChoice(at, "step " + (at + 1) + " '" + line + "' is not a choice of its state; the"
                            + " choices are " + cs));
            make(c);
        }
        if (violation != null) {
            return Optional.of(violation);
        }
        List<Choice> cs = world.choices();
        if (cycleStart >= 0 && cycleState != null && Arrays.equals(cycleState, world.describeWithoutEndedChains())) {
            violation = new Violation(Violation.Kind.LIVELOCK, "the path returns to the state of step "
                    + (cycleStart + 1), path, cycleStart);
        } else {
            endCheck(cs);
        }
        return Optional.ofNullable(violation);
    }

    /**
     * Lets the run end without further faults: makes the remaining work items, then delivers the oldest message
     * in flight, then fires the next timer, one at a time, until the state is terminal (then checks the terminal
     * property) or stuck, or {@code maxChoices} choices were made. The invariant is checked after each; the first
     * violation of the whole replay is kept.
     *
     * @param maxChoices the most choices to make, 0 or more (a livelock never ends)
     * @return the first violation of the replay (of the path, or of its end), or empty
     * @throws IllegalArgumentException if {@code maxChoices} is negative
     */
    public Optional<Violation> finish(int maxChoices) {
        if (maxChoices < 0) {
            throw new IllegalArgumentException("maxChoices must be 0 or more but was " + maxChoices);
        }
        played = true;
        for (int n = 0; n < maxChoices && !world.terminal(); n++) {
            List<Choice> cs = world.choices();
            Optional<Choice> next = first(cs, Choice.Type.WORK::equals)
                    .or(() -> first(cs, Choice.Type.DELIVER::equals)).or(() -> first(cs, Choice.Type::timer));
            if (next.isEmpty()) {
                break;
            }
            make(next.get());
        }
        endCheck(world.choices());
        return Optional.ofNullable(violation);
    }

    private static Optional<Choice> first(List<Choice> cs, Predicate<Choice.Type> type) {
        return cs.stream().filter(c -> type.test(c.type())).findFirst();
    }

    private void make(Choice c) {
        path.add(c.text());
        Optional<World.Broken> broken = world.apply(c);
        if (broken.isPresent() && violation == null) {
            violation = new Violation(broken.get().kind(), broken.get().message(), path, -1);
        }
    }

    private void endCheck(List<Choice> cs) {
        if (violation != null) {
            return;
        }
        world.checkEnd(cs).ifPresent(b -> violation = new Violation(b.kind(), b.message(), path, -1));
    }

    /** The choices made so far, the path's and {@link #finish}'s. */
    public List<String> path() {
        return List.copyOf(path);
    }

    /** Whether the state is terminal: the workload done, nothing in flight, the simulation quiet. */
    public boolean terminal() {
        return world.terminal();
    }

    /** What keeps the state from being terminal (messages in flight, what the simulation waits for), or empty. */
    public String pending() {
        return world.terminal() ? "" : world.pending();
    }

    /** The world's model: the one {@link ExploreModel#fresh()} returned for it. */
    public ExploreModel<A, W> model() {
        return world.model();
    }

    /** The world's simulation. */
    public Simulation simulation() {
        return world.simulation();
    }
}
