package dev.chainkit.core;

/**
 * Receives every lifecycle event of every chain on a node (the engine's observability hook).
 *
 * <p>Threading: called on the node's thread, synchronously, in the order events happen. Must not block and must
 * not call back into the node. Exceptions thrown here are logged and otherwise ignored.
 */
@FunctionalInterface
public interface ChainListener {

    /** A listener that ignores everything; the engine skips building events for it. */
    ChainListener NONE = event -> { };

    /** Called once per event. */
    void onEvent(ChainEvent event);
}
