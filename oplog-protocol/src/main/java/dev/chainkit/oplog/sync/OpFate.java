package dev.chainkit.oplog.sync;

/**
 * Where an op a client's user made stands.
 *
 * <p>Thread safety: immutable.
 */
public enum OpFate {
    /** Made and applied locally; not yet known to be on the server. */
    PENDING,
    /** Known to be on the server. */
    SYNCED,
    /** Dropped by its author's decision in a conflict (or because it depended on a dropped op). */
    DROPPED,
    /**
     * Refused: at once locally, because it did not apply to the local state, or by the server, because its id already
     * names another op there (a client whose store was rolled back); it is in no log under this content.
     */
    REJECTED
}
