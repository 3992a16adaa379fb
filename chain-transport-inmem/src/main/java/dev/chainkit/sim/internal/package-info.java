/**
 * The simulator's machinery: the event queue and virtual clock, node slots and incarnations, fault state, counters
 * and seed derivation. Not API: it may change at any time; use {@link dev.chainkit.sim.Simulation}.
 *
 * <p>Design notes. The hot path is {@code SimCore.send} then {@code SimCore.deliver}: a partition check on a
 * boolean matrix, a rule scan only when rules exist, at most three draws from the network's generator, one
 * delivery event on a binary heap, and counter increments in arrays indexed by message kind. Trace records are
 * built only when tracing is on. Threading: confined to the simulation's thread.
 */
package dev.chainkit.sim.internal;
