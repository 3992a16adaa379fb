package dev.chainkit.sim;

/**
 * Builds the application of one node incarnation: registers its responders on {@link NodeContext#node()}, reads
 * what it persisted from {@link NodeContext#durable()}, and returns the application object. Called at the first
 * start and again at every restart.
 *
 * <p>Threading: called on the node's thread.
 *
 * @param <A> the application type
 */
@FunctionalInterface
public interface NodeFactory<A> {

    /**
     * Builds one incarnation.
     *
     * @param ctx the incarnation's context
     * @return the application object; may be null if the node has none
     */
    A create(NodeContext ctx);
}
