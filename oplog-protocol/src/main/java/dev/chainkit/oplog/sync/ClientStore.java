package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;

/**
 * What a client persists for one log: the log (synced ops followed by its pending ops), the last op it knows the
 * server has (the synced tip), and the counter it names its ops with. Pending ops therefore survive a crash.
 *
 * <p>The contract: {@link #save} replaces the synced history, the synced tip and the pending ops in one durable
 * transaction (a store writes only what changed: the ops after the longest kept prefix); {@link #nextOpNumber}
 * reserves a number durably before the op is named with it, so a restarted client never names two ops alike.
 * Opening a store validates it (positions dense, the synced tip in the log) and refuses damage with a message that
 * says what is wrong.
 *
 * <p>Thread safety: called on the client's node thread only.
 *
 * @param <P> the domain's op payload type
 */
public interface ClientStore<P> {

    /** The persisted log. */
    OpLog<P> log();

    /** The last op of {@link #log()} known to be on the server. */
    OpId syncedTip();

    /**
     * Persists the log and the synced tip together, in one durable transaction.
     *
     * @param log the whole log: synced ops, then pending ops
     * @param syncedTip the last synced op
     * @throws IllegalArgumentException if {@code syncedTip} is not in {@code log}
     * @throws RuntimeException (a store-specific type) if the store cannot be written; then nothing changed
     */
    void save(OpLog<P> log, OpId syncedTip);

    /**
     * Returns the next op number and persists its successor durably before returning.
     *
     * @return the number, 1 at first
     * @throws RuntimeException (a store-specific type) if the store cannot be written
     */
    long nextOpNumber();

    /** A store kept in memory, starting synced at the last op of {@code initial}. */
    static <P> ClientStore<P> inMemory(OpLog<P> initial) {
        return new InMemoryClientStore<>(initial);
    }
}
