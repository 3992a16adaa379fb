package dev.chainkit.sim.threaded;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.runtime.NodeExecutor;
import dev.chainkit.sim.NodeFactory;
import dev.chainkit.sim.SimNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory network of chain nodes that run for real: each node on its own
 * {@link dev.chainkit.runtime.NodeExecutor} (its thread, a JCTools MPSC mailbox, a timer wheel as the
 * {@link dev.chainkit.core.time.Scheduler}) with the system clock. It never loses, duplicates or reorders an
 * envelope between two nodes; it is for throughput and for testing a protocol under real concurrency, behind the
 * same transport SPI and {@link NodeFactory} as the {@link dev.chainkit.sim.Simulation}. (To meet faults on real
 * threads, wrap nodes' transports in a {@link dev.chainkit.sim.fault.FaultInjectingTransport}.)
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>Sending is {@link NodeExecutor#deliver}: a lock-free offer to the receiver's mailbox; the envelope is the
 *   only allocation (plus an occasional queue chunk); a parked receiver is unparked.</li>
 *   <li>The node runtime is chain-runtime's: see {@link NodeExecutor} for the loop, the timers and the closing
 *   protocol (every accepted task runs; a task that loses a race with a close is refused at once).</li>
 *   <li>Routes are an immutable map replaced on {@link #addNode}, so a send reads them without locking.</li>
 * </ul>
 *
 * <p>Thread safety: {@link #addNode}, {@link #execute}, {@link #submit} and {@link #close} may be called from any
 * thread, node threads included. The listener is called on every node's thread, concurrently, so it must be
 * thread-safe.
 */
public final class ThreadedNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadedNetwork.class);

    private final NodeSettings settings;
    private final ChainListener listener;
    /** A copy of the builder's executor settings, so that changing the builder later changes nothing here. */
    private final NodeExecutor.Builder executors;
    private final Object lifecycle = new Object();
    private final AtomicLong undeliverable = new AtomicLong();
    private volatile Map<NodeId, ThreadedNode<?>> routes = Map.of();
    private volatile boolean closed;

    private ThreadedNetwork(Builder b) {
        this.settings = b.settings;
        this.listener = b.listener;
        this.executors = b.executors.copy("chainkit");
    }

    /** Starts building a network with default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a node on a new thread: builds its chain engine (incarnation 1) and calls {@code factory} there, then
     * returns once that is done.
     *
     * @param name the node's name: a letter, then letters, digits, {@code _} or {@code -}
     * @param factory builds the node's application, on the node's thread
     * @throws IllegalArgumentException if the name is invalid or already used
     * @throws IllegalStateException if the network is closed, or the factory threw (as the cause)
     */
    public <A> SimNode<A> addNode(String name, NodeFactory<A> factory) {
        return addNode(name, 1, factory);
    }

    /**
     * Starts a node as {@link #addNode(String, NodeFactory)} does, in {@code incarnation}: what a process that
     * restarts its nodes gives them (from an {@code IncarnationFile}), so that their peers' durable state (a log's
     * sync marks) sees a new life and not a reused one.
     *
     * @param name the node's name: a letter, then letters, digits, {@code _} or {@code -}
     * @param incarnation the node's incarnation, at least 1
     * @param factory builds the node's application, on the node's thread
     * @throws IllegalArgumentException if the name is invalid or already used, or {@code incarnation} is below 1
     * @throws IllegalStateException if the network is closed, or the factory threw (as the cause)
     */
    public <A> SimNode<A> addNode(String name, long incarnation, NodeFactory<A> factory) {
        Objects.requireNonNull(factory, "factory");
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be at least 1, got " + incarnation);
        }
        NodeId id = NodeId.of(name);
        ThreadedNode<A> node;
        synchronized (lifecycle) {
            checkOpen();
            if (routes.containsKey(id)) {
                throw new IllegalArgumentException("node '" + name + "' already exists; node names must be unique");
            }
            NodeExecutor executor = executors.copy("chainkit-" + id.name())
                    .undelivered(e -> undeliverable(e, "node " + id + " stopped"))
                    .build();
            node = new ThreadedNode<>(id, executor);
            Map<NodeId, ThreadedNode<?>> next = new HashMap<>(routes);
            next.put(id, node);
            routes = Map.copyOf(next);
        }
        try {
            node.start(this, incarnation, factory);
        } catch (IllegalStateException e) {
            synchronized (lifecycle) {
                Map<NodeId, ThreadedNode<?>> next = new HashMap<>(routes);
                next.remove(id, node);
                routes = Map.copyOf(next);
            }
            if (e.getCause() == null || e.getCause() instanceof InterruptedException) {
                throw new IllegalStateException("node '" + name + "' could not start: " + e.getMessage(), e);
            }
            throw new IllegalStateException("factory of node '" + name + "' failed", e.getCause());
        }
        return node;
    }

    /**
     * Runs {@code task} on the node's thread, after what is already in its mailbox. What the task throws is
     * logged. An accepted task always runs, even if the network closes meanwhile.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the network or the node is closed (the task will not run)
     */
    public void execute(NodeId node, Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            route(node).executor().execute(task);
        } catch (RejectedExecutionException e) {
            throw closedNode(node, e);
        }
    }

    /**
     * Runs {@code task} on the node's thread and completes the returned future with its result or exception. An
     * accepted task always runs, so the future always completes, even if the network closes meanwhile.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the network or the node is closed (the task will not run)
     */
    public <T> CompletableFuture<T> submit(NodeId node, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        try {
            return route(node).executor().submit(task);
        } catch (RejectedExecutionException e) {
            throw closedNode(node, e);
        }
    }

    private static IllegalStateException closedNode(NodeId node, RejectedExecutionException e) {
        return new IllegalStateException("node " + node + " is closed; the task was refused", e);
    }

    /** Envelopes that found no running receiver (an unknown node, or one already stopped). */
    public long undeliverable() {
        return undeliverable.get();
    }

    /**
     * Stops every node: each refuses new work at once, finishes what it had accepted, closes its chain engine
     * (failing its open chains with "node closed") and its thread ends; then, unless called on a node's own thread,
     * waits for every thread. Called on a node's thread (in a handler, a task or an outcome callback), it does not
     * wait: that node stops once the current task returns, the others on their own. Envelopes that arrive later are
     * counted as {@link #undeliverable()}. Idempotent.
     *
     * @throws IllegalStateException if a node thread did not end within the close timeout (each node's, one after
     *     the other), or the calling thread was interrupted while waiting (its interrupt flag is set again)
     */
    @Override
    public void close() {
        List<ThreadedNode<?>> nodes;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            nodes = new ArrayList<>(routes.values());
        }
        nodes.forEach(n -> n.executor().shutdown());
        if (nodes.stream().anyMatch(n -> n.executor().inExecutorThread())) {
            log.info("Threaded network closing from node thread [{}]; not waiting for the node threads",
                    Thread.currentThread().getName());
            return;
        }
        List<String> stuck = new ArrayList<>();
        for (ThreadedNode<?> n : nodes) {
            try {
                n.executor().close();
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while closing the threaded network", e);
                }
                stuck.add(e.getMessage());
            }
        }
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("node threads did not stop: " + String.join("; ", stuck));
        }
        log.info("Threaded network closed; [{}] envelopes were undeliverable", undeliverable.get());
    }

    // ---------------------------------------------------------------- for ThreadedNode

    NodeSettings settings() {
        return settings;
    }

    ChainListener listener() {
        return listener;
    }

    Transport transportFor(NodeId sender) {
        return envelope -> {
            ThreadedNode<?> target = routes.get(envelope.receiver());
            if (target == null || !target.executor().deliver(envelope)) {
                undeliverable(envelope, target == null ? "unknown node" : "node stopped");
            }
        };
    }

    void undeliverable(Envelope e, String why) {
        undeliverable.incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug("Undeliverable [{}] of chain [{}]: {}", e, e.chainId(), why);
        }
    }

    private ThreadedNode<?> route(NodeId node) {
        Objects.requireNonNull(node, "node");
        checkOpen();
        ThreadedNode<?> target = routes.get(node);
        if (target == null) {
            throw new IllegalArgumentException("unknown node '" + node + "'; nodes are " + routes.keySet());
        }
        return target;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the threaded network is closed");
        }
    }

    /** Settings of a {@link ThreadedNetwork}. Not thread-safe; each setter checks its argument at once. */
    public static final class Builder {
        private NodeSettings settings = NodeSettings.defaults();
        private ChainListener listener = ChainListener.NONE;
        /** The settings every node's executor is copied from (and validated by). */
        private final NodeExecutor.Builder executors = NodeExecutor.builder("chainkit");

        private Builder() {
        }

        /** Every node's engine settings. @throws NullPointerException if null */
        public Builder settings(NodeSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Receives every chain event, on each node's thread; must be thread-safe. @throws NullPointerException if null */
        public Builder listener(ChainListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The resolution of each node's timers (default 1 ms): a timer runs at most about one tick late.
         *
         * @throws IllegalArgumentException if {@code tick} is not positive
         * @throws NullPointerException if null
         */
        public Builder timerTick(Duration tick) {
            executors.timerTick(tick);
            return this;
        }

        /**
         * How many empty polls a node thread spins, then yields, before it parks (defaults 200 and 20).
         *
         * @throws IllegalArgumentException if a count is negative
         */
        public Builder idle(int spinTries, int yieldTries) {
            executors.idle(spinTries, yieldTries);
            return this;
        }

        /**
         * How long {@link ThreadedNetwork#close()} waits for each node thread (default 10 s); a duration too long
         * for a {@code long} of nanoseconds means no limit.
         *
         * @throws IllegalArgumentException if {@code timeout} is not positive
         * @throws NullPointerException if null
         */
        public Builder closeTimeout(Duration timeout) {
            executors.closeTimeout(timeout);
            return this;
        }

        /** A network with no nodes. */
        public ThreadedNetwork build() {
            return new ThreadedNetwork(this);
        }
    }
}
