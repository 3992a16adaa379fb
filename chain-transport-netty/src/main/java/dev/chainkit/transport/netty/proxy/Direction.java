package dev.chainkit.transport.netty.proxy;

/**
 * Which way a frame travels through a {@link FaultProxy}.
 *
 * <p>Thread safety: immutable.
 */
public enum Direction {
    /** From the dialing node (which connects to the proxy) to the target node. */
    TO_TARGET,
    /** From the target node back to the dialing node. */
    FROM_TARGET
}
