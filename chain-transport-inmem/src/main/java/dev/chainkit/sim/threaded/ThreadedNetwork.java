package dev.chainkit.sim.threaded;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.spi.Transport;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory network of chain nodes that run for real: each node on its own thread with a JCTools MPSC mailbox,
 * its own timer wheel as the {@link dev.chainkit.core.time.Scheduler}, and the system clock. It never loses,
 * duplicates or reorders an envelope between two nodes; it is for throughput and for testing a protocol under real
 * concurrency, behind the same transport SPI and {@link NodeFactory} as the {@link dev.chainkit.sim.Simulation}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>Sending is a lock-free offer to the receiver's unbounded MPSC queue ({@code MpscUnboundedArrayQueue}):
 *   the envelope is the only allocation (plus an occasional queue chunk); a parked receiver is unparked.</li>
 *   <li>A node thread drains its mailbox in batches, runs due timers, and when idle spins, then yields, then parks
 *   until unparked or its next timer tick.</li>
 *   <li>Timers live in a hashed wheel (O(1) schedule and cancel), confined to the node's thread.</li>
 * </ul>
 *
 * <p>Thread safety: {@link #addNode}, {@link #execute}, {@link #submit} and {@link #close} may be called from any
 * thread. The listener is called on every node's thread, concurrently, so it must be thread-safe.
 */
public final class ThreadedNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadedNetwork.class);

    private final Builder config;
    private final Object lifecycle = new Object();
    private final AtomicLong undeliverable = new AtomicLong();
    private volatile Map<NodeId, NodeLoop<?>> routes = Map.of();
    private volatile boolean closed;

    private ThreadedNetwork(Builder config) {
        this.config = config;
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
        Objects.requireNonNull(factory, "factory");
        NodeId id = NodeId.of(name);
        NodeLoop<A> loop;
        synchronized (lifecycle) {
            checkOpen();
            if (routes.containsKey(id)) {
                throw new IllegalArgumentException("node '" + name + "' already exists; node names must be unique");
            }
            loop = new NodeLoop<>(this, id, factory, config);
            Map<NodeId, NodeLoop<?>> next = new HashMap<>(routes);
            next.put(id, loop);
            routes = Map.copyOf(next);
            loop.thread.start();
        }
        try {
            loop.started.get();
        } catch (ExecutionException e) {
            synchronized (lifecycle) {
                Map<NodeId, NodeLoop<?>> next = new HashMap<>(routes);
                next.remove(id);
                routes = Map.copyOf(next);
            }
            throw new IllegalStateException("factory of node '" + name + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting node '" + name + "'", e);
        }
        return loop;
    }

    /**
     * Runs {@code task} on the node's thread, after what is already in its mailbox. What the task throws is
     * logged.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the network or the node is closed
     */
    public void execute(NodeId node, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!route(node).offer(task)) {
            throw new IllegalStateException("node " + node + " is closed");
        }
    }

    /**
     * Runs {@code task} on the node's thread and completes the returned future with its result or exception.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the network or the node is closed
     */
    public <T> CompletableFuture<T> submit(NodeId node, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(node, () -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Envelopes that found no running receiver (an unknown node, or one already stopped). */
    public long undeliverable() {
        return undeliverable.get();
    }

    /**
     * Stops every node: each finishes what is already in its mailbox, closes its chain engine (failing its open
     * chains with "node closed") and its thread ends; then waits for every thread. Envelopes that arrive later are
     * counted as {@link #undeliverable()}. Idempotent.
     *
     * @throws IllegalStateException if a node thread did not end within the close timeout
     */
    @Override
    public void close() {
        List<NodeLoop<?>> loops;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            loops = new ArrayList<>(routes.values());
        }
        loops.forEach(NodeLoop::requestStop);
        long deadline = System.nanoTime() + config.closeTimeoutNs;
        List<NodeId> stuck = new ArrayList<>();
        for (NodeLoop<?> loop : loops) {
            try {
                loop.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (loop.thread.isAlive()) {
                stuck.add(loop.id());
            } else {
                loop.discardLeftovers();
            }
        }
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("node threads did not stop within " + config.closeTimeoutNs / 1_000_000
                    + " ms: " + stuck);
        }
        log.info("Threaded network closed; [{}] envelopes were undeliverable", undeliverable.get());
    }

    // ---------------------------------------------------------------- for NodeLoop

    NodeSettings settings() {
        return config.settings;
    }

    ChainListener listener() {
        return config.listener;
    }

    Transport transportFor(NodeId sender) {
        return envelope -> {
            NodeLoop<?> target = routes.get(envelope.receiver());
            if (target == null || !target.offer(envelope)) {
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

    private NodeLoop<?> route(NodeId node) {
        Objects.requireNonNull(node, "node");
        checkOpen();
        NodeLoop<?> loop = routes.get(node);
        if (loop == null) {
            throw new IllegalArgumentException("unknown node '" + node + "'; nodes are " + routes.keySet());
        }
        return loop;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the threaded network is closed");
        }
    }

    /** Settings of a {@link ThreadedNetwork}. Not thread-safe; each {@code withX}-style setter checks at once. */
    public static final class Builder {
        NodeSettings settings = NodeSettings.defaults();
        ChainListener listener = ChainListener.NONE;
        long timerTickNs = 1_000_000L;
        int spinTries = 200;
        int yieldTries = 20;
        long closeTimeoutNs = 10_000_000_000L;

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
         */
        public Builder timerTick(Duration tick) {
            Objects.requireNonNull(tick, "timerTick");
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("timerTick must be positive, got " + tick);
            }
            this.timerTickNs = tick.toNanos();
            return this;
        }

        /**
         * How many empty polls a node thread spins, then yields, before it parks (defaults 200 and 20).
         *
         * @throws IllegalArgumentException if a count is negative
         */
        public Builder idle(int spinTries, int yieldTries) {
            if (spinTries < 0 || yieldTries < 0) {
                throw new IllegalArgumentException("idle spin and yield tries must be 0 or more, got " + spinTries
                        + " and " + yieldTries);
            }
            this.spinTries = spinTries;
            this.yieldTries = yieldTries;
            return this;
        }

        /**
         * How long {@link ThreadedNetwork#close()} waits for the node threads (default 10 s).
         *
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, got " + timeout);
            }
            this.closeTimeoutNs = timeout.toNanos();
            return this;
        }

        /** A network with no nodes. */
        public ThreadedNetwork build() {
            return new ThreadedNetwork(this);
        }
    }
}
