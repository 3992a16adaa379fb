/**
 * The README's example of a property check on a protocol of your own: {@link dev.chainkit.examples.seats.SeatCheck},
 * a box office that hands out seats over a lossy network, checked by the seeded property runner of
 * {@code chain-transport-inmem} under random faults. One file on purpose: it is shown whole in the README, and a test
 * keeps the two identical.
 *
 * <p>Thread safety: see each type; a check runs on the simulation's thread.
 */
package dev.chainkit.examples.seats;
