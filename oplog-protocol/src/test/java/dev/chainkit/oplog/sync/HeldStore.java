package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.tournament.TournamentOp;
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
        commits.addAll(appends);
        return inner.commit(appends);
    }
}
