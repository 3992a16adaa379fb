package dev.chainkit.sim.threaded;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.runtime.NodeExecutor;
import dev.chainkit.sim.Durable;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.NodeFactory;
import dev.chainkit.sim.SimNode;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One node of a {@link ThreadedNetwork}: its {@link NodeExecutor} (thread, mailbox, timers), and what the node's
 * factory sees ({@link NodeContext}) and the network's users see ({@link SimNode}).
 *
 * <p>The application stays reachable until the node's thread ended ({@link #app()} is null after that), so tasks
 * accepted before a close still find it.
 *
 * <p>Thread safety: {@link #app()}, {@link #chainNode()}, {@link #isUp()} and {@link #id()} may be read from any
 * thread (the engine itself must only be used on the node's thread); {@link #start} runs the factory on the node's
 * thread; the {@link NodeContext} methods are for the factory and the application, on the node's thread.
 */
final class ThreadedNode<A> implements NodeContext, SimNode<A> {

    private final NodeId id;
    private final NodeExecutor executor;
    private final RandomGenerator random;
    private final Durable durable = new Durable();
    private volatile ChainNode node;
    private volatile A app;

    ThreadedNode(NodeId id, NodeExecutor executor) {
        this.id = id;
        this.executor = executor;
        this.random = new SplittableRandom(id.name().hashCode());
    }

    NodeExecutor executor() {
        return executor;
    }

    /**
     * Starts the executor: builds the chain engine (in {@code incarnation}) and calls {@code factory}, both on the
     * node's
     * thread, and returns once that is done.
     *
     * @throws IllegalStateException if the factory or the engine's builder threw (as the cause)
     */
    void start(ThreadedNetwork network, long incarnation, NodeFactory<A> factory) {
        executor.start(ex -> {
            node = ChainNode.builder(id, incarnation).settings(network.settings()).transport(network.transportFor(id))
                    .clock(ex.clock()).scheduler(ex.scheduler()).random(random).listener(network.listener())
                    .build();
            app = factory.create(this);
            return node;
        });
    }

    // ---------------------------------------------------------------- NodeContext and SimNode

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public long incarnation() {
        return 1;
    }

    @Override
    public ChainNode node() {
        return node;
    }

    @Override
    public ChainNode chainNode() {
        return node;
    }

    @Override
    public A app() {
        return executor.isTerminated() ? null : app;
    }

    @Override
    public boolean isUp() {
        return !executor.isShutdown();
    }

    @Override
    public NanoClock clock() {
        return executor.clock();
    }

    @Override
    public Scheduler scheduler() {
        return executor.scheduler();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Durable durable() {
        return durable;
    }

    @Override
    public String toString() {
        return "ThreadedNode[" + id + (isUp() ? "" : " stopped") + "]";
    }
}
