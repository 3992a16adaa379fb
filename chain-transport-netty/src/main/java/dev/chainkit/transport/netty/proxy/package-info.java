/**
 * A frame-aware fault proxy for tests and live scenario runs: {@link dev.chainkit.transport.netty.proxy.FaultProxy}
 * relays a node's connections to its peer and drops, duplicates and delays envelope frames as a
 * {@link dev.chainkit.transport.netty.proxy.FramePolicy} decides, blackholes a direction, and cuts connections. It
 * only listens and connects on loopback.
 *
 * <p>The policy is a small interface deciding from a frame's descriptor
 * ({@link dev.chainkit.transport.netty.proxy.FrameInfo}: sender, receiver, protocol, message kind, size) and the
 * time, the same descriptor the simulator's fault rules decide from, so those rules plug in as a policy.
 */
package dev.chainkit.transport.netty.proxy;
