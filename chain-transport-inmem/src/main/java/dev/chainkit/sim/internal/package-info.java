/**
 * The simulator's machinery: the event queue and virtual clock, node slots and incarnations, counters and seed
 * derivation. Not API: it may change at any time; use {@link dev.chainkit.sim.Simulation}.
 *
 * <p>Design notes. The machinery knows nothing of the facade: the facade hands it plain {@link java.lang.Runnable}
 * hooks. The network's decisions are not made here but by a {@link dev.chainkit.sim.fault.NetworkFaults} (the same
 * fault logic any transport can wrap itself in); {@code SimCore.send} describes the message, takes the decision
 * drawn from the network's seeded generator, and carries it out: counters, trace records, and one delivery event per
 * copy on a binary heap, due at the decision's saturated due time (an event due at {@code EventQueue.NEVER} never
 * runs). The hot path costs a partition lookup only while a partition exists, a rule scan only while rules exist, at
 * most three random draws, the decision record and the delivery events; counters are increments in arrays indexed by
 * message kind, and trace records are built only when tracing is on. Threading: confined to the simulation's thread.
 */
package dev.chainkit.sim.internal;
