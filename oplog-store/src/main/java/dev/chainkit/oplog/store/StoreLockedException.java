package dev.chainkit.oplog.store;

/**
 * An embedded store's file is already open in another process (or elsewhere in this one): two processes writing one
 * SQLite file as two servers would each believe they own its logs, so the second open is refused.
 *
 * <p>Thread safety: exceptions are not shared between threads by this library.
 */
public class StoreLockedException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** @param message the file, its lock file and who holds it, as far as known */
    public StoreLockedException(String message) {
        super(message);
    }
}
