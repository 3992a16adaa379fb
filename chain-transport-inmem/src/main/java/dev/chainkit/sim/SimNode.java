package dev.chainkit.sim;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;

/**
 * A node of a simulation (or of a {@link dev.chainkit.sim.threaded.ThreadedNetwork}) across its incarnations:
 * its id, its current incarnation's application and chain engine, and its durable store.
 *
 * <p>Thread safety: in the simulator, use on the simulation's thread. In the threaded network, {@link #id()} and
 * {@link #app()} may be read from any thread; the application and the chain node themselves must be used on the
 * node's thread ({@link dev.chainkit.sim.threaded.ThreadedNetwork#execute}).
 *
 * @param <A> the application type
 */
public interface SimNode<A> {

    /** The node's id. */
    NodeId id();

    /** The current incarnation's application object; null while the node is down. */
    A app();

    /** The current incarnation's chain engine; null while the node is down. */
    ChainNode chainNode();

    /** The current (or, while down, the last) incarnation's number; 1 after the first start. */
    long incarnation();

    /** Whether the node is running (not crashed). */
    boolean isUp();

    /** The node's store that survives crashes. */
    Durable durable();
}
