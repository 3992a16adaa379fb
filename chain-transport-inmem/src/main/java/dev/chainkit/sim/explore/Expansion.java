package dev.chainkit.sim.explore;

import dev.chainkit.core.wire.CodecRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The part of the search that needs a world: builds worlds of the model, replays paths on them, and expands one state
 * into what each of its choices leads to. Everything it returns is a plain value (fingerprints, keys, verdicts), so
 * the search can run expansions on several threads and merge their results on its own, in a fixed order: the result
 * of an exploration does not depend on the number of threads.
 *
 * <p>Thread safety: thread-safe; each call builds its own worlds.
 *
 * @param <A> the application type
 * @param <W> the workload item type
 */
final class Expansion<A, W> {

    private final ExploreModel<A, W> model;
    private final ExploreBounds bounds;
    private final CodecRegistry codecs;

    Expansion(ExploreModel<A, W> model, ExploreBounds bounds) {
        this.model = model;
        this.bounds = bounds;
        this.codecs = model.codecs();
    }

    /** A fresh world: the initial state. */
    World<A, W> world() {
        return new World<>(model, bounds, codecs, false);
    }

    /** A fresh world with {@code path} (codes of choices of {@link World#searchChoices()}) replayed on it. */
    World<A, W> replay(int[] path) {
        World<A, W> w = world();
        for (int code : path) {
            w.apply(w.decode(code));
        }
        return w;
    }

    /** The fingerprint of the state {@code path} (codes, as {@link #replay(int[])} takes) leads to. */
    World.Fingerprint fingerprint(int[] path) {
        World<A, W> w = replay(path);
        return w.describe(w.searchChoices()).fingerprint();
    }

    /** A fresh world with {@code path} (lines, each a choice of {@link World#choices()}) replayed on it. */
    World<A, W> replay(List<String> path) {
        World<A, W> w = world();
        for (String line : path) {
            w.apply(World.named(w.choices(), line).orElseThrow());
        }
        return w;
    }

    /** The lines of {@code path} (codes of choices of {@link World#searchChoices()}): one or more per choice. */
    List<String> texts(int[] path) {
        World<A, W> w = world();
        List<String> out = new ArrayList<>(path.length);
        for (int code : path) {
            w.apply(w.searchChoices().stream().filter(c -> w.code(c) == code).findFirst().orElseThrow(
                    () -> new IllegalStateException("no choice " + Integer.toHexString(code) + " in " + out)), out);
        }
        return out;
    }

    /**
     * What a state of a world is, as the search keeps it: its fingerprint, and whether it is terminal, broken
     * (terminal property, or stuck), or has choices left.
     *
     * @param high the fingerprint's high half
     * @param low the fingerprint's low half
     * @param nodes the fingerprint of the state of the nodes alone ({@link World.Description#nodes()})
     * @param terminal whether the state is terminal
     * @param broken the terminal property broken, or the state stuck; null if neither
     * @param hasChoices whether the state offers a choice
     */
    record Reached(long high, long low, World.Fingerprint nodes, boolean terminal, World.Broken broken,
            boolean hasChoices) {

        static Reached of(World<?, ?> w, List<Choice> choices, World.Description d) {
            World.Fingerprint fp = d.fingerprint();
            return new Reached(fp.high(), fp.low(), d.nodes(), w.terminal(), w.checkEnd(choices).orElse(null),
                    !choices.isEmpty());
        }
    }

    /**
     * What one choice of an expanded state led to.
     *
     * @param choice the choice's code ({@link World#code}), which names it in its state
     * @param applyBroken what broke while making it (invariant, exception), or null; then {@code reached} is null
     * @param reached the state it led to
     * @param sleep the sleep set it carries to that state, sorted
     * @param edge whether it counts for livelock detection (not a timer firing while messages wait in flight)
     */
    record Child(int choice, World.Broken applyBroken, Reached reached, long[] sleep, boolean edge) {
    }

    /** The initial state, or what broke its invariant. */
    Child initial() {
        World<A, W> w = world();
        Optional<World.Broken> broken = w.checkInvariant();
        if (broken.isPresent()) {
            return new Child(-1, broken.get(), null, new long[0], false);
        }
        List<Choice> cs = w.searchChoices();
        return new Child(-1, null, Reached.of(w, cs, w.describe(cs)), new long[0], false);
    }

    /**
     * Expands the state {@code path} leads to: makes each of its choices not in {@code sleep} (and in {@code only},
     * unless null), each on a world of its own, and tells what each led to.
     *
     * @param sleep the state's sleep set, sorted
     * @param only the keys of the choices to make (a re-expansion for a shrunk sleep set), sorted; null for all
     */
    List<Child> expand(int[] path, long[] sleep, long[] only) {
        World<A, W> w = replay(path);
        List<Choice> cs = w.searchChoices();
        long[] keys = w.describe(cs).keys();
        List<Choice> done = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            if (StateTable.contains(sleep, keys[i])) {
                done.add(cs.get(i));
            }
        }
        List<Child> children = new ArrayList<>();
        boolean fresh = true;
        for (int i = 0; i < cs.size(); i++) {
            if (StateTable.contains(sleep, keys[i]) || only != null && !StateTable.contains(only, keys[i])) {
                continue;
            }
            World<A, W> cw = fresh ? w : replay(path);
            fresh = false;
            Choice c = cs.get(i);
            int code = w.code(c);
            boolean waiting = cw.inFlight();
            Optional<World.Broken> broken = cw.apply(c);
            if (broken.isPresent()) {
                children.add(new Child(code, broken.get(), null, new long[0], false));
                done.add(c);
                continue;
            }
            List<Choice> next = cw.searchChoices();
            World.Description d = cw.describe(next);
            long[] childSleep = bounds.reduction() ? sleepAfter(c, done, next, d.keys()) : new long[0];
            children.add(new Child(code, null, Reached.of(cw, next, d), childSleep,
                    !(c.type().timer() && waiting)));
            done.add(c);
        }
        return children;
    }

    /** The sleep set after {@code c}: the choices done before it that commute with it, as offered after it. */
    private static long[] sleepAfter(Choice c, List<Choice> done, List<Choice> next, long[] nextKeys) {
        long[] out = new long[done.size()];
        int n = 0;
        for (Choice z : done) {
            if (z.independentOf(c)) {
                Optional<Choice> m = World.match(z, next);
                if (m.isPresent()) {
                    out[n++] = nextKeys[next.indexOf(m.get())];
                }
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }
}
