package dev.chainkit.oplog.store;

/**
 * What a store holds is not a valid log: a gap in the positions, an op that does not decode, whose content does not
 * match its digest, or that does not apply where it stands, a cursor or synced tip outside the log, a sync mark
 * below 1 or of a member that is not a node id, a schema from a newer version. The message names the store, the
 * log, the position and what is wrong. Opening again does not help: a person must look (the payload column is plain
 * text).
 *
 * <p>Thread safety: exceptions are not shared between threads by this library.
 */
public class StoreDamagedException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** @param message the store, the log, the position and what is wrong */
    public StoreDamagedException(String message) {
        super(message);
    }
}
