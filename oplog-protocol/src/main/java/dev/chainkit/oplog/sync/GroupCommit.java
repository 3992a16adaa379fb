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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one log's finalized ops durable, in order, with at most one store call in flight: the ops finalized while a
 * commit is under way are staged and go together in the next one (group commit). Answers wait on {@link #durable}.
 * On a shared store it also reads the log's tail when asked ({@link #refresh}), between commits.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Order.</b> The server appends to its in-memory log first and stages the ops here; the staged ops are
 *   always the tail of the in-memory log after the durable prefix and the batch in flight. A commit appends at the
 *   durable size it knows, so batches land in log order, and a waiter for size {@code n} is released only when the
 *   durable prefix reaches {@code n}: an answer never overtakes the ops it confirms, nor the ops before them.</li>
 *   <li><b>When a store call starts.</b> The first change staged while nothing is in flight asks for a flush through
 *   the node-thread executor, which runs it after what the node already has to do, so the messages that arrived
 *   together are handled (and staged) first. A call that completes starts the next one at once with whatever was
 *   staged meanwhile: under load, every commit carries all the syncs that arrived during the previous one. A tail
 *   read that is owed goes first: when the store moved, the staged ops are stale and need not be tried.</li>
 *   <li><b>The store moved.</b> A commit that meets a conflict (another server appended first), or a tail read that
 *   finds ops beyond the durable size, means the ops in memory after the durable prefix were built on a log that
 *   is not the store's: they are lost (discarded, never durable), and the server is told, with the tail, before
 *   their waiters are failed, so it can answer those syncs "sync failed, new operations available" (the waiters'
 *   own answers then come too late and are dropped). The cursor moves, member changes, servers and sync marks of
 *   the lost batch are facts that do not depend on its ops: they are staged again (cursors pulled inside the new
 *   log).</li>
 *   <li><b>Sync marks</b> are waited for by commit, not by log size: a mark may commit without ops ({@link #mark}),
 *   and its waiter is released by the commit that carries it, or, if that commit lost the race, by the next
 *   one; if the store holds the member's mark as new or newer ({@link AppendConflict.MarkTaken}: another server
 *   took up that chain first), the mark is not staged again and its waiter fails ({@link LostRace}).</li>
 *   <li><b>Failure.</b> A commit that throws makes nothing durable, unless the read-back (on the store executor)
 *   shows its ops where it put them (a lost connection may have committed after all). Otherwise staged ops and
 *   changes are discarded and every waiter is failed, and the server is told what the store holds, if it could be
 *   read.</li>
 *   <li><b>Threads.</b> Everything here runs on the node's thread except the store calls, which run on the
 *   execution's store executor; their results come back through its node-thread executor.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the server's node thread.
 */
final class GroupCommit<P> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Why the server is told what the store holds. */
    enum Reload {
        /** A tail read it asked for ({@link #refresh}). */
        REFRESH,
        /** A commit met a conflict: another writer appended first. */
        CONFLICT,
        /** A commit threw; the store was read back. */
        ERROR
    }

    /** What the server learns from the store, on its node thread. */
    interface Listener<P> {

        /**
         * {@code batch} is durable; its waiters were released just before.
         *
         * @param latencyNs from the start of the commit to this call, in nanoseconds
         */
        void committed(LogAppend<P> batch, long latencyNs);

        /**
         * The store holds {@code tail} after the durable size known before ({@code tail.from()}); the durable size
         * is {@code tail.size()} now. Called before the waiters of {@code lost} ops are failed.
         *
         * @param tail what the store holds after the old durable size
         * @param lost the ops of the in-memory log after the old durable size that will never be durable as they
         *     are (the failed batch and the staged ops), in log order; empty if none
         * @param why what was going on
         */
        void reloaded(LogTail<P> tail, Vector<Operation<P>> lost, Reload why);

        /**
         * A commit failed and the store could not be read back: the durable size is unchanged, every op after it in
         * memory is lost. Called before their waiters are failed.
         *
         * @param why what went wrong, for people
         */
        void failed(String why);
    }

    private record Waiter(int size, CompletableFuture<Void> durable) {
    }

    private record MarkWaiter(NodeId member, SyncMark mark, CompletableFuture<Void> durable) {
    }

    /**
     * How a {@link #durable} stage fails when its ops were lost to another writer's append: the store is fine, the
     * log is what it holds now.
     */
    static final class LostRace extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        LostRace(String why) {
            super(why);
        }
    }

    private final ServerStore<P> store;
    private final StoreExecution execution;
    private final NanoClock clock;
    private final String logId;
    private final Listener<P> listener;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Waiting for a tail read that starts after they asked. */
    private List<CompletableFuture<Void>> nextRefresh = new ArrayList<>();
    /** Waiting for the tail read in flight. */
    private List<CompletableFuture<Void>> runningRefresh = new ArrayList<>();

    private int durableSize;
    /** The sync marks the store holds, as far as this server knows. */
    private Map<NodeId, SyncMark> durableMarks;
    private boolean inFlight;
    private boolean flushRequested;
    private boolean refreshOwed;
    private Vector<Operation<P>> staged = Vector.empty();
    private Map<NodeId, Integer> stagedCursors = HashMap.empty();
    private Map<NodeId, Option<Role>> stagedMembers = HashMap.empty();
    private Map<NodeId, NodeId> stagedServedBy = HashMap.empty();
    /** The staged sync marks, each with its waiter (the next batch carries the newest of each member). */
    private List<MarkWaiter> markWaiters = new ArrayList<>();
    /** Waiting for the sync marks of the batch in flight to be durable. */
    private List<MarkWaiter> batchMarkWaiters = new ArrayList<>();
    private long commits;
    private long startedNs;

    GroupCommit(ServerStore<P> store, StoreExecution execution, NanoClock clock, String logId, int durableSize,
            Map<NodeId, SyncMark> durableMarks, Listener<P> listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.execution = Objects.requireNonNull(execution, "execution");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logId = Objects.requireNonNull(logId, "logId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.durableSize = durableSize;
        this.durableMarks = Objects.requireNonNull(durableMarks, "durableMarks");
    }

    /** How many ops of the log are durable. */
    int durableSize() {
        return durableSize;
    }

    /** Whether the store holds {@code mark}, or a newer one, as {@code member}'s sync mark. */
    boolean markDurable(NodeId member, SyncMark mark) {
        return durableMarks.get(member).exists(m -> m.compareTo(mark) >= 0);
    }

    /** How many commits succeeded so far. */
    long commits() {
        return commits;
    }

    /** Whether nothing is staged, owed or in flight. */
    boolean idle() {
        return !inFlight && !refreshOwed && nothingStaged();
    }

    /** Writes what is being committed, for a model checker (see {@code HostedLog.digest}). */
    void digest(StateSink sink) {
        sink.putInt(durableSize).putBoolean(inFlight).putBoolean(flushRequested).putInt(waiters.size());
        StateDigests.putMarks(sink, durableMarks.toJavaMap());
        for (Waiter w : waiters) {
            sink.putInt(w.size());
        }
        StateDigests.putOps(sink, staged);
        StateDigests.putByNode(sink, stagedCursors.toJavaMap());
        StateDigests.putByNode(sink, stagedMembers.toJavaMap());
        StateDigests.putMarks(sink, stagedMarks().toJavaMap());
        sink.putInt(markWaiters.size()).putInt(batchMarkWaiters.size());
    }

    private boolean nothingStaged() {
        return staged.isEmpty() && stagedCursors.isEmpty() && stagedMembers.isEmpty() && stagedServedBy.isEmpty()
                && markWaiters.isEmpty();
    }

    /** The newest staged sync mark of each member. */
    private Map<NodeId, SyncMark> stagedMarks() {
        Map<NodeId, SyncMark> marks = HashMap.empty();
        for (MarkWaiter w : markWaiters) {
            marks = marks.put(w.member(), w.mark(), SyncMark::newer);
        }
        return marks;
    }

    /** The member changes staged and not yet committed: they go over what the store says. */
    Map<NodeId, Option<Role>> stagedMembers() {
        return stagedMembers;
    }

    /** The changes of which server serves a client staged and not yet committed. */
    Map<NodeId, NodeId> stagedServedBy() {
        return stagedServedBy;
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
        stagedCursors = stagedCursors.put(client, Math.max(position, stagedCursors.get(client).getOrElse(0)));
        requestFlush();
    }

    /** Stages a member registry change ({@code None}: the node leaves); it commits with the next batch. */
    void changeMember(NodeId node, Option<Role> role) {
        stagedMembers = stagedMembers.put(node, role);
        requestFlush();
    }

    /** Stages that {@code server} serves {@code client} from now on; it commits with the next batch. */
    void serve(NodeId client, NodeId server) {
        stagedServedBy = stagedServedBy.put(client, server);
        requestFlush();
    }

    /**
     * Stages {@code member}'s sync mark (a newer one staged already stays); it commits with the next batch.
     *
     * @return a stage that completes on the node's thread once the mark is durable, or completes exceptionally if
     *     the commit that carried it failed
     */
    CompletableFuture<Void> mark(NodeId member, SyncMark mark) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        markWaiters.add(new MarkWaiter(member, mark, durable));
        requestFlush();
        return durable;
    }

    /**
     * Asks for a read of the log's tail, started after this call (after the store call in flight, if any); the
     * server hears it through {@link Listener#reloaded} with {@link Reload#REFRESH}.
     *
     * @return a stage that completes on the node's thread once that read was handed to the server (exceptionally
     *     if it failed)
     */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        nextRefresh.add(done);
        refreshOwed = true;
        requestFlush();
        return done;
    }

    /**
     * A stage that completes, on the node's thread, once the first {@code size} ops of the log are durable (at once
     * if they are), or completes exceptionally if they are lost first.
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
        if (inFlight) {
            return;
        }
        if (refreshOwed) {
            startRefresh();
        } else if (!nothingStaged()) {
            startCommit();
        }
    }

    private void startCommit() {
        LogAppend<P> batch = new LogAppend<>(logId, durableSize, staged, stagedCursors, stagedMembers,
                stagedServedBy, stagedMarks());
        staged = Vector.empty();
        stagedCursors = HashMap.empty();
        stagedMembers = HashMap.empty();
        stagedServedBy = HashMap.empty();
        batchMarkWaiters = markWaiters;
        markWaiters = new ArrayList<>();
        inFlight = true;
        startedNs = clock.nanoTime();
        try {
            execution.store().execute(() -> runCommit(batch));
        } catch (RuntimeException e) { // the store executor refused the task (shut down)
            done(batch, Optional.empty(), e, null);
        }
    }

    private void startRefresh() {
        refreshOwed = false;
        runningRefresh = nextRefresh;
        nextRefresh = new ArrayList<>();
        inFlight = true;
        int from = durableSize;
        try {
            execution.store().execute(() -> {
                LogTail<P> tail = null;
                RuntimeException error = null;
                try {
                    tail = store.tail(logId, from).orElse(null);
                } catch (RuntimeException e) {
                    error = e;
                }
                LogTail<P> t = tail;
                RuntimeException err = error;
                handBack(() -> refreshed(from, t, err), () -> "a tail read of log " + logId);
            });
        } catch (RuntimeException e) {
            refreshed(from, null, e);
        }
    }

    /** On the store executor: the commit, and on failure a read-back of what the store holds after it. */
    private void runCommit(LogAppend<P> batch) {
        Optional<AppendConflict> conflict = Optional.empty();
        RuntimeException error = null;
        LogTail<P> reloaded = null;
        try {
            conflict = store.commit(List.of(batch));
        } catch (RuntimeException e) {
            error = e;
        }
        if (error != null || conflict.isPresent()) {
            try {
                reloaded = store.tail(logId, batch.expectedSize()).orElse(null);
            } catch (RuntimeException e) {
                if (error != null) {
                    error.addSuppressed(e);
                }
            }
        }
        Optional<AppendConflict> c = conflict;
        RuntimeException err = error;
        LogTail<P> r = reloaded;
        handBack(() -> done(batch, c, err, r), () -> "commit of " + batch);
    }

    /** Runs {@code result} on the node's thread; {@code what} (built only if needed) names it in the log. */
    private void handBack(Runnable result, Supplier<String> what) {
        try {
            execution.nodeThread().execute(result);
        } catch (RuntimeException e) { // the node is closed: nobody is waiting for the answers any more
            log.debug("The result of {} has no node to go to: {}", what.get(), e.toString());
        }
    }

    private void refreshed(int from, LogTail<P> tail, RuntimeException error) {
        inFlight = false;
        List<CompletableFuture<Void>> asked = runningRefresh;
        runningRefresh = new ArrayList<>();
        if (tail == null) {
            String why = error != null ? error.toString() : "log " + logId + " is not in " + store;
            log.warn("Reading the tail of log [{}] from [{}] failed: {}", logId, from, why);
            IllegalStateException failure = new IllegalStateException("cannot read log " + logId + ": " + why,
                    error);
            asked.forEach(f -> f.completeExceptionally(failure));
        } else {
            Vector<Operation<P>> lost = tail.ops().isEmpty() ? Vector.empty() : staged;
            if (!tail.ops().isEmpty()) {
                staged = Vector.empty(); // built on a log that is not the store's
                durableSize = tail.size();
            }
            durableMarks = durableMarks.merge(tail.syncMarks(), SyncMark::newer);
            listener.reloaded(tail, lost, Reload.REFRESH);
            if (!tail.ops().isEmpty()) {
                failWaiters(new LostRace("the store moved under ops that were not yet durable"));
            }
            asked.forEach(f -> f.complete(null));
        }
        flush();
    }

    private void done(LogAppend<P> batch, Optional<AppendConflict> conflict, RuntimeException error,
            LogTail<P> reloaded) {
        inFlight = false;
        // a commit that threw may still have landed (the connection broke after the database committed)
        boolean landedAnyway = error != null && reloaded != null && !batch.ops().isEmpty()
                && reloaded.ops().size() >= batch.ops().size()
                && reloaded.ops().take(batch.ops().size()).equals(batch.ops());
        if (error == null && conflict.isEmpty() || landedAnyway) {
            durableSize = batch.sizeAfter();
            durableMarks = durableMarks.merge(batch.syncMarks(), SyncMark::newer);
            commits++;
            while (!waiters.isEmpty() && waiters.peekFirst().size() <= durableSize) {
                waiters.pollFirst().durable().complete(null);
            }
            List<MarkWaiter> marked = batchMarkWaiters;
            batchMarkWaiters = new ArrayList<>();
            marked.forEach(w -> w.durable().complete(null));
            listener.committed(batch, clock.nanoTime() - startedNs);
            if (landedAnyway && reloaded.size() > durableSize) {
                refreshOwed = true; // another writer appended after it
            }
            flush();
            return;
        }
        Vector<Operation<P>> lost = batch.ops().appendAll(staged);
        staged = Vector.empty();
        String why = conflict.map(Object::toString).orElseGet(() -> String.valueOf(error));
        if (conflict.isPresent() && reloaded != null) {
            List<MarkWaiter> taken = restage(batch, reloaded);
            durableSize = reloaded.size();
            durableMarks = durableMarks.merge(reloaded.syncMarks(), SyncMark::newer);
            listener.reloaded(reloaded, lost, Reload.CONFLICT);
            failWaiters(new LostRace("lost the append race: " + why));
            LostRace takenElsewhere = new LostRace("another server took up the sync chain, or a newer one of its "
                    + "member, first");
            taken.forEach(w -> w.durable().completeExceptionally(takenElsewhere));
            flush();
            return;
        }
        stagedCursors = HashMap.empty();
        stagedMembers = HashMap.empty();
        stagedServedBy = HashMap.empty();
        if (reloaded != null) {
            durableSize = reloaded.size();
            durableMarks = durableMarks.merge(reloaded.syncMarks(), SyncMark::newer);
            listener.reloaded(reloaded, lost, Reload.ERROR);
        } else {
            listener.failed(why);
        }
        IllegalStateException failure = new IllegalStateException("commit of " + batch + " failed: " + why);
        failWaiters(failure);
        failMarkWaiters(failure);
    }

    /**
     * Stages again the parts of a batch that lost the race that do not depend on its ops, under what was staged
     * since (newer): cursors pulled inside the {@code reloaded} log, members, servers, and the sync marks newer than
     * the store's (whose waiters then wait for the next commit).
     *
     * @return the waiters of the marks the store holds as new or newer: their chains were taken up by another server
     */
    private List<MarkWaiter> restage(LogAppend<P> batch, LogTail<P> reloaded) {
        int size = reloaded.size();
        Map<NodeId, Integer> cursors = batch.cursors().mapValues(p -> Math.min(p, size - 1));
        stagedCursors = cursors.merge(stagedCursors, Math::max);
        stagedMembers = batch.members().merge(stagedMembers, (old, now) -> now);
        stagedServedBy = batch.servedBy().merge(stagedServedBy, (old, now) -> now);
        List<MarkWaiter> all = batchMarkWaiters;
        all.addAll(markWaiters);
        batchMarkWaiters = new ArrayList<>();
        markWaiters = new ArrayList<>();
        List<MarkWaiter> taken = new ArrayList<>();
        for (MarkWaiter w : all) {
            boolean takenElsewhere = reloaded.syncMarks().get(w.member())
                    .exists(stored -> stored.compareTo(w.mark()) >= 0);
            (takenElsewhere ? taken : markWaiters).add(w);
        }
        return taken;
    }

    /**
     * Fails every waiter: each waits for ops of the in-memory log after the old durable size, which are lost (even
     * where the store now holds as many ops: they are another writer's).
     */
    private void failWaiters(IllegalStateException failure) {
        while (!waiters.isEmpty()) {
            waiters.pollFirst().durable().completeExceptionally(failure);
        }
    }

    /** Fails the waiters of the sync marks in flight and staged: a commit failed, and the staged marks are dropped. */
    private void failMarkWaiters(IllegalStateException failure) {
        List<MarkWaiter> failed = batchMarkWaiters;
        failed.addAll(markWaiters);
        batchMarkWaiters = new ArrayList<>();
        markWaiters = new ArrayList<>();
        failed.forEach(w -> w.durable().completeExceptionally(failure));
    }
}
