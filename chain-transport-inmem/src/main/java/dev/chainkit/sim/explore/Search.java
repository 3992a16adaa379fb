package dev.chainkit.sim.explore;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One breadth-first search of {@link Explorer#explore} (its design notes say how and why). The queue is expanded in
 * batches: the states of a batch are expanded on the worker threads (each on worlds of its own, {@link Expansion}),
 * then their results are merged here in queue order, so the outcome is the same for any number of threads.
 *
 * <p>With {@link Checkpoints}, the search saves what it keeps between two batches and when it ends, and resumes
 * from a saved one: the states, queue, graph, violations and counters, and the results of a batch a limit cut short
 * before they were all merged ({@link #unmerged}), so a resumed search goes on exactly where it stopped.
 *
 * <p>Thread safety: not thread-safe; one search, run once, by the thread that calls {@link #run()}.
 *
 * @param <A> the application type
 * @param <W> the workload item type
 */
final class Search<A, W> {

    private static final Logger log = LoggerFactory.getLogger(Search.class);

    /** How often progress is told, in milliseconds of wall-clock time. */
    private static final long PROGRESS_EVERY_MS = 2000;

    /** States expanded per batch: a fixed number, so the merge order does not depend on the threads. */
    private static final int BATCH = 256;

    /** How many taken items of the queue make it drop them (when they are at least half of it too). */
    private static final int QUEUE_DROP = 1 << 16;

    /** The checkpoint's format of what the search keeps, under the file's own format version. */
    private static final String FORMAT = "search 1";

    /** States of a checkpoint replayed to check it belongs to the model, spread over its states. */
    private static final int SAMPLES = 8;

    private final ExploreBounds bounds;
    private final Optional<Checkpoints> checkpoints;
    private final Explorer.Progress progress;
    private final Expansion<A, W> expansion;
    private StateTable table = new StateTable();
    private FingerprintSet nodeStates = new FingerprintSet();
    /**
     * Queued states: an id to expand, or {@code ~id} to expand again for the keys in {@link #restricted}; those from
     * {@link #head} on are still to take.
     */
    private IntList queue = new IntList();
    private final Map<Integer, long[]> restricted = new HashMap<>();
    private IntList edgeFrom = new IntList();
    private IntList edgeTo = new IntList();
    private final List<Violation> violations = new ArrayList<>();
    /** What the last batch found, in merge order; those from {@link #unmergedHead} on are not merged yet. */
    private List<Pending> unmerged = List.of();
    private int unmergedHead;
    /** When this run started; {@link #startMs} is earlier by the time of the runs it resumed. */
    private final long runStartMs = System.currentTimeMillis();
    private long startMs = runStartMs;
    private long lastSaveMs = runStartMs;
    private int head;
    private long transitions;
    private long terminals;
    private int depth;
    private String cutBy;
    private boolean cutByDepth;
    private long lastProgressMs = startMs;

    Search(ExploreModel<A, W> model, ExploreBounds bounds, Optional<Checkpoints> checkpoints,
            Explorer.Progress progress) {
        this.bounds = bounds;
        this.checkpoints = checkpoints;
        this.progress = progress;
        this.expansion = new Expansion<>(model, bounds);
    }

    ExploreResult run() {
        if (checkpoints.isPresent() && Files.exists(checkpoints.get().file())) {
            resume(checkpoints.get().file());
        } else {
            Expansion.Child root = expansion.initial();
            if (root.applyBroken() != null) {
                violations.add(new Violation(root.applyBroken().kind(), root.applyBroken().message(), List.of(),
                        -1));
            } else {
                add(root, -1);
            }
            if (checkpoints.isPresent()) {
                save(checkpoints.get().file()); // at once: a checkpoint that cannot be written fails now, not later
            }
        }
        List<Thread> workers = new ArrayList<>();
        ExecutorService pool = bounds.threads() > 1 ? Executors.newFixedThreadPool(bounds.threads(),
                daemons(workers)) : null;
        try {
            mergeUnmerged();
            while (head < queue.size() && cutBy == null) {
                batch(pool);
                long now = System.currentTimeMillis();
                if (now - lastProgressMs >= PROGRESS_EVERY_MS) {
                    lastProgressMs = now;
                    progress.update(table.size(), transitions, depth, queue.size() - head, now - startMs);
                }
                if (cutBy == null && bounds.maxTime().isPresent()
                        && now - runStartMs >= bounds.maxTime().get().toMillis()) {
                    cutBy = "the time limit (" + bounds.maxTime().get().toString().substring(2).toLowerCase(
                            Locale.ROOT) + ")";
                }
                if (cutBy == null && checkpoints.isPresent()
                        && now - lastSaveMs >= checkpoints.get().every().toMillis()) {
                    saveOrWarn(checkpoints.get().file());
                }
            }
        } finally {
            if (pool != null) {
                stop(pool, workers);
            }
        }
        if (checkpoints.isPresent() && !cutByDepth) {
            // a depth cut is not saved: its limit cannot change on resuming, and the search from the last save
            // meets it again, in the same place
            saveOrWarn(checkpoints.get().file());
        }
        if (violations.size() < bounds.maxViolations() && (cutBy == null || cutByDepth)) {
            // the search is over and saved: what only it needed goes before the livelock check takes its memory
            table.forgetSleepSets();
            queue = new IntList();
            head = 0;
            restricted.clear();
            Cycles<A, W> cycles = new Cycles<>(table, expansion);
            if (cutBy == null) {
                Cycles.Graph graph = Cycles.Graph.of(table.size(), edgeFrom, edgeTo);
                edgeFrom = null;
                edgeTo = null;
                cycles.find(graph).ifPresent(violations::add);
            } else {
                cycles.findAtCut(bounds.maxDepth()).ifPresent(violations::add);
            }
        }
        violations.sort(Comparator.comparingInt(v -> v.path().size()));
        long elapsed = System.currentTimeMillis() - startMs;
        log.info("Explored [{}] states ([{}] of the nodes), [{}] transitions, depth [{}], exhausted [{}], [{}]"
                + " violation(s) in [{}] ms", table.size(), nodeStates.size(), transitions, depth, cutBy == null,
                violations.size(), elapsed);
        return new ExploreResult(table.size(), nodeStates.size(), transitions, depth, cutBy == null,
                Optional.ofNullable(cutBy), terminals, elapsed, violations);
    }

    /**
     * One state to expand: its path, and its sleep set and restriction as they were when the batch was taken.
     *
     * @param id the state
     * @param path the codes of the choices that reach it ({@link World#code})
     * @param sleep its sleep set, sorted
     * @param only the keys to expand again (a shrunk sleep set), sorted; null for all
     */
    private record Task(int id, int[] path, long[] sleep, long[] only) {
    }

    /** Expands the next batch of the queue, then merges what it found in queue order. */
    private void batch(ExecutorService pool) {
        if (head >= QUEUE_DROP && head >= queue.size() / 2) {
            queue.dropFirst(head);
            head = 0;
        }
        List<Task> tasks = new ArrayList<>(BATCH);
        while (head < queue.size() && tasks.size() < BATCH) {
            int item = queue.get(head++);
            int id = item >= 0 ? item : ~item;
            long[] only = null;
            if (item < 0) {
                only = restricted.remove(id);
                if (only == null) {
                    continue;
                }
            }
            table.markExpanded(id);
            tasks.add(new Task(id, table.pathTo(id), table.sleep(id), only));
        }
        List<List<Expansion.Child>> results = new ArrayList<>(tasks.size());
        if (pool == null) {
            for (Task t : tasks) {
                results.add(expansion.expand(t.path(), t.sleep(), t.only()));
            }
        } else {
            List<Future<List<Expansion.Child>>> futures = new ArrayList<>(tasks.size());
            for (Task t : tasks) {
                futures.add(pool.submit(() -> expansion.expand(t.path(), t.sleep(), t.only())));
            }
            for (Future<List<Expansion.Child>> f : futures) {
                results.add(await(f));
            }
        }
        List<Pending> found = new ArrayList<>();
        for (int k = 0; k < tasks.size(); k++) {
            for (Expansion.Child c : results.get(k)) {
                found.add(new Pending(tasks.get(k).id(), c));
            }
        }
        unmerged = found;
        unmergedHead = 0;
        mergeUnmerged();
    }

    /**
     * What a state's expansion found, to merge.
     *
     * @param parent the state expanded
     * @param child what one of its choices led to
     */
    private record Pending(int parent, Expansion.Child child) {
    }

    /** Merges what the last batch found, in order, until done or a limit cuts the search. */
    private void mergeUnmerged() {
        while (unmergedHead < unmerged.size() && cutBy == null) {
            Pending p = unmerged.get(unmergedHead++);
            merge(p.parent(), p.child());
        }
    }

    private static List<Expansion.Child> await(Future<List<Expansion.Child>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while exploring", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void merge(int parent, Expansion.Child c) {
        transitions++;
        if (c.applyBroken() != null) {
            int[] path = table.pathTo(parent);
            int[] withLast = Arrays.copyOf(path, path.length + 1);
            withLast[path.length] = c.choice();
            violation(c.applyBroken(), withLast);
            return;
        }
        int to = add(c, parent);
        if (c.edge()) {
            edgeFrom.add(parent);
            edgeTo.add(to);
        }
    }

    /** Records the state {@code c} reached from {@code parent} (-1 for the initial state); returns its id. */
    private int add(Expansion.Child c, int parent) {
        Expansion.Reached r = c.reached();
        int known = table.find(r.high(), r.low());
        if (known >= 0) {
            long[] stored = table.sleep(known);
            if (bounds.reduction() && !StateTable.containsAll(c.sleep(), stored)) {
                long[] diff = StateTable.filter(stored, c.sleep(), false);
                table.setSleep(known, StateTable.filter(stored, c.sleep(), true));
                if (table.expanded(known)) {
                    restricted.merge(known, diff, Search::union);
                    queue.add(~known);
                }
            }
            return known;
        }
        int id = table.add(r.high(), r.low(), parent, c.choice(), bounds.reduction() ? c.sleep() : new long[0]);
        nodeStates.add(r.nodes().high(), r.nodes().low());
        int d = table.depth(id);
        depth = Math.max(depth, d);
        if (table.size() >= bounds.maxStates()) {
            cutBy = "the state limit (" + bounds.maxStates() + ")";
        }
        if (r.broken() != null) {
            if (r.terminal()) {
                terminals++;
            }
            violation(r.broken(), table.pathTo(id));
            return id;
        }
        if (r.terminal()) {
            terminals++;
        }
        if (!r.hasChoices()) {
            return id;
        }
        if (d >= bounds.maxDepth()) {
            if (cutBy == null && !r.terminal()) {
                cutBy = "the depth limit (" + bounds.maxDepth() + ")";
                cutByDepth = true;
            }
            return id;
        }
        queue.add(id);
        return id;
    }

    private static long[] union(long[] a, long[] b) {
        return LongStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().sorted().toArray();
    }

    private void violation(World.Broken b, int[] path) {
        violations.add(new Violation(b.kind(), b.message(), expansion.texts(path), -1));
        log.info("Found a violation after [{}] step(s): [{}] [{}]", path.length, b.kind(), b.message());
        if (violations.size() >= bounds.maxViolations()) {
            cutBy = "the violation limit (" + bounds.maxViolations() + ")";
        }
    }

    /**
     * Saves, or tells why it could not and goes on: the search is worth more than the save (a full disk at the end
     * of a run of hours must not lose its result).
     */
    private void saveOrWarn(Path file) {
        try {
            save(file);
        } catch (UncheckedIOException e) {
            log.warn("Could not save checkpoint [{}]; the search goes on without it: {}", file, e.getMessage());
        }
    }

    /**
     * Saves what the search keeps to {@code file} (see {@link Checkpoints}).
     *
     * @throws UncheckedIOException if it cannot be written; the file is then as it was
     */
    private void save(Path file) {
        long t0 = System.currentTimeMillis();
        try (CheckpointFile.Out out = new CheckpointFile.Out(file)) {
            out.putString(FORMAT);
            out.putString(bounds.space());
            out.putLong(t0 - startMs);
            out.putLong(transitions);
            out.putLong(terminals);
            out.putInt(depth);
            table.write(out);
            nodeStates.write(out);
            queue.write(out, head);
            out.putInt(restricted.size());
            restricted.forEach((id, keys) -> {
                out.putInt(id);
                out.putInt(keys.length);
                out.putLongs(keys, 0, keys.length);
            });
            edgeFrom.write(out, 0);
            edgeTo.write(out, 0);
            out.putInt(violations.size());
            violations.forEach(v -> CheckpointValues.writeViolation(out, v));
            out.putInt(unmerged.size() - unmergedHead);
            for (Pending p : unmerged.subList(unmergedHead, unmerged.size())) {
                out.putInt(p.parent());
                CheckpointValues.writeChild(out, p.child());
            }
            out.commit();
        }
        lastSaveMs = System.currentTimeMillis();
        log.info("Saved checkpoint [{}]: [{}] states, [{}] queued, in [{}] ms", file, table.size(),
                queue.size() - head, lastSaveMs - t0);
    }

    /**
     * Resumes from the checkpoint {@code file}, after checking that it belongs to this model and these bounds.
     *
     * @throws Checkpoints.Unusable if it cannot be read, is damaged, or was written for another space
     */
    private void resume(Path file) {
        long elapsed;
        try (CheckpointFile.In in = new CheckpointFile.In(file)) {
            String format = in.getString();
            if (!format.equals(FORMAT)) {
                throw new Checkpoints.Unusable(file, "holds '" + format + "', this explorer reads '" + FORMAT
                        + "'");
            }
            String space = in.getString();
            if (!space.equals(bounds.space())) {
                throw new Checkpoints.Unusable(file, "written for other bounds (" + space + ") than these ("
                        + bounds.space() + "); resume with those, or start again with another file");
            }
            elapsed = in.getLong();
            transitions = in.getLong();
            terminals = in.getLong();
            depth = in.getInt();
            table = StateTable.read(in);
            nodeStates = FingerprintSet.read(in);
            queue = IntList.read(in);
            for (int i = 0, n = in.count(2 * Integer.BYTES); i < n; i++) {
                int id = in.getInt();
                long[] keys = new long[in.count(Long.BYTES)];
                in.getLongs(keys, keys.length);
                restricted.put(id, keys);
            }
            edgeFrom = IntList.read(in);
            edgeTo = IntList.read(in);
            for (int i = 0, n = in.count(4 * Integer.BYTES); i < n; i++) {
                violations.add(CheckpointValues.readViolation(in));
            }
            List<Pending> pending = new ArrayList<>();
            for (int i = 0, n = in.count(2 * Integer.BYTES); i < n; i++) {
                pending.add(new Pending(in.getInt(), CheckpointValues.readChild(in)));
            }
            in.expectEnd();
            unmerged = pending;
        }
        checkBelongs(file);
        startMs = runStartMs - elapsed;
        if (table.size() >= bounds.maxStates()) {
            cutBy = "the state limit (" + bounds.maxStates() + ")";
        }
        if (violations.size() >= bounds.maxViolations()) {
            cutBy = "the violation limit (" + bounds.maxViolations() + ")";
        }
        log.info("Resumed from checkpoint [{}]: [{}] states, [{}] queued, [{}] ms explored before", file,
                table.size(), queue.size(), elapsed);
    }

    /** Checks that the model's initial state, and the end of a sample of the table's paths, are as saved. */
    private void checkBelongs(Path file) {
        if (table.size() == 0) {
            return;
        }
        Expansion.Child root = expansion.initial();
        if (root.reached() == null || root.reached().high() != table.high(0) || root.reached().low() != table.low(0)) {
            throw new Checkpoints.Unusable(file, "written for another model: its initial state is not this"
                    + " model's");
        }
        for (int i = 1; i <= SAMPLES; i++) {
            int id = (int) ((long) (table.size() - 1) * i / SAMPLES);
            World.Fingerprint fp;
            try {
                fp = expansion.fingerprint(table.pathTo(id));
            } catch (RuntimeException e) {
                throw new Checkpoints.Unusable(file, "written for another model: replaying the path to state " + id
                        + " (depth " + table.depth(id) + ") failed (" + e + "); did the model's code change?", e);
            }
            if (fp.high() != table.high(id) || fp.low() != table.low(id)) {
                throw new Checkpoints.Unusable(file, "written for another model: state " + id + " (depth "
                        + table.depth(id) + ") replays to another state than the one saved; did the model's"
                        + " code change?");
            }
        }
    }

    /**
     * Stops the pool and waits for its threads to end: a pool that has terminated may still have threads finishing
     * their last lines, and the explorer promises none is left when it returns.
     */
    private static void stop(ExecutorService pool, List<Thread> workers) {
        pool.shutdownNow();
        List<Thread> threads;
        synchronized (workers) { // the pool makes no thread once shut down
            threads = List.copyOf(workers);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    log.warn("Explorer thread [{}] still running 30 s after the search ended", t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@code explorer-N}, each added to {@code created} (on the thread that starts it). */
    private static ThreadFactory daemons(List<Thread> created) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "explorer-" + n.incrementAndGet());
            t.setDaemon(true);
            synchronized (created) {
                created.add(t);
            }
            return t;
        };
    }
}
