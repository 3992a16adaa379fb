package dev.chainkit.examples.live;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * One node of the scenario across its whole run, as the runner drives it: started, crashed, restarted, told to make
 * ops, asked whether it is idle. Each start is a {@link NodeConnection}; a restart is a new one on the same store.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>A lane per node.</b> Starting a node takes real time (a JVM, a store), and the scenario's clock does not
 *   wait for it. So the timeline hands each node's starts and op batches to the node's own lane (one thread, in
 *   order) and moves on: ops made for a node that is still starting are made once it is up, in order, never lost
 *   and never reordered. A crash does not wait in the lane: it kills the node at its time, also one that is still
 *   starting.</li>
 *   <li><b>Up is what the scenario says.</b> {@code crash} makes the node down at once; {@code restart} makes it up
 *   at once and starts it in the lane. An op for a node that is down is refused on the spot ("node is down"), as in
 *   the simulator; so is one whose node crashed before its lane could hand the op over.</li>
 *   <li><b>Trouble.</b> A node that dies, fails to start or stops answering while the scenario has it up is not a
 *   scenario event but a broken run: it is reported to the run ({@code trouble}), which stops and says so.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe.
 */
final class NodeHandle {

    /** How long a node may take to start, in nanoseconds (a JVM on a busy machine, a store to reopen). */
    static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final String name;
    private final BiFunction<NodeSpec, NodeObserver, NodeConnection> launcher;
    private final NodeObserver observer;
    private final Consumer<String> trouble;
    private final ExecutorService lane;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile NodeSpec spec;
    private volatile NodeConnection current;
    private volatile boolean up;

    /**
     * @param spec what the node starts from
     * @param launcher starts one connection of a node (a process, or a node in this JVM)
     * @param observer where the node's events and records go
     * @param trouble told when the node breaks while the scenario has it up
     */
    NodeHandle(NodeSpec spec, BiFunction<NodeSpec, NodeObserver, NodeConnection> launcher, NodeObserver observer,
            Consumer<String> trouble) {
        this.name = spec.node();
        this.spec = spec;
        this.launcher = launcher;
        this.observer = observer;
        this.trouble = trouble;
        this.lane = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chainsim-live-lane-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The node's name. */
    String name() {
        return name;
    }

    /** Whether the scenario has the node up. */
    boolean isUp() {
        return up;
    }

    /** Whether the lane has work left (a start, a batch of ops). */
    boolean busy() {
        return queued.get() != 0;
    }

    /** Starts the node (first start or restart) in its lane; up from now on. */
    void start() {
        up = true;
        starts.incrementAndGet();
        enqueue(() -> {
            try {
                NodeConnection c;
                synchronized (this) {
                    if (!up) {
                        return; // crashed before it could start
                    }
                    c = launcher.apply(spec, observer);
                    current = c;
                }
                try {
                    c.awaitReady(START_TIMEOUT_NS);
                    if (spec.isServer() && spec.listenPort() == 0) {
                        spec = spec.withListenPort(c.port()); // a restart listens where the proxies relay to
                    }
                } catch (LiveRunException e) {
                    troubleIfUp(c, "node " + name + " did not start: " + e.getMessage());
                }
            } finally {
                starts.decrementAndGet();
            }
        });
    }

    /** Waits until the lane has done what it was given, at most {@code timeoutNs}. */
    boolean awaitLane(long timeoutNs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (busy()) {
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Crashes the node now (down from now on); its lane then waits until the node is gone. Ops handed to a running
     * node before the crash are made first (at most {@link ChildNode#ANSWER_TIMEOUT_NS} is waited for them): in the
     * scenario an op is in its author's store the instant it is made, so a crash after it never takes it back. Ops
     * queued behind a start that has not finished are not waited for (the node is not running yet; they are refused
     * as "node is down").
     */
    void crash() {
        awaitHandedOps();
        NodeConnection c;
        synchronized (this) {
            up = false;
            c = current;
            current = null;
        }
        if (c != null) {
            c.kill();
            enqueue(c::awaitGone);
        }
    }

    /**
     * Makes {@code ops} on the node in its lane, then hands what became of them to {@code done} (on the lane's
     * thread). If the node is down by then, each is refused as "node is down".
     */
    void submit(List<LiveNode.OpRequest> ops, Consumer<List<LiveNode.OpResult>> done) {
        batches.incrementAndGet();
        enqueue(() -> {
            try {
                NodeConnection c = current;
                List<LiveNode.OpResult> results = null;
                if (up && c != null) {
                    try {
                        results = c.submit(ops);
                    } catch (LiveRunException e) {
                        troubleIfUp(c, e.getMessage());
                    }
                }
                done.accept(results != null ? results : ops.stream().map(o -> new LiveNode.OpResult(o.id(),
                        "node is down")).toList());
            } finally {
                batches.decrementAndGet();
            }
        });
    }

    /** Waits until the op batches handed to this running node are made (none waits behind a start), bounded. */
    private void awaitHandedOps() {
        long deadline = System.nanoTime() + ChildNode.ANSWER_TIMEOUT_NS;
        while (batches.get() > 0 && starts.get() == 0 && up && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * What the node is doing now: its status if it is up and started, else why it is not idle (down, starting).
     */
    LiveNode.Status status() {
        NodeConnection c = current;
        if (!up) {
            return new LiveNode.Status(false, "down", false);
        }
        if (c == null || busy()) {
            return new LiveNode.Status(false, "starting or handed work", false);
        }
        try {
            return c.status();
        } catch (LiveRunException e) {
            troubleIfUp(c, e.getMessage());
            return new LiveNode.Status(false, "not answering", false);
        }
    }

    /**
     * The node's log now.
     *
     * @throws LiveRunException if it is not up and started, or does not answer
     */
    LiveNode.Snapshot snapshot() {
        NodeConnection c = current;
        if (!up || c == null) {
            throw new LiveRunException("node " + name + " is not running");
        }
        return c.snapshot();
    }

    /** Where to look when the node misbehaves. */
    String where() {
        NodeConnection c = current;
        return c == null ? "not running" : c.where();
    }

    /** The spec of the node's next start. */
    NodeSpec spec() {
        return spec;
    }

    /** Stops the node in an orderly way (killing it if it does not stop in time) and ends the lane. */
    void stop() {
        NodeConnection c = current;
        lane.shutdownNow();
        try {
            if (c != null) {
                c.stop();
            }
        } finally {
            try {
                lane.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the node's current start at once, whatever its state (the run is being torn down). */
    void kill() {
        NodeConnection c = current;
        if (c != null) {
            c.kill();
        }
    }

    private void troubleIfUp(NodeConnection c, String what) {
        if (up && current == c) {
            trouble.accept(what);
        }
    }

    private void enqueue(Runnable task) {
        queued.incrementAndGet();
        try {
            lane.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    trouble.accept("node " + name + ": " + e);
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queued.decrementAndGet();
        }
    }
}
