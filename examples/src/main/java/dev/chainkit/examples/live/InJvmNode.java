package dev.chainkit.examples.live;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * One start of a node in the runner's own JVM ({@code chainsim live --in-process}): the same {@link LiveNode} as in
 * a node process, on its own threads and real sockets, spoken to directly. A crash is {@link LiveNode#crash}: the
 * node falls silent and stops at once with what its store committed (its links were cut first, so its peers see
 * the connection drop as they would after a SIGKILL), which is as close as one JVM comes to killing a process.
 *
 * <p>Thread safety: thread-safe; {@link #awaitReady} starts the node on the calling thread.
 */
final class InJvmNode implements NodeConnection {

    private final NodeSpec spec;
    private final NodeObserver observer;
    private volatile LiveNode node;
    private volatile boolean killed;

    InJvmNode(NodeSpec spec, NodeObserver observer) {
        this.spec = spec;
        this.observer = observer;
    }

    @Override
    public synchronized void awaitReady(long timeoutNs) {
        if (node != null) {
            return;
        }
        if (killed) {
            throw gone("it crashed before it started");
        }
        LiveNode started;
        try {
            started = LiveNode.start(spec, observer);
        } catch (RuntimeException e) {
            throw new LiveRunException("node " + spec.node() + " did not start: " + e.getMessage(), e);
        }
        node = started;
        if (killed) {
            started.crash();
            throw gone("it crashed while it started");
        }
    }

    @Override
    public int port() {
        return live().port();
    }

    @Override
    public List<LiveNode.OpResult> submit(List<LiveNode.OpRequest> ops) {
        return call(() -> live().submit(ops));
    }

    @Override
    public LiveNode.Status status() {
        return call(() -> live().status());
    }

    @Override
    public LiveNode.Snapshot snapshot() {
        return call(() -> live().snapshot());
    }

    private <T> T call(Supplier<T> what) {
        try {
            return what.get();
        } catch (CompletionException | RejectedExecutionException | IllegalStateException e) {
            throw gone(e.toString());
        }
    }

    private LiveNode live() {
        LiveNode n = node;
        if (n == null || killed) {
            throw gone(killed ? "it crashed" : "it has not started");
        }
        return n;
    }

    private LiveRunException gone(String why) {
        return new LiveRunException("node " + spec.node() + " is gone: " + why);
    }

    @Override
    public void kill() {
        LiveNode n;
        synchronized (this) {
            if (killed) {
                return;
            }
            killed = true;
            n = node;
        }
        if (n != null) {
            n.crash();
        }
    }

    @Override
    public void awaitGone() {
        // kill() returns once the node has closed its store
    }

    @Override
    public void stop() {
        LiveNode n = node;
        if (n != null && !killed) {
            n.close();
        }
    }

    @Override
    public String where() {
        return "in this JVM";
    }
}
