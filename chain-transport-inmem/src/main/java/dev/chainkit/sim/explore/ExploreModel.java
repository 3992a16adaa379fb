package dev.chainkit.sim.explore;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A protocol to explore exhaustively with {@link Explorer}: its nodes (the same {@link NodeSpec} factories as a
 * {@link dev.chainkit.sim.check.PropertyCheck}), a finite workload, the properties to check, and how to describe the
 * application's state so that the explorer can tell states apart.
 *
 * <p>Every world the explorer builds (it replays paths from the start) calls {@link #fresh()} first and every other
 * method of that world on the returned model, so a model may keep per-world state (an audit) there.
 *
 * <p>Thread safety: with one thread ({@link ExploreBounds#threads()}, the default) every method is called on the
 * explorer's thread. With more, worlds are built and driven on several threads at once, each world on one thread:
 * {@link #fresh()} is then called concurrently on the model given to the explorer, and must return a model that
 * shares no mutable state with other worlds' (a new instance, or this one if it keeps none).
 *
 * @param <A> the application type of the nodes
 * @param <W> the workload item type
 */
public interface ExploreModel<A, W> {

    /** The nodes, in order, for {@link #start}'s default; none by default (then override {@link #start}). */
    default List<NodeSpec<A>> nodes() {
        return List.of();
    }

    /**
     * Adds the nodes to a world's simulation (called once per world, on the model {@link #fresh()} returned, after
     * {@link #listener()}). The default adds {@link #nodes()} in order.
     *
     * @return the nodes, in order
     */
    default List<SimNode<A>> start(Simulation sim) {
        List<SimNode<A>> started = new ArrayList<>();
        for (NodeSpec<A> spec : nodes()) {
            started.add(sim.addNode(spec.name(), spec.factory()));
        }
        return started;
    }

    /**
     * The model for one new world: a pure function of this model (the explorer replays a path by building the same
     * world again). The default returns this model.
     */
    default ExploreModel<A, W> fresh() {
        return this;
    }

    /** Receives every chain event of the world's nodes; called once per world. The default is none. */
    default ChainListener listener() {
        return ChainListener.NONE;
    }

    /**
     * The nodes' engine settings. The retry policy's jitter must be 0 (the random draws it makes are not part of a
     * state's description, so two states described alike would retransmit at different times); keep the attempt
     * limit small, each retransmission is a message to explore. The default: 200 ms, doubling, at most 3 attempts.
     */
    default NodeSettings settings() {
        return Explorer.DEFAULT_SETTINGS;
    }

    /**
     * The workload: each item is done by its {@link #actor} node, in this order per node; when a node does its next
     * item is one of the explorer's choices.
     */
    List<W> workload();

    /** The name of the node that does {@code work}. */
    String actor(W work);

    /** Does {@code work} on its node (which is up: crashes restart at once in the explorer). */
    void apply(Cluster<A> cluster, W work);

    /** How {@code work} reads in a path (one line, no line breaks); {@code toString()} by default. */
    default String describe(W work) {
        return String.valueOf(work);
    }

    /** A safety property that must hold in every state; empty when it holds, otherwise what is wrong. */
    default Optional<String> invariant(Cluster<A> cluster) {
        return Optional.empty();
    }

    /**
     * A property that must hold in every terminal state: the workload done, nothing in flight, no chain open, no
     * application timer pending (the explorer has already checked those). Empty when it holds.
     */
    default Optional<String> terminal(Cluster<A> cluster) {
        return Optional.empty();
    }

    /**
     * Writes the application's state of {@code node} (what the engine's own {@code ChainNode.digest} does not
     * cover), canonically: see {@link StateSink}'s contract. The default writes its {@link dev.chainkit.sim.Durable}
     * store and its application if that is {@link StateDigestible} (or null); override it for an application that
     * is not. The explorer writes the node's name, its engine and its workload progress itself, and each pending
     * application timer: when it is due, and its task's description if the task is {@link StateDigestible}, else
     * the name of its class (a lambda's: the class it was written in). So this description must tell apart what
     * the application scheduled where its tasks do not: which of its timers are pending, and for what.
     *
     * @throws IllegalArgumentException if the node's application or a stored value cannot be described
     */
    default void digest(SimNode<A> node, StateSink sink) {
        node.durable().digest(sink);
        sink.putValue(node.app());
    }

    /** The codecs the explorer writes protocol messages with (or the messages are {@link StateDigestible}). */
    default CodecRegistry codecs() {
        return CodecRegistry.empty();
    }

    /**
     * Groups of nodes that play the same role (same factory, same workload up to their names), for symmetry
     * reduction: two states that differ only by a renaming within a group are one. Sound only if the application
     * writes every node name through {@link StateSink#putNode}. None by default.
     */
    default List<Set<String>> symmetricNodes() {
        return List.of();
    }
}
