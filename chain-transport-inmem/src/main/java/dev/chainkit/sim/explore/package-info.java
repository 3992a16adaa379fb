/**
 * The explorer: every behaviour of a small configuration, not just random ones. A user describes a protocol's
 * nodes, a finite workload, its invariant and terminal properties and how to describe its application's state in an
 * {@link dev.chainkit.sim.explore.ExploreModel}; {@link dev.chainkit.sim.explore.Explorer} enumerates every delivery
 * order, loss, copy, disconnect, timer firing and crash point within {@link dev.chainkit.sim.explore.ExploreBounds}
 * on the deterministic simulator's manual network ({@link dev.chainkit.sim.explore.HeldMessages}), and reports each
 * {@link dev.chainkit.sim.explore.Violation} with a shortest path that {@link dev.chainkit.sim.explore.Explorer#replay}
 * plays again. The design notes are on {@link dev.chainkit.sim.explore.Explorer}.
 *
 * <p>Threading: an exploration runs on the calling thread.
 */
package dev.chainkit.sim.explore;
