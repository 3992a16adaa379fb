package dev.chainkit.oplog.store;

/**
 * A store could not do what was asked: the database cannot be reached, opened, read or written. The message names
 * the store and what was being done; the cause is the driver's exception, if any.
 *
 * <p>Thread safety: exceptions are not shared between threads by this library.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, on which store, and what went wrong
     * @param cause the driver's exception, or null
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what was being done, on which store, and what went wrong */
    public StoreException(String message) {
        super(message);
    }
}
