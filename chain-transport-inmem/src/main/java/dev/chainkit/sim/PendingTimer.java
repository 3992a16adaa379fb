package dev.chainkit.sim;

import dev.chainkit.core.NodeId;
import java.util.Objects;

/**
 * A timer a node set that has not run yet, as {@link Simulation#pendingTimers()} lists it: for tools that look at
 * a simulation's state between events (the explorer digests it).
 *
 * <p>Thread safety: immutable; its task belongs to the simulation's thread.
 *
 * @param node the node that set it
 * @param incarnation the incarnation that set it (a timer never outlives its incarnation)
 * @param dueNs when it is due, in virtual nanoseconds
 * @param task what it runs (an application's task may describe itself: {@link dev.chainkit.core.spi.StateDigestible})
 * @param application whether the application set it ({@link NodeContext#scheduler()}), not the engine
 */
public record PendingTimer(NodeId node, long incarnation, long dueNs, Runnable task, boolean application) {

    /** @throws NullPointerException if {@code node} or {@code task} is null */
    public PendingTimer {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(task, "task");
    }
}
