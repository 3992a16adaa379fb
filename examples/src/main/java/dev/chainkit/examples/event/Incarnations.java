package dev.chainkit.examples.event;

/**
 * Where the nodes of {@code serve} and {@code client} get their incarnation: a number that never repeats or goes
 * back across restarts of the process, so peers never confuse a restarted node's new chains with its old ones.
 *
 * <p>Today it is the boot time in milliseconds, as {@code NettyNode} suggests: it grows across restarts unless the
 * clock is set back or two starts share a millisecond. It is the one place to swap for a persisted source (a
 * counter kept beside the store that is forced to disk before use) once chain-core offers one.
 *
 * <p>Thread safety: stateless.
 */
final class Incarnations {

    private Incarnations() {
    }

    /** The incarnation of a node starting now. */
    static long next() {
        return Math.max(1, System.currentTimeMillis());
    }
}
