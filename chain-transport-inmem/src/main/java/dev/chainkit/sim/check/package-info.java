/**
 * Seeded property checks on the simulator: a user describes a protocol's nodes, a workload and its properties in
 * a {@link dev.chainkit.sim.check.PropertyCheck}; {@link dev.chainkit.sim.check.PropertyRunner} draws a
 * {@link dev.chainkit.sim.check.Schedule} of workload and faults from each seed, runs it, checks invariants after
 * every event and liveness after calm and drain, shrinks a failing schedule to a minimal one, and plugs into JUnit
 * Jupiter with one dynamic test per seed.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Seeds are the interface.</b> A seed fixes the schedule (drawn from a generator derived from it) and
 *   every random choice of the run, so {@code -Dchainkit.seed=N} replays a failure exactly, shrinking included.
 *   {@code chainkit.seeds} sets how many seeds a sweep runs (surefire passes it from the parent pom).</li>
 *   <li><b>Schedules are data.</b> Faults are values ({@link dev.chainkit.sim.check.Action}) with a time; a
 *   schedule renders as scenario lines ({@code at 120ms drop 2 OpSync a -> hq}), so a failing case can become a
 *   scenario file.</li>
 *   <li><b>Shrinking is delta debugging</b> (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing
 *   Input"): remove chunks of actions, halving the chunk size; lower rule counts; shorten delays; lower the
 *   network's probabilities and latency; keep a change only if the run still fails the same way; stop when a pass
 *   changes nothing or the run budget is spent.</li>
 *   <li><b>Speed.</b> Sweeps run without tracing; only the shrunk failure is replayed with a trace.</li>
 * </ul>
 *
 * <p>Threading: a check runs on the calling thread.
 */
package dev.chainkit.sim.check;
