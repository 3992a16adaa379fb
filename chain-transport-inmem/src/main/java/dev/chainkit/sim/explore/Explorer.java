package dev.chainkit.sim.explore;

import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.RetryPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explores every behaviour of a small {@link ExploreModel} within {@link ExploreBounds}: every order of deliveries,
 * every loss, copy, timer firing and crash point the bounds allow, checking the model's invariant in every state and
 * its terminal property in every terminal state, and reporting livelocks (cycles) and stuck states.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Stateless search with state caching.</b> A node's state lives in Java objects that cannot be copied, so
 *   a state is reached by replaying its path from a fresh {@link World} (as VeriSoft and CHESS do); what is kept of a
 *   state is its 128-bit fingerprint ({@link Hash128}) of its canonical description ({@link DigestSink}: every
 *   node's engine through {@code ChainNode.digest}, its application through {@link ExploreModel#digest}, the
 *   messages in flight as a multiset, or per link in order under FIFO, the faults spent and the workload done).
 *   Times are written relative to now and chain sequences relative to the next one, so states that differ only by
 *   when they happen, or by how many chains came before, are one: that is what turns a livelock into a cycle.</li>
 *   <li><b>Breadth first, so shortest first.</b> States are expanded in the order they were found; the path kept
 *   for a state is the first found, a shortest one, so every violation comes with a shortest path to the state
 *   where it shows (minimal counterexamples without shrinking).</li>
 *   <li><b>Time.</b> Deliveries take no time; a {@code timer} choice runs the next timer (the clock jumps to it).
 *   A message may stay in flight across any number of timer firings, so every ordering of deliveries against
 *   timers is explored, while time only moves when something is due.</li>
 *   <li><b>Sleep sets</b> (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems", ch. 5):
 *   choices that commute ({@link Choice#independentOf}) are explored in one order only. Sleep sets prune
 *   transitions, never states: every reachable state is still visited, so safety and terminal checks lose
 *   nothing. With state caching, a state reached again with a sleep set that does not contain its stored one is
 *   expanded again for the difference (the stored set shrinks to the intersection), which keeps the combination
 *   sound. Keys of choices are written canonically like the state, so they compare across paths.</li>
 *   <li><b>Symmetry</b> ({@link Symmetry}): optional, the least description over renamings of symmetric nodes.</li>
 *   <li><b>Terminal states</b> (workload done, nothing in flight, every chain ended, no application timer) are
 *   checked with {@link ExploreModel#terminal}; from them only crashes are explored (what is left, forgetting
 *   tombstones, is not behaviour). A state with no choice that is not terminal is stuck.</li>
 *   <li><b>Livelock.</b> After the search, a cycle in the graph of transitions taken is a livelock. A cycle that
 *   only lets time pass while a message waits in flight is not one (the network delivers or loses it eventually):
 *   timer firings taken while messages are in flight are left out of that graph. With sleep sets on, a cycle made
 *   only of pruned transitions can be missed; {@code reduction=false} checks every transition.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; each call runs on the calling thread.
 */
public final class Explorer {

    /**
     * The engine settings of a model that does not choose: retransmission after 200 ms, doubling, no jitter, at most
     * 3 attempts.
     */
    public static final NodeSettings DEFAULT_SETTINGS = NodeSettings.defaults().withRetryPolicy(RetryPolicy.builder()
            .withInitialDelay(Duration.ofMillis(200)).withMultiplier(2).withJitter(0).withMaxAttempts(3).build());

    private static final Logger log = LoggerFactory.getLogger(Explorer.class);

    /** How often progress is told, in milliseconds of wall-clock time. */
    private static final long PROGRESS_EVERY_MS = 2000;

    private Explorer() {
    }

    /** Told how far a long exploration got; called on the exploring thread. */
    @FunctionalInterface
    public interface Progress {
        /** Tells nothing. */
        Progress NONE = (states, transitions, depth, queued, elapsedMs) -> { };

        /**
         * @param states distinct states so far
         * @param transitions choices made so far
         * @param depth the depth being expanded
         * @param queued states waiting to be expanded
         * @param elapsedMs wall-clock time so far, in milliseconds
         */
        void update(long states, long transitions, int depth, long queued, long elapsedMs);
    }

    /**
     * Explores {@code model} within {@code bounds}.
     *
     * @param progress told how far it got every two seconds
     * @return what was found
     * @throws IllegalArgumentException if the model is inconsistent (a work item for an unknown node, a state it
     *     cannot describe, a retry policy with jitter)
     * @throws NullPointerException if an argument is null
     */
    public static <A, W> ExploreResult explore(ExploreModel<A, W> model, ExploreBounds bounds, Progress progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(progress, "progress");
        if (model.settings().retryPolicy().jitter() != 0) {
            throw new IllegalArgumentException("the explorer needs a retry policy without jitter (its random delays"
                    + " are not part of a state), but the model's has jitter " + model.settings().retryPolicy().jitter());
        }
        return new Search<>(model, bounds, progress).run();
    }

    /**
     * Replays {@code path} (the lines of a {@link Violation#path()}) on a fresh world of {@code model}, checking as
     * the explorer does: the invariant after every step, and at the end the terminal property (terminal state), a
     * stuck state, or (when {@code cycleStart} is not -1) that the path returned to the state it had at that step.
     *
     * @return the violation the path shows, or empty
     * @throws IllegalArgumentException if a line names no choice of its state (the path does not belong to this
     *     model and these bounds): a {@link PathReplay.NotAChoice} that says which
     * @see PathReplay
     */
    public static <A, W> Optional<Violation> replay(ExploreModel<A, W> model, ExploreBounds bounds, List<String> path,
            int cycleStart) {
        return new PathReplay<>(model, bounds).play(path, cycleStart);
    }

    /** One search. */
    private static final class Search<A, W> {
        private final ExploreModel<A, W> model;
        private final ExploreBounds bounds;
        private final Progress progress;
        private final Map<World.Fingerprint, Integer> ids = new HashMap<>();
        private final List<State> states = new ArrayList<>();
        private final ArrayDeque<int[]> queue = new ArrayDeque<>();
        private final Map<Integer, Set<String>> restricted = new HashMap<>();
        private final List<Violation> violations = new ArrayList<>();
        private final List<int[]> edges = new ArrayList<>();
        private final long startMs = System.currentTimeMillis();
        private long transitions;
        private long terminals;
        private int depth;
        private String cutBy;
        private long lastProgressMs = startMs;

        Search(ExploreModel<A, W> model, ExploreBounds bounds, Progress progress) {
            this.model = model;
            this.bounds = bounds;
            this.progress = progress;
        }

        ExploreResult run() {
            World<A, W> w = new World<>(model, bounds, false);
            Optional<World.Broken> broken = w.checkInvariant();
            if (broken.isPresent()) {
                violations.add(new Violation(broken.get().kind(), broken.get().message(), List.of(), -1));
            } else {
                add(w, -1, -1, Set.of());
            }
            while (!queue.isEmpty() && cutBy == null) {
                int[] item = queue.poll();
                expand(item[0], item[1] == 1 ? restricted.remove(item[0]) : null);
                long now = System.currentTimeMillis();
                if (now - lastProgressMs >= PROGRESS_EVERY_MS) {
                    lastProgressMs = now;
                    progress.update(states.size(), transitions, depth, queue.size(), now - startMs);
                }
            }
            if (cutBy == null && violations.size() < bounds.maxViolations()) {
                findCycle().ifPresent(violations::add);
            }
            violations.sort(Comparator.comparingInt(v -> v.path().size()));
            long elapsed = System.currentTimeMillis() - startMs;
            log.info("Explored [{}] states, [{}] transitions, depth [{}], exhausted [{}], [{}] violation(s) in [{}] ms",
                    states.size(), transitions, depth, cutBy == null, violations.size(), elapsed);
            return new ExploreResult(states.size(), transitions, depth, cutBy == null, Optional.ofNullable(cutBy),
                    terminals, elapsed, violations);
        }

        /** Records a state reached in {@code w}; returns its id. */
        private int add(World<A, W> w, int parent, int choice, Set<String> sleep) {
            List<Choice> cs = w.choices();
            World.Fingerprint fp = w.describe(cs).fingerprint();
            Integer known = ids.get(fp);
            if (known != null) {
                State s = states.get(known);
                if (bounds.reduction() && !sleep.containsAll(s.sleep)) {
                    Set<String> diff = new HashSet<>(s.sleep);
                    diff.removeAll(sleep);
                    s.sleep = new HashSet<>(s.sleep);
                    s.sleep.retainAll(sleep);
                    if (s.expanded) {
                        restricted.computeIfAbsent(known, k -> new HashSet<>()).addAll(diff);
                        queue.add(new int[] {known, 1});
                    }
                }
                return known;
            }
            int id = states.size();
            int d = parent < 0 ? 0 : states.get(parent).depth + 1;
            State s = new State(parent, choice, d, bounds.reduction() ? sleep : Set.of());
            states.add(s);
            ids.put(fp, id);
            depth = Math.max(depth, d);
            if (states.size() >= bounds.maxStates()) {
                cutBy = "the state limit (" + bounds.maxStates() + ")";
            }
            if (w.terminal()) {
                terminals++;
                Optional<World.Broken> broken = w.checkTerminal();
                if (broken.isPresent()) {
                    violation(broken.get(), id, null);
                    return id;
                }
            } else if (cs.isEmpty()) {
                violation(new World.Broken(Violation.Kind.STUCK, "nothing left to do but not done: " + w.pending()),
                        id, null);
                return id;
            }
            if (cs.isEmpty()) {
                return id;
            }
            if (d >= bounds.maxDepth()) {
                if (cutBy == null && !w.terminal()) {
                    cutBy = "the depth limit (" + bounds.maxDepth() + ")";
                }
                return id;
            }
            queue.add(new int[] {id, 0});
            return id;
        }

        private void expand(int id, Set<String> only) {
            State s = states.get(id);
            s.expanded = true;
            List<Integer> path = pathOf(id);
            World<A, W> w = replay(path);
            List<Choice> cs = w.choices();
            List<String> keys = w.describe(cs).keys();
            List<Choice> done = new ArrayList<>();
            for (int i = 0; i < cs.size(); i++) {
                if (s.sleep.contains(keys.get(i))) {
                    done.add(cs.get(i));
                }
            }
            boolean fresh = true;
            for (int i = 0; i < cs.size() && cutBy == null; i++) {
                String key = keys.get(i);
                if (s.sleep.contains(key) || only != null && !only.contains(key)) {
                    continue;
                }
                World<A, W> cw = fresh ? w : replay(path);
                fresh = false;
                Choice c = cs.get(i);
                boolean waiting = cw.inFlight();
                transitions++;
                Optional<World.Broken> broken = cw.apply(c);
                if (broken.isPresent()) {
                    violation(broken.get(), id, i);
                    done.add(c);
                    continue;
                }
                Set<String> sleep = new HashSet<>();
                if (bounds.reduction()) {
                    List<Choice> next = cw.choices();
                    List<String> nextKeys = null;
                    for (Choice z : done) {
                        if (z.independentOf(c)) {
                            Optional<Choice> m = World.match(z, next);
                            if (m.isPresent()) {
                                nextKeys = nextKeys != null ? nextKeys : cw.describe(next).keys();
                                sleep.add(nextKeys.get(next.indexOf(m.get())));
                            }
                        }
                    }
                }
                int to = add(cw, id, i, sleep);
                if (!(c.type() == Choice.Type.TIMER && waiting)) {
                    edges.add(new int[] {id, to});
                }
                done.add(c);
            }
        }

        private void violation(World.Broken b, int state, Integer lastChoice) {
            List<Integer> path = pathOf(state);
            if (lastChoice != null) {
                path.add(lastChoice);
            }
            violations.add(new Violation(b.kind(), b.message(), texts(path), -1));
            log.info("Found a violation after [{}] step(s): [{}] [{}]", path.size(), b.kind(), b.message());
            if (violations.size() >= bounds.maxViolations()) {
                cutBy = "the violation limit (" + bounds.maxViolations() + ")";
            }
        }

        private List<Integer> pathOf(int id) {
            List<Integer> path = new ArrayList<>();
            for (int s = id; states.get(s).parent >= 0; s = states.get(s).parent) {
                path.add(0, states.get(s).choice);
            }
            return path;
        }

        private World<A, W> replay(List<Integer> path) {
            World<A, W> w = new World<>(model, bounds, false);
            for (int i : path) {
                w.apply(w.choices().get(i));
            }
            return w;
        }

        private List<String> texts(List<Integer> path) {
            World<A, W> w = new World<>(model, bounds, false);
            List<String> out = new ArrayList<>();
            for (int i : path) {
                Choice c = w.choices().get(i);
                out.add(c.text());
                w.apply(c);
            }
            return out;
        }

        /** A cycle of the transition graph, as a livelock with the path to it and around it. */
        private Optional<Violation> findCycle() {
            int n = states.size();
            List<List<Integer>> next = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                next.add(new ArrayList<>(2));
            }
            for (int[] e : edges) {
                next.get(e[0]).add(e[1]);
            }
            byte[] color = new byte[n];
            int[] via = new int[n];
            for (int root = 0; root < n; root++) {
                if (color[root] != 0) {
                    continue;
                }
                ArrayDeque<int[]> stack = new ArrayDeque<>();
                stack.push(new int[] {root, 0});
                color[root] = 1;
                while (!stack.isEmpty()) {
                    int[] top = stack.peek();
                    List<Integer> out = next.get(top[0]);
                    if (top[1] == out.size()) {
                        color[top[0]] = 2;
                        stack.pop();
                        continue;
                    }
                    int to = out.get(top[1]++);
                    if (color[to] == 1) {
                        List<Integer> cycle = new ArrayList<>();
                        for (int s = top[0]; s != to; s = via[s]) {
                            cycle.add(0, s);
                        }
                        cycle.add(0, to);
                        return Optional.of(livelock(cycle));
                    }
                    if (color[to] == 0) {
                        color[to] = 1;
                        via[to] = top[0];
                        stack.push(new int[] {to, 0});
                    }
                }
            }
            return Optional.empty();
        }

        /** The livelock through {@code cycle} (states in order, the last leading back to the first). */
        private Violation livelock(List<Integer> cycle) {
            List<Integer> prefix = pathOf(cycle.get(0));
            List<String> path = texts(prefix);
            int start = path.size();
            List<String> walked = new ArrayList<>(path);
            for (int k = 0; k < cycle.size(); k++) {
                int target = cycle.get((k + 1) % cycle.size());
                World.Fingerprint want = fingerprintOf(target);
                World<A, W> w = replayTexts(walked);
                List<Choice> cs = w.choices();
                for (Choice c : cs) {
                    World<A, W> t = replayTexts(walked);
                    t.apply(c);
                    if (t.describe(t.choices()).fingerprint().equals(want)) {
                        walked.add(c.text());
                        break;
                    }
                }
            }
            return new Violation(Violation.Kind.LIVELOCK, "a cycle of " + cycle.size() + " state(s) that makes no"
                    + " progress: it can repeat forever", walked, start);
        }

        private World.Fingerprint fingerprintOf(int id) {
            World<A, W> w = replay(pathOf(id));
            return w.describe(w.choices()).fingerprint();
        }

        private World<A, W> replayTexts(List<String> path) {
            World<A, W> w = new World<>(model, bounds, false);
            for (String line : path) {
                w.apply(w.choices().stream().filter(c -> c.text().equals(line)).findFirst().orElseThrow());
            }
            return w;
        }
    }

    /** What the search keeps of a state. */
    private static final class State {
        final int parent;
        final int choice;
        final int depth;
        Set<String> sleep;
        boolean expanded;

        State(int parent, int choice, int depth, Set<String> sleep) {
            this.parent = parent;
            this.choice = choice;
            this.depth = depth;
            this.sleep = sleep;
        }
    }
}
