package dev.chainkit.sim;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.random.RandomGenerator;

/**
 * What a {@link NodeFactory} gets to build one incarnation of a node: a ready {@link ChainNode} wired to the
 * network, the node's clock, scheduler and random source, and its {@link Durable} store.
 *
 * <p>Thread safety: use only on the node's thread (in the simulator, the simulation's thread).
 */
public interface NodeContext {

    /** The node's id. */
    NodeId id();

    /** This incarnation's number: 1 at the first start, one more at every restart. */
    long incarnation();

    /**
     * The incarnation's chain engine, built with the network's transport, the clock, a scheduler whose tasks never
     * run once this incarnation crashed, a seeded random source, the listener and the settings. Register the
     * protocol's responders on it.
     */
    ChainNode node();

    /** The clock (virtual time in the simulator, {@link System#nanoTime()} in the threaded network). */
    NanoClock clock();

    /**
     * A scheduler for application timers (a user's thinking time, a periodic job). Its tasks run on the node's
     * thread and never after this incarnation crashed. In the simulator, a pending application timer keeps the
     * run from being quiet.
     */
    Scheduler scheduler();

    /** A random source for the application, seeded from the run's seed, the node's name and the incarnation. */
    RandomGenerator random();

    /** The node's store that survives crashes. */
    Durable durable();
}
