/**
 * What extenders implement: a {@link dev.chainkit.core.spi.Transport} moves envelopes between nodes.
 * Protocols implement {@link dev.chainkit.core.Protocol}, {@link dev.chainkit.core.Responder} and
 * {@link dev.chainkit.core.Initiator} in the root package, since every protocol author uses them.
 */
package dev.chainkit.core.spi;
