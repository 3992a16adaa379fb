package dev.chainkit.core;

/**
 * Which side of a chain a node is on.
 *
 * <p>Thread safety: immutable.
 */
public enum ChainRole {
    /** The side that opened the chain, owns its timers and learns its outcome. */
    INITIATOR,
    /** The side that answers; it keeps no timers per chain. */
    RESPONDER
}
