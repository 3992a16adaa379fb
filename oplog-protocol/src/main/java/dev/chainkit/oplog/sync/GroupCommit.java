package dev.chainkit.oplog.sync;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one log's finalized ops durable, in order, with at most one commit in flight: the ops finalized while a
 * commit is under way are staged and go together in the next one (group commit). Answers wait on {@link #durable}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Order.</b> The server appends to its in-memory log first and stages the ops here; the staged ops are
 *   always the tail of the in-memory log after the durable prefix and the batch in flight. A commit appends at the
 *   durable size it knows, so batches land in log order, and a waiter for size {@code n} is released only when the
 *   durable prefix reaches {@code n}: an answer never overtakes the ops it confirms, nor the ops before them.</li>
 *   <li><b>When a commit starts.</b> The first op staged while nothing is in flight asks for a flush through the
 *   node-thread executor, which runs it after what the node already has to do, so the messages that arrived
 *   together are handled (and staged) first. A commit that completes starts the next one at once with whatever
 *   was staged meanwhile: under load, every commit carries all the syncs that arrived during the previous one.</li>
 *   <li><b>Failure.</b> A commit that throws or meets a conflict makes nothing durable; the store is read back (on
 *   the store executor) so the server learns what the log really is (a lost connection may have committed after
 *   all, and another writer may have appended), the staged ops are discarded (they were built on the failed
 *   batch) and every waiter is failed; the server then rolls its memory back to that log.</li>
 *   <li><b>Threads.</b> Everything here runs on the node's thread except the store calls, which run on the
 *   execution's store executor; their results come back through its node-thread executor.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the server's node thread.
 */
final class GroupCommit<P> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** What the server learns from a commit, on its node thread. */
    interface Listener<P> {

        /**
         * {@code batch} is durable; its waiters were released just before.
         *
         * @param latencyNs from the start of the commit to this call, in nanoseconds
         */
        void committed(LogAppend<P> batch, long latencyNs);

        /**
         * A commit failed; its waiters were failed just before.
         *
         * @param reloaded the log as the store holds it now, or null if it could not be read
         * @param why what went wrong, for people
         */
        void failed(StoredLog<P> reloaded, String why);
    }

    private record Waiter(int size, CompletableFuture<Void> durable) {
    }

    private final ServerStore<P> store;
    private final StoreExecution execution;
    private final NanoClock clock;
    private final String logId;
    private final Listener<P> listener;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    private int durableSize;
    private boolean inFlight;
    private boolean flushRequested;
    private Vector<Operation<P>> staged = Vector.empty();
    private Map<NodeId, Integer> stagedCursors = HashMap.empty();
    private Map<NodeId, Option<Role>> stagedMembers = HashMap.empty();
    private long commits;
    private long startedNs;

    GroupCommit(ServerStore<P> store, StoreExecution execution, NanoClock clock, String logId, int durableSize,
            Listener<P> listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.execution = Objects.requireNonNull(execution, "execution");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logId = Objects.requireNonNull(logId, "logId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.durableSize = durableSize;
    }

    /** How many ops of the log are durable. */
    int durableSize() {
        return durableSize;
    }

    /** How many commits succeeded so far. */
    long commits() {
        return commits;
    }

    /** Whether nothing is staged or in flight. */
    boolean idle() {
        return !inFlight && nothingStaged();
    }

    /** Writes what is being committed, for a model checker (see {@code HostedLog.digest}). */
    void digest(StateSink sink) {
        sink.putInt(durableSize).putBoolean(inFlight).putBoolean(flushRequested).putInt(waiters.size());
        for (Waiter w : waiters) {
            sink.putInt(w.size());
        }
        StateDigests.putOps(sink, staged);
        StateDigests.putByNode(sink, stagedCursors.toJavaMap());
        StateDigests.putByNode(sink, stagedMembers.toJavaMap());
    }

    private boolean nothingStaged() {
        return staged.isEmpty() && stagedCursors.isEmpty() && stagedMembers.isEmpty();
    }

    /** Stages ops finalized at the end of the in-memory log. */
    void append(Vector<Operation<P>> ops) {
        if (!ops.isEmpty()) {
            staged = staged.appendAll(ops);
            requestFlush();
        }
    }

    /** Stages a cursor move; it commits with the next batch. */
    void moveCursor(NodeId client, int position) {
        stagedCursors = stagedCursors.put(client, position);
        requestFlush();
    }

    /** Stages a member registry change ({@code None}: the node leaves); it commits with the next batch. */
    void changeMember(NodeId node, Option<Role> role) {
        stagedMembers = stagedMembers.put(node, role);
        requestFlush();
    }

    /**
     * A stage that completes, on the node's thread, once the first {@code size} ops of the log are durable (at once
     * if they are), or completes exceptionally if a commit fails first.
     */
    CompletableFuture<Void> durable(int size) {
        if (size <= durableSize) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiters.add(new Waiter(size, future));
        return future;
    }

    private void requestFlush() {
        if (!flushRequested && !inFlight) {
            flushRequested = true;
            execution.nodeThread().execute(this::flush);
        }
    }

    private void flush() {
        flushRequested = false;
        if (inFlight || nothingStaged()) {
            return;
        }
        LogAppend<P> batch = new LogAppend<>(logId, durableSize, staged, stagedCursors, stagedMembers);
        staged = Vector.empty();
        stagedCursors = HashMap.empty();
        stagedMembers = HashMap.empty();
        inFlight = true;
        startedNs = clock.nanoTime();
        try {
            execution.store().execute(() -> run(batch));
        } catch (RuntimeException e) { // the store executor refused the task (shut down)
            done(batch, Optional.empty(), e, null);
        }
    }

    /** On the store executor: the commit, and on failure a read-back of what the store holds. */
    private void run(LogAppend<P> batch) {
        Optional<AppendConflict> conflict = Optional.empty();
        RuntimeException error = null;
        StoredLog<P> reloaded = null;
        try {
            conflict = store.commit(List.of(batch));
        } catch (RuntimeException e) {
            error = e;
        }
        if (error != null || conflict.isPresent()) {
            try {
                reloaded = store.load(logId).orElse(null);
            } catch (RuntimeException e) {
                if (error != null) {
                    error.addSuppressed(e);
                }
            }
        }
        Optional<AppendConflict> c = conflict;
        RuntimeException err = error;
        StoredLog<P> r = reloaded;
        try {
            execution.nodeThread().execute(() -> done(batch, c, err, r));
        } catch (RuntimeException e) { // the node is closed: nobody is waiting for the answers any more
            log.debug("Commit of [{}] is {}, but its node takes no more tasks: {}", batch,
                    err == null && c.isEmpty() ? "durable" : "lost", e.toString());
        }
    }

    private void done(LogAppend<P> batch, Optional<AppendConflict> conflict, RuntimeException error,
            StoredLog<P> reloaded) {
        inFlight = false;
        // a commit that threw may still have landed (the connection broke after the database committed)
        boolean landedAnyway = error != null && reloaded != null && reloaded.log().size() == batch.sizeAfter()
                && (batch.ops().isEmpty() || reloaded.log().last().equals(batch.ops().last()));
        if (error == null && conflict.isEmpty() || landedAnyway) {
            durableSize = batch.sizeAfter();
            commits++;
            while (!waiters.isEmpty() && waiters.peekFirst().size() <= durableSize) {
                waiters.pollFirst().durable().complete(null);
            }
            listener.committed(batch, clock.nanoTime() - startedNs);
            flush();
            return;
        }
        staged = Vector.empty();
        stagedCursors = HashMap.empty();
        stagedMembers = HashMap.empty();
        String why = conflict.map(Object::toString).orElseGet(() -> String.valueOf(error));
        if (reloaded != null) {
            durableSize = reloaded.log().size();
        }
        IllegalStateException failure = new IllegalStateException("commit of " + batch + " failed: " + why, error);
        while (!waiters.isEmpty()) {
            waiters.pollFirst().durable().completeExceptionally(failure);
        }
        listener.failed(reloaded, why);
    }
}
