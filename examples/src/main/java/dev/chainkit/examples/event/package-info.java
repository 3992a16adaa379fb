/**
 * A real event: {@code chainsim serve} (a sync server hosting many tournaments on the network, with a members file,
 * a durable store and Prometheus metrics), {@code chainsim client} (a device's prompt, or a script, making ops in
 * the scenario syntax) and {@code chainsim show} (a tournament as stored).
 *
 * <p>Thread safety: see each type.
 */
package dev.chainkit.examples.event;
