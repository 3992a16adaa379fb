package dev.chainkit.oplog.sync;

/**
 * A server's subscription to a store's hints ({@link ServerStore#listen}); closing it stops the hints (and the
 * store's listener connection and head polling, if it has them).
 *
 * <p>Thread safety: {@link #close} may be called from any thread, more than once.
 */
@FunctionalInterface
public interface HintSubscription extends AutoCloseable {

    /** The subscription of a store that no other server writes to: there is nothing to hear. */
    HintSubscription NONE = () -> { };

    /** Stops the hints; idempotent. */
    @Override
    void close();
}
