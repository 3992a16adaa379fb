package dev.chainkit.sim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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

    private final ExploreBounds bounds;
    private final Explorer.Progress progress;
    private final Expansion<A, W> expansion;
    private final StateTable table = new StateTable();
    private final FingerprintSet nodeStates = new FingerprintSet();
    /** Queued states: an id to expand, or {@code ~id} to expand again for the keys in {@link #restricted}. */
    private final IntList queue = new IntList();
    private final Map<Integer, long[]> restricted = new HashMap<>();
    private final IntList edgeFrom = new IntList();
    private final IntList edgeTo = new IntList();
    private final List<Violation> violations = new ArrayList<>();
    private final long startMs = System.currentTimeMillis();
    private int head;
    private long transitions;
    private long terminals;
    private int depth;
    private String cutBy;
    private boolean cutByDepth;
    private long lastProgressMs = startMs;

    Search(ExploreModel<A, W> model, ExploreBounds bounds, Explorer.Progress progress) {
        this.bounds = bounds;
        this.progress = progress;
        this.expansion = new Expansion<>(model, bounds);
    }

    ExploreResult run() {
        Expansion.Child root = expansion.initial();
        if (root.applyBroken() != null) {
            violations.add(new Violation(root.applyBroken().kind(), root.applyBroken().message(), List.of(), -1));
        } else {
            add(root, -1);
        }
        List<Thread> workers = new ArrayList<>();
        ExecutorService pool = bounds.threads() > 1 ? Executors.newFixedThreadPool(bounds.threads(),
                daemons(workers)) : null;
        try {
            while (head < queue.size() && cutBy == null) {
                batch(pool);
                long now = System.currentTimeMillis();
                if (now - lastProgressMs >= PROGRESS_EVERY_MS) {
                    lastProgressMs = now;
                    progress.update(table.size(), transitions, depth, queue.size() - head, now - startMs);
                }
            }
        } finally {
            if (pool != null) {
                stop(pool, workers);
            }
        }
        if (violations.size() < bounds.maxViolations()) {
            Cycles<A, W> cycles = new Cycles<>(table, edgeFrom, edgeTo, expansion);
            if (cutBy == null) {
                cycles.find().ifPresent(violations::add);
            } else if (cutByDepth) {
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
        for (int k = 0; k < tasks.size() && cutBy == null; k++) {
            for (Expansion.Child c : results.get(k)) {
                if (cutBy != null) {
                    break;
                }
                merge(tasks.get(k).id(), c);
            }
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
