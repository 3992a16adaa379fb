package dev.chainkit.sim.internal;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.sim.Durable;
import dev.chainkit.sim.NodeFactory;
import dev.chainkit.sim.SimNode;

/**
 * One simulated node across its incarnations: what survives a crash (its id, factory, durable store and
 * incarnation counter) and the current {@link Incarnation}. Not API.
 *
 * <p>Thread safety: confined to the simulation's thread.
 */
final class NodeSlot<A> implements SimNode<A> {

    private final NodeId id;
    private final NodeFactory<A> factory;
    private final Durable durable = new Durable();
    private long incarnation;
    Incarnation current;
    private A app;

    NodeSlot(NodeId id, NodeFactory<A> factory) {
        this.id = id;
        this.factory = factory;
    }

    /** Starts the next incarnation and calls the factory for it. */
    void start(SimCore core) {
        Incarnation inc = new Incarnation(core, this, ++incarnation);
        current = inc;
        try {
            app = factory.create(inc);
        } catch (RuntimeException e) {
            inc.alive = false;
            current = null;
            throw e;
        }
    }

    /** Forgets the current incarnation: its application and engine are discarded, not closed. */
    void stop() {
        current = null;
        app = null;
    }

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public A app() {
        return app;
    }

    @Override
    public ChainNode chainNode() {
        return current == null ? null : current.node();
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    @Override
    public boolean isUp() {
        return current != null;
    }

    @Override
    public Durable durable() {
        return durable;
    }

    @Override
    public String toString() {
        return "SimNode[" + id + "#" + incarnation + (isUp() ? "" : " down") + "]";
    }
}
