package dev.chainkit.oplog.sync;

/**
 * Hears that logs of a shared {@link ServerStore} changed: another server appended ops, or moved which server
 * serves a client. A hint carries only the log's id and its size; the server then reads what it lacks from the
 * store ({@link ServerStore#tail}). Hints are an optimisation, never the truth: one may be lost (a dropped
 * connection), late, or repeated, and a store that can lose them says so with {@link #hintsMayBeLost()} and polls
 * the heads of the logs as a safety net.
 *
 * <p>Threading: called on a thread of the store (a listener thread), never concurrently; must not block: hand the
 * hint to the server's node thread.
 */
public interface HintListener {

    /**
     * Log {@code logId} changed in the store; it has {@code size} ops now.
     *
     * @param logId the log
     * @param size its size as the writer left it (a later change may have grown it further)
     */
    void hint(String logId, int size);

    /**
     * Hints may have been lost (the store's listener connection dropped and came back): every hosted log should be
     * read again from the store.
     */
    void hintsMayBeLost();
}
