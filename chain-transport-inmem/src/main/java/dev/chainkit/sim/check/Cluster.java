package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import java.util.List;
import java.util.Objects;

/**
 * The nodes of one property-check run, typed by the application, with their simulation: what workload,
 * invariants and liveness conditions look at.
 *
 * <p>Thread safety: use on the simulation's thread.
 *
 * @param <A> the application type
 */
public final class Cluster<A> {

    private final Simulation sim;
    private final List<SimNode<A>> nodes;

    /**
     * @throws NullPointerException if an argument is null
     */
    public Cluster(Simulation sim, List<SimNode<A>> nodes) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.nodes = List.copyOf(nodes);
    }

    /** The simulation the nodes run in. */
    public Simulation sim() {
        return sim;
    }

    /** The nodes, in the order of {@link PropertyCheck#nodes()}. */
    public List<SimNode<A>> nodes() {
        return nodes;
    }

    /**
     * The node named {@code name}.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public SimNode<A> node(String name) {
        return node(NodeId.of(name));
    }

    /**
     * The node {@code id}.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public SimNode<A> node(NodeId id) {
        for (SimNode<A> n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown node '" + id + "'; nodes are "
                + nodes.stream().map(SimNode::id).toList());
    }
}
