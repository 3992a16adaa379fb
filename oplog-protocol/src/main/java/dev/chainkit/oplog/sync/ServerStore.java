package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.List;
import java.util.Optional;

/**
 * What servers persist: op logs, many per store, keyed by log id, and per log how far forwarding has reached each
 * member, which server serves each member, who the members are (the member registry) and the newest sync chain of
 * each member the log took up ({@link SyncMark}). Everything else a server holds is volatile and lost in a crash.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>Append, fenced.</b> A log only grows, by {@link #commit appends} at an expected position; an append
 *   whose log has moved is refused with a typed {@link AppendConflict} and changes nothing. So several servers on
 *   one store never both append at one position of a log. A commit without ops (cursors, members, servers, sync
 *   marks only) needs only the log to hold at least the expected ops: those facts do not depend on ops appended
 *   since.</li>
 *   <li><b>Cursors only move forward.</b> A commit names a forward cursor's new position; a stored cursor further on
 *   stays where it is, so two servers writing one client's cursor never move it back.</li>
 *   <li><b>A sync chain is taken up once.</b> A commit whose sync mark for a member is not newer than the stored
 *   one is refused with {@link AppendConflict.MarkTaken} and changes nothing, so two servers never both take up one
 *   sync chain, nor an older one after a newer.</li>
 *   <li><b>Shared.</b> A store that other servers may write to as well says so ({@link #shared()}), gives the end of
 *   a log cheaply ({@link #tail}) and tells its servers when a log changed ({@link #listen}); see
 *   {@link OplogServer}'s design notes for how servers use them.</li>
 *   <li><b>One transaction.</b> A {@link #commit} of several appends (of one or several logs) and their cursor
 *   moves happens entirely or not at all, and when it returns it is durable: it survives a crash of the process
 *   and, for stores on disk, of the machine (a server answers a sync only after its ops are durable).</li>
 *   <li><b>Op identity.</b> A log never holds an op id twice; a store keeps each op's {@link
 *   dev.chainkit.oplog.OpDigest} with it and gives back exactly what was appended.</li>
 *   <li><b>Validated on open.</b> What {@link #load} returns is a log whose positions are dense from the genesis and
 *   whose cursors are inside it; a store that finds damage says what is wrong, and where, instead of returning it.
 *   </li>
 * </ul>
 *
 * <p>Thread safety: a server calls its store from one thread at a time (its store executor, or its node's thread),
 * never concurrently; consecutive calls may come from different threads, ordered by the executor's hand-off.
 * Implementations meant to be shared by several servers in one process must be thread-safe.
 *
 * @param <P> the domain's op payload type
 */
public interface ServerStore<P> {

    /**
     * Reads a log and its cursors.
     *
     * @param logId the log
     * @return the log, or empty if the store has none of that id
     * @throws NullPointerException if {@code logId} is null
     * @throws RuntimeException (a store-specific type) if the store cannot be read or the log is damaged; the
     *     message names the log and what is wrong
     */
    Optional<StoredLog<P>> load(String logId);

    /**
     * Appends ops, moves cursors, changes members and servers and moves sync marks, in one durable transaction: all
     * of it, or, on a conflict, none of it.
     *
     * @param appends the appends, at most one per log
     * @return empty once committed, or the first conflict found (then nothing changed)
     * @throws NullPointerException if {@code appends} or an element is null
     * @throws IllegalArgumentException if two appends name the same log
     * @throws RuntimeException (a store-specific type) if the store cannot be written; then nothing changed, or,
     *     if the store cannot tell (a connection lost during the commit), {@link #load} says what did
     */
    Optional<AppendConflict> commit(List<LogAppend<P>> appends);

    /**
     * Reads the end of a log: its ops from position {@code from} on, and its cursors, servers and members. The
     * default reads the whole log ({@link #load}); stores on a database read only the rows from {@code from}.
     *
     * @param logId the log
     * @param from the first position to read, 1 or more (the reader has the ops before it)
     * @return the tail, or empty if the store has no log of that id
     * @throws NullPointerException if {@code logId} is null
     * @throws IllegalArgumentException if {@code from} is below 1 or past the log's size
     * @throws RuntimeException (a store-specific type) as {@link #load}
     */
    default Optional<LogTail<P>> tail(String logId, int from) {
        return load(logId).map(stored -> LogTail.of(stored, from));
    }

    /**
     * Whether other servers may write to this store's logs too (a database several server processes share). A
     * server on a shared store keeps its view of each log fresh: it listens for hints, reads a log's tail when an
     * append loses a race or a sync names an op it does not know, and forwards only to the clients it serves.
     * The default: no.
     */
    default boolean shared() {
        return false;
    }

    /**
     * Starts telling {@code listener} when logs of this store change by another writer's commit (see
     * {@link HintListener}); the default, for a store no one else writes to, tells nothing.
     *
     * @param listener hears the hints, on a thread of the store
     * @return the subscription; close it to stop
     * @throws NullPointerException if {@code listener} is null
     */
    default HintSubscription listen(HintListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return HintSubscription.NONE;
    }

    /**
     * Reads log {@code logId}, creating it with {@code genesis} as its only op first if the store has none.
     *
     * @param logId the log
     * @param genesis the genesis op of a new log
     * @return the log
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if another writer created the log between the read and the create and it
     *     cannot be read back
     * @throws RuntimeException as {@link #load} and {@link #commit}
     */
    default StoredLog<P> loadOrCreate(String logId, Operation<P> genesis) {
        return loadOrCreate(logId, genesis, HashMap.empty());
    }

    /**
     * Reads log {@code logId}, creating it first if the store has none: with {@code genesis} as its only op and
     * {@code members} as its member registry, in one transaction. An existing log is returned as it is (its members
     * are not changed).
     *
     * @param logId the log
     * @param genesis the genesis op of a new log
     * @param members the members of a new log, with their roles
     * @return the log
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if another writer created the log between the read and the create and it
     *     cannot be read back
     * @throws RuntimeException as {@link #load} and {@link #commit}
     */
    default StoredLog<P> loadOrCreate(String logId, Operation<P> genesis, Map<NodeId, Role> members) {
        Optional<StoredLog<P>> existing = load(logId);
        if (existing.isPresent()) {
            return existing.get();
        }
        // a conflict means another writer created it
        commit(List.of(new LogAppend<>(logId, 0, Vector.of(genesis), HashMap.empty(),
                members.mapValues(Option::some))));
        return load(logId).orElseThrow(() -> new IllegalStateException("log " + logId + " was created but cannot "
                + "be read back from " + this));
    }

    /**
     * A store kept in memory: survives a simulated crash when the simulator keeps the object.
     *
     * @return an empty store
     */
    static <P> ServerStore<P> inMemory() {
        return new InMemoryServerStore<>();
    }

    /**
     * A store kept in memory that holds {@code initial} as log {@code logId}.
     *
     * @param logId the log's id
     * @param initial its ops
     * @return the store
     * @throws NullPointerException if an argument is null
     */
    static <P> ServerStore<P> inMemory(String logId, OpLog<P> initial) {
        ServerStore<P> store = new InMemoryServerStore<>();
        store.commit(List.of(LogAppend.of(logId, 0, initial.ops())));
        return store;
    }
}
