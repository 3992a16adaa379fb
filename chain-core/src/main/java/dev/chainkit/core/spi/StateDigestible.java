package dev.chainkit.core.spi;

/**
 * A piece of state that can describe itself to a {@link StateSink}, canonically and completely (see the sink's
 * contract): an application, a store, the state a responder keeps for a chain, a timer's task.
 *
 * <p>Threading: called on the thread that owns the state.
 */
@FunctionalInterface
public interface StateDigestible {

    /**
     * Writes this state's canonical description.
     *
     * @param sink where to write
     */
    void digest(StateSink sink);
}
