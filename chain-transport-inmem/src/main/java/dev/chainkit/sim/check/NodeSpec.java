package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.NodeFactory;
import java.util.Objects;

/**
 * One node of a property check: its name and the factory of its incarnations.
 *
 * <p>Thread safety: immutable (provided the factory is).
 *
 * @param name the node's name
 * @param factory builds each incarnation
 * @param <A> the application type
 */
public record NodeSpec<A>(String name, NodeFactory<A> factory) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not a valid node name
     */
    public NodeSpec {
        Objects.requireNonNull(factory, "factory");
        NodeId.of(name);
    }

    /** Shorthand for the constructor. @throws IllegalArgumentException if the name is invalid */
    public static <A> NodeSpec<A> of(String name, NodeFactory<A> factory) {
        return new NodeSpec<>(name, factory);
    }
}
