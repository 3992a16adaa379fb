/**
 * The property checks that guard the tournament sync's termination and convergence, and {@code chainsim check},
 * which runs them from the command line.
 *
 * <p>{@link dev.chainkit.examples.check.TournamentSyncCheck} is a
 * {@link dev.chainkit.sim.check.PropertyCheck} of the project's runner: each seed draws a cluster
 * ({@link dev.chainkit.examples.check.ClusterShape}: 1 to 4 clients, their users' roles and habits), a workload of
 * tournament ops against a plausible state, and faults within a {@link dev.chainkit.examples.check.SweepConfig}
 * (loss, duplication, latency spread, targeted drops, duplicates and delays of every message kind, partitions,
 * crashes and restarts of any node, the server included). The invariants are checked after every simulated event;
 * convergence, quiet and the termination bounds ({@link dev.chainkit.examples.check.MessageBound}) once faults
 * calm and the network drains. A failing seed is shrunk to a minimal schedule, and
 * {@link dev.chainkit.examples.check.FailureScenario} writes it as a scenario file that {@code chainsim run}
 * replays event for event.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The checks must be able to fail.</b> Four bugs can be planted on purpose through package-private,
 *   thread-confined hooks in chain-core and oplog-protocol (BUGGIFY-style; only test sources reach them): a server
 *   that appends ops it already has, a server that forwards ops back to their origin, a client that adopts the
 *   base of {@code SyncFailed} without rebasing its ops, a responder that re-runs its handler on a duplicate. The
 *   tests show the default sweep catches each and shrinks it to a handful of actions.</li>
 *   <li><b>Seeds are the interface.</b> {@code chainkit.seeds} seeds run in the test suite (500; 100 000 with
 *   {@code -Psoak}), {@code -Dchainkit.seed=N} replays one, {@code chainsim check --from N --seeds 1} too.</li>
 *   <li><b>Speed.</b> Sweeps run without tracing, and the cluster's invariants are evaluated only after events
 *   that changed a log, a state or a node's life (all immutable, compared by identity); the default sweep runs
 *   hundreds of seeds a second.</li>
 * </ul>
 *
 * <p>Threading: a check runs on the calling thread.
 */
package dev.chainkit.examples.check;
