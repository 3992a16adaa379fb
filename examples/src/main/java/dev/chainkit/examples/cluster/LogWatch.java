package dev.chainkit.examples.cluster;

import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.util.Objects;

/**
 * What the invariant checker knows of one node's log: the version it last confirmed, the replayed state after
 * each of its ops, and the position of each op id. Moving it to the node's next version
 * ({@link #moveTo}) confirms that no op id is in the new log twice and that the node's state is the replay of the
 * new log, at a cost that grows with what changed rather than with the log.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Exact, incremental.</b> The longest common prefix of the new version and the confirmed one is found
 *   exactly by {@link OpLog#commonPrefixLength}: a binary search over the part the two versions of one history
 *   share, then op by op. The replay then starts from the state confirmed after that prefix and applies only the
 *   ops after it; ids are checked only for those ops. So a change costs what it changed, not the log's length.</li>
 *   <li><b>Cheap equality.</b> The checker's replay goes through the same {@link SharedResults} as the node, so a
 *   node that derived its state as the rules say holds the very object the replay ends on; a node that did not
 *   holds another object, which is then compared in full.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; one simulation's thread uses it.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's payload type
 */
final class LogWatch<S, P> {

    private final Domain<S, P> domain;
    private OpLog<P> log;
    private S state;
    /** The replayed state after each op of {@link #log}, position by position. */
    private Vector<S> states = Vector.empty();
    private HashMap<OpId, Integer> positions = HashMap.empty();
    private int commonPrefix;

    /** @throws NullPointerException if {@code domain} is null */
    LogWatch(Domain<S, P> domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    /**
     * Moves to the node's current log and state, checking them.
     *
     * @param newLog the node's log now
     * @param newState the node's state now
     * @return null when no op id is in the log twice and the state is the replay of the log, otherwise what is
     *     wrong, to follow the node's name and {@code 's} (e.g. {@code state is not the replay of its log}); then
     *     the watch stays on the version it last confirmed
     */
    String moveTo(OpLog<P> newLog, S newState) {
        return moveTo(newLog, newState, true);
    }

    /**
     * Moves to a version of a log that no node folds (the shared store's), checking that no op id is in it twice and
     * that it replays.
     *
     * @return null when it holds, otherwise what is wrong (see {@link #moveTo(OpLog, Object)})
     */
    String moveTo(OpLog<P> newLog) {
        return moveTo(newLog, null, false);
    }

    private String moveTo(OpLog<P> newLog, S newState, boolean compare) {
        if (newLog == log && (!compare || newState == state)) {
            commonPrefix = log.size();
            return null;
        }
        int common = log == null ? 0 : log.commonPrefixLength(newLog);
        HashMap<OpId, Integer> newPositions = positions;
        int oldSize = log == null ? 0 : log.size();
        for (int i = common; i < oldSize; i++) {
            newPositions = newPositions.remove(log.get(i).id());
        }
        Vector<S> newStates = states.take(common);
        S replayed = common == 0 ? domain.empty() : newStates.last();
        for (int i = common; i < newLog.size(); i++) {
            Operation<P> op = newLog.get(i);
            Integer earlier = newPositions.get(op.id()).getOrNull();
            if (earlier != null) {
                return "log holds op " + op.id() + " twice, at positions " + earlier + " and " + i;
            }
            newPositions = newPositions.put(op.id(), i);
            Either<OpError, S> next = domain.apply(replayed, op);
            if (next.isLeft()) {
                return "log does not replay: op " + op.id() + " at position " + i + " does not apply ("
                        + next.getLeft() + ")";
            }
            replayed = next.get();
            newStates = newStates.append(replayed);
        }
        if (compare && replayed != newState && !replayed.equals(newState)) {
            return "state is not the replay of its log";
        }
        // The node's own object from now on: its next states derive from it, so the shared results connect.
        S kept = compare ? newState : replayed;
        newStates = newStates.update(newStates.size() - 1, kept);
        log = newLog;
        state = kept;
        states = newStates;
        positions = newPositions;
        commonPrefix = common;
        return null;
    }

    /**
     * How many ops at the start of the log confirmed by the latest {@link #moveTo} are those of the version
     * confirmed before it (all of them when nothing changed).
     *
     * @return the length of the unchanged prefix
     */
    int unchangedPrefix() {
        return commonPrefix;
    }
}
