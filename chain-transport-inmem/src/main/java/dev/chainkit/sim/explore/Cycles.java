package dev.chainkit.sim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Livelock detection after a search: a cycle in the graph of transitions taken (a depth-first search with three
 * colours over the graph in compressed adjacency form), reported as a path to the cycle and around it once; or, when
 * the depth limit cut the search, a repeat along a cut path but for the history of ended chains ({@link #findAtCut}).
 * Timer firings taken while messages wait in flight are not in the graph (see {@link Explorer}'s notes). Beside
 * the states, the {@link Graph} takes 4 bytes a state and 4 an edge, and {@link #find} 9 bytes a state more while
 * it runs; building the graph takes 4 bytes a state more, while the search's lists of edges are still there.
 *
 * <p>Thread safety: not thread-safe; the search's thread.
 */
final class Cycles<A, W> {

    /** How many paths cut by the depth limit {@link #findAtCut} looks along. */
    private static final int CUT_PATHS = 64;

    private final StateTable table;
    private final Expansion<A, W> expansion;

    Cycles(StateTable table, Expansion<A, W> expansion) {
        this.table = table;
        this.expansion = expansion;
    }

    /**
     * A graph in compressed form: the edges of state {@code s} go to {@code next[start[s]]} up to
     * {@code next[start[s + 1] - 1]}.
     */
    record Graph(int[] start, int[] next) {

        /** The graph of {@code states} states and the edges from {@code from} to {@code to} (not kept). */
        static Graph of(int states, IntList from, IntList to) {
            int[] start = new int[states + 1];
            for (int e = 0; e < from.size(); e++) {
                start[from.get(e) + 1]++;
            }
            for (int i = 0; i < states; i++) {
                start[i + 1] += start[i];
            }
            int[] next = new int[from.size()];
            int[] fill = Arrays.copyOf(start, states);
            for (int e = 0; e < from.size(); e++) {
                next[fill[from.get(e)]++] = to.get(e);
            }
            return new Graph(start, next);
        }
    }

    /** A cycle of {@code graph}, the graph of the table's states, as a livelock, or empty. */
    Optional<Violation> find(Graph graph) {
        int[] start = graph.start();
        int[] next = graph.next();
        int n = table.size();
        byte[] color = new byte[n];
        int[] via = new int[n];
        int[] cursor = new int[n];
        int[] frames = new int[16];
        for (int root = 0; root < n; root++) {
            if (color[root] != 0) {
                continue;
            }
            color[root] = 1;
            cursor[root] = start[root];
            frames[0] = root;
            int top = 1;
            while (top > 0) {
                int s = frames[top - 1];
                if (cursor[s] == start[s + 1]) {
                    color[s] = 2;
                    top--;
                    continue;
                }
                int t = next[cursor[s]++];
                if (color[t] == 1) {
                    List<Integer> cycle = new ArrayList<>();
                    for (int x = s; x != t; x = via[x]) {
                        cycle.add(0, x);
                    }
                    cycle.add(0, t);
                    return Optional.of(livelock(cycle));
                }
                if (color[t] == 0) {
                    color[t] = 1;
                    via[t] = s;
                    cursor[t] = start[t];
                    if (top == frames.length) {
                        frames = Arrays.copyOf(frames, top * 2);
                    }
                    frames[top++] = t;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A livelock on a path the depth limit cut, or empty: a loop that opens new chains forever never returns to a
     * state it visited (each time round one more chain has ended, and its tombstone is part of the state), so the
     * search goes deeper until the limit cuts it. Along the paths it cut (the first {@value #CUT_PATHS}), this looks
     * for a state that repeats but for the history of ended chains ({@link World#describeWithoutEndedChains}), and
     * keeps it if the same steps take the path round once more.
     */
    Optional<Violation> findAtCut(int maxDepth) {
        int tried = 0;
        for (int id = 0; id < table.size() && tried < CUT_PATHS; id++) {
            if (table.depth(id) < maxDepth) {
                continue;
            }
            tried++;
            Optional<Violation> v = repeatOn(expansion.texts(table.pathTo(id)));
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> repeatOn(List<String> path) {
        World<A, W> w = expansion.world();
        Map<World.Fingerprint, Integer> seen = new HashMap<>();
        seen.put(withoutEndedChains(w), 0);
        for (int k = 0; k < path.size(); k++) {
            if (!apply(w, path.get(k))) {
                return Optional.empty();
            }
            World.Fingerprint f = withoutEndedChains(w);
            Integer start = seen.putIfAbsent(f, k + 1);
            if (start != null && roundAgain(w, path.subList(start, k + 1), f)) {
                return Optional.of(new Violation(Violation.Kind.LIVELOCK, "a cycle that makes no progress: from"
                        + " step " + (start + 1) + " the path returns to the state it was in but for the chains that"
                        + " ended meanwhile, and the same steps take it round again: it can repeat forever",
                        path.subList(0, k + 1), start));
            }
        }
        return Optional.empty();
    }

    /** Whether making {@code lap} in {@code w} (changing it) returns to {@code at}, ended chains aside. */
    private boolean roundAgain(World<A, W> w, List<String> lap, World.Fingerprint at) {
        for (String step : lap) {
            if (!apply(w, step)) {
                return false;
            }
        }
        return withoutEndedChains(w).equals(at);
    }

    private static boolean apply(World<?, ?> w, String text) {
        Optional<Choice> c = World.named(w.choices(), text);
        return c.isPresent() && w.apply(c.get()).isEmpty();
    }

    private static World.Fingerprint withoutEndedChains(World<?, ?> w) {
        byte[] b = w.describeWithoutEndedChains();
        long[] h = Hash128.of(b, b.length);
        return new World.Fingerprint(h[0], h[1]);
    }

    /** The livelock through {@code cycle} (states in order, the last leading back to the first). */
    private Violation livelock(List<Integer> cycle) {
        List<String> walked = new ArrayList<>(expansion.texts(table.pathTo(cycle.get(0))));
        int cycleStart = walked.size();
        for (int k = 0; k < cycle.size(); k++) {
            int target = cycle.get((k + 1) % cycle.size());
            World<A, W> w = expansion.replay(walked);
            for (Choice c : w.choices()) {
                World<A, W> t = expansion.replay(walked);
                t.apply(c);
                World.Fingerprint fp = t.describe(t.choices()).fingerprint();
                if (fp.high() == table.high(target) && fp.low() == table.low(target)) {
                    walked.add(c.text());
                    break;
                }
            }
        }
        return new Violation(Violation.Kind.LIVELOCK, "a cycle of " + cycle.size() + " state(s) that makes no"
                + " progress: it can repeat forever", walked, cycleStart);
    }
}
