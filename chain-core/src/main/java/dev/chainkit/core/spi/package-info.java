/**
 * What extenders implement: a {@link dev.chainkit.core.spi.Transport} moves envelopes between nodes; a
 * {@link dev.chainkit.core.spi.StateSink} receives the canonical description of a node's state (a model checker
 * implements it), and a {@link dev.chainkit.core.spi.StateDigestible} is state that writes itself into one.
 * Protocols implement {@link dev.chainkit.core.Protocol}, {@link dev.chainkit.core.Responder} and
 * {@link dev.chainkit.core.Initiator} in the root package, since every protocol author uses them.
 */
package dev.chainkit.core.spi;
