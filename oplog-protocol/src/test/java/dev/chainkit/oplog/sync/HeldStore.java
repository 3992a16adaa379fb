package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.Vector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A server store whose commits the test holds and releases: the store executor queues each task until the test runs
 * it, each commit is recorded, and a commit can be made to fail. Single-threaded like the simulator.
 */
final class HeldStore implements ServerStore<TournamentOp> {

    private final ServerStore<TournamentOp> inner;
    final ArrayDeque<Runnable> held = new ArrayDeque<>();
    final List<LogAppend<TournamentOp>> commits = new ArrayList<>();
    boolean failNext;
    /** The next commit lands, then throws as a broken connection would. */
    boolean failAfterNext;
    /** Ops another server appends just before the next commit. */
    Vector<Operation<TournamentOp>> foreignOps = Vector.empty();

    HeldStore(ServerStore<TournamentOp> inner) {
        this.inner = inner;
    }

    /** The store executor: holds every task until {@link #release}. */
    Executor executor() {
        return held::add;
    }

    /** Runs the held store tasks (the commits in flight); returns how many. */
    int release() {
        int n = 0;
        while (!held.isEmpty()) {
            held.poll().run();
            n++;
        }
        return n;
    }

    @Override
    public Optional<StoredLog<TournamentOp>> load(String logId) {
        return inner.load(logId);
    }

    @Override
    public Optional<AppendConflict> commit(List<LogAppend<TournamentOp>> appends) {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("disk full (planted by the test)");
        }
        if (!foreignOps.isEmpty()) { // another server appends first
            StoredLog<TournamentOp> now = inner.load(appends.get(0).logId()).orElseThrow();
            inner.commit(List.of(LogAppend.of(now.logId(), now.log().size(), foreignOps)));
            foreignOps = Vector.empty();
        }
        commits.addAll(appends);
        Optional<AppendConflict> result = inner.commit(appends);
        if (failAfterNext) {
            failAfterNext = false;
            throw new IllegalStateException("connection lost after the commit (planted by the test)");
        }
        return result;
    }
}
