package dev.chainkit.oplog.sync;

import dev.chainkit.core.time.Scheduler;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a server's store calls run and how their results come back to the node's thread.
 *
 * <p>A store that answers in microseconds from memory or a local file (the in-memory store, SQLite) can run on the
 * node's thread ({@link #onNodeThread}); one that waits for a network round trip (PostgreSQL) should run on a
 * store executor ({@link #offloaded}) so that the node's timers and other chains keep running meanwhile. Either
 * way a server answers a sync only once its ops are durable, and batches the appends of syncs that arrive while a
 * commit is under way into the next commit (see {@link OplogServer}).
 *
 * <p>Thread safety: immutable; the executors must be thread-safe.
 *
 * @param store runs store calls; one at a time is enough (the server never has two commits in flight)
 * @param nodeThread runs a task on the node's thread, after what the node already has to do: hands a commit's
 *     result back, and starts the next commit once the messages that arrived together were handled
 */
public record StoreExecution(Executor store, Executor nodeThread) {

    /** @throws NullPointerException if an argument is null */
    public StoreExecution {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(nodeThread, "nodeThread");
    }

    /**
     * Store calls on the node's thread, at the end of the current instant (a {@code schedule(0, ...)} of the node's
     * scheduler), so the syncs of one instant share a commit. Right for the simulator and for stores that do not
     * block long.
     *
     * @param scheduler the node's scheduler
     * @return the execution
     * @throws NullPointerException if {@code scheduler} is null
     */
    public static StoreExecution onNodeThread(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return new StoreExecution(Runnable::run, task -> scheduler.schedule(0, task));
    }

    /**
     * Store calls on {@code store}, results handed back through {@code nodeThread}.
     *
     * @param store runs store calls, for instance a single-thread executor per server
     * @param nodeThread runs a task on the node's thread (the node runtime's executor); callable from any thread
     * @return the execution
     * @throws NullPointerException if an argument is null
     */
    public static StoreExecution offloaded(Executor store, Executor nodeThread) {
        return new StoreExecution(store, nodeThread);
    }
}
