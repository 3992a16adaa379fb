/**
 * Injected time: a {@link dev.chainkit.core.time.NanoClock}, a {@link dev.chainkit.core.time.Scheduler} that runs
 * tasks on a node's thread, and {@link dev.chainkit.core.time.VirtualTime}, their deterministic implementation for
 * tests and simulation.
 *
 * <p>Design notes: time is an argument, not a global (as in Agrona). Nothing in the engine reads the wall clock;
 * deadlines are compared overflow-safely ({@code deadlineNs - nowNs <= 0}); names carry their unit. Where a delay
 * meets a clock the sum saturates ({@link dev.chainkit.core.time.Nanos}): a delay too long to represent means never,
 * not at once.
 */
package dev.chainkit.core.time;
