/**
 * The deterministic network simulator: chain nodes of any protocol run on one thread in virtual time, over a
 * network with seeded faults, and every run replays exactly from its seed. This is how protocols built on
 * {@code chain-core} are tested and studied, in the spirit of Maelstrom, FoundationDB's simulation and
 * TigerBeetle's VOPR, shipped as a library.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Entry point.</b> {@link dev.chainkit.sim.Simulation} owns the event queue, the virtual clock, the
 *   network and the nodes. Nodes attach through the core's transport SPI: each incarnation gets a ready
 *   {@link dev.chainkit.core.ChainNode} in its {@link dev.chainkit.sim.NodeContext}, and a
 *   {@link dev.chainkit.sim.NodeFactory} builds the application on it, at start and at every restart.</li>
 *   <li><b>Determinism.</b> One thread, one queue ordered by (virtual time, insertion order), and every random
 *   choice drawn from generators derived from the seed. Nothing reads the wall clock. Same seed, same script:
 *   byte-identical {@link dev.chainkit.sim.Trace}.</li>
 *   <li><b>Faults.</b> Random loss, duplication and latency per link ({@link dev.chainkit.sim.fault.NetworkConfig});
 *   targeted rules ({@link dev.chainkit.sim.fault.FaultRule}); partitions and heal; crash (only the
 *   {@link dev.chainkit.sim.Durable} store survives) and restart as a new incarnation; calm. Bad settings fail fast
 *   with a message naming the setting. What loss, duplication, delay, partitions and rules do to each message is
 *   decided by {@link dev.chainkit.sim.fault.NetworkFaults}, which also works outside the simulator.</li>
 *   <li><b>Observation.</b> A {@link dev.chainkit.sim.Trace} of every send, delivery, drop, duplicate, delay,
 *   timer, crash and restart; {@link dev.chainkit.sim.NetworkCounters} per message kind;
 *   {@link dev.chainkit.sim.MermaidRenderer} for a sequence diagram; hooks after every event for invariants.</li>
 * </ul>
 *
 * <p>Related packages: {@link dev.chainkit.sim.fault} (the fault rules and decisions, and a fault-injecting
 * wrapper for any transport), {@link dev.chainkit.sim.check} (seeded property checks with shrinking) and
 * {@link dev.chainkit.sim.threaded} (the same nodes on real threads). {@code dev.chainkit.sim.internal} is not
 * API.
 *
 * <p>Threading: a simulation and everything it calls run on the one thread that drives it.
 */
package dev.chainkit.sim;
