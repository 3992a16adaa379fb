package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A server's view of one log: the durable prefix (what the store holds, as far as this server knows) followed by the
 * ops it finalized and is committing (speculative: they become durable, or are lost if another server appended
 * first), the state of each, the log's members, which server serves each client, and its members' sync marks.
 *
 * <p>The durable prefix only grows, and it is always a prefix of the store's log (the store never rewrites a
 * position): a commit moves it over the ops it made durable ({@link #durableUpTo}); a tail read moves it over the
 * ops another server appended ({@link #adopt}), dropping the speculative ops first. The state at the end of the
 * durable prefix is kept, so dropping speculative ops costs what they were, never a replay of the log.
 *
 * <p>Thread safety: confined to the server's node thread.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's payload type
 */
final class LogView<S, P> {

    /** The state after the first {@code size} ops. */
    private record Checkpoint<S>(int size, S state) {
    }

    private final Domain<S, P> domain;
    private final String logId;
    private final ArrayDeque<Checkpoint<S>> speculative = new ArrayDeque<>();
    private OpLog<P> log;
    private S state;
    private int durableSize;
    private S durableState;
    /** One more at every change of the log (growth, roll-back, adoption): a held rebase of another version is stale. */
    private long version;
    private Map<NodeId, Role> members;
    private Map<NodeId, NodeId> servedBy;
    /** The store's marks, with those this server took up since laid over them (newer): never goes back. */
    private Map<NodeId, SyncMark> syncMarks;

    /**
     * A view of {@code stored}, all of it durable.
     *
     * @throws IllegalStateException if the log does not replay
     */
    LogView(Domain<S, P> domain, StoredLog<P> stored) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.logId = stored.logId();
        this.log = stored.log();
        this.state = domain.replay(log);
        this.durableSize = log.size();
        this.durableState = state;
        this.members = LinkedHashMap.ofEntries(stored.members());
        this.servedBy = stored.servedBy();
        this.syncMarks = stored.syncMarks();
    }

    OpLog<P> log() {
        return log;
    }

    S state() {
        return state;
    }

    long version() {
        return version;
    }

    Map<NodeId, Role> members() {
        return members;
    }

    /** The server that serves {@code client}, if the store names one. */
    Option<NodeId> servedBy(NodeId client) {
        return servedBy.get(client);
    }

    /** Every member's sync mark (durable or being committed). */
    Map<NodeId, SyncMark> syncMarks() {
        return syncMarks;
    }

    /** {@code member}'s sync chain of {@code mark} is taken up (the mark stays if a newer one is known). */
    void takeUp(NodeId member, SyncMark mark) {
        syncMarks = syncMarks.put(member, mark, SyncMark::newer);
    }

    /** Appends finalized ops whose state is {@code newState}; they are speculative until {@link #durableUpTo}. */
    void append(Vector<Operation<P>> ops, S newState) {
        log = log.appendAll(ops);
        state = newState;
        version++;
        speculative.add(new Checkpoint<>(log.size(), newState));
    }

    /** The first {@code size} ops are durable now (a commit landed). */
    void durableUpTo(int size) {
        while (!speculative.isEmpty() && speculative.peekFirst().size() <= size) {
            Checkpoint<S> c = speculative.pollFirst();
            durableSize = c.size();
            durableState = c.state();
        }
    }

    /** Drops the speculative ops: the view is the durable prefix again. */
    void rollBack() {
        if (log.size() > durableSize) {
            log = log.truncateAfter(log.get(durableSize - 1).id());
            state = durableState;
            version++;
        }
        speculative.clear();
    }

    void putMember(NodeId node, Role role) {
        members = members.put(node, role);
    }

    void removeMember(NodeId node) {
        members = members.remove(node);
    }

    void serve(NodeId client, NodeId server) {
        servedBy = servedBy.put(client, server);
    }

    /**
     * Takes what the store holds: drops the speculative ops if they are lost, appends the tail's ops to the durable
     * prefix (all of it durable then), and takes the store's members and servers, with the changes this server has
     * staged and not yet committed laid over them, and the store's sync marks where they are newer.
     *
     * @param tail the store's log from the durable size on
     * @param speculativeLost whether the speculative ops will never be durable (they must be dropped whenever the
     *     tail has ops: those take their positions)
     * @param stagedMembers member changes not yet committed
     * @param stagedServedBy server changes not yet committed
     * @throws IllegalStateException if the tail does not start at the durable size or its ops do not apply (the
     *     store is damaged or was written by another domain); then the view is rolled back but not moved
     */
    void adopt(LogTail<P> tail, boolean speculativeLost, Map<NodeId, Option<Role>> stagedMembers,
            Map<NodeId, NodeId> stagedServedBy) {
        if (speculativeLost || !tail.ops().isEmpty()) {
            rollBack();
        }
        if (tail.from() != durableSize) {
            throw new IllegalStateException("a tail of log " + logId + " from " + tail.from() + " does not continue "
                    + "the durable prefix of " + durableSize + " ops");
        }
        if (!tail.ops().isEmpty()) {
            S next = durableState;
            for (Operation<P> op : tail.ops()) {
                if (log.contains(op.id())) {
                    throw new IllegalStateException("log " + logId + " in the store holds op " + op.id() + " twice");
                }
                Either<OpError, S> applied = domain.apply(next, op);
                if (applied.isLeft()) {
                    throw new IllegalStateException("op " + op.id() + " of log " + logId + " in the store does not "
                            + "apply where it stands: " + applied.getLeft());
                }
                next = applied.get();
            }
            log = log.appendAll(tail.ops());
            state = next;
            durableSize = log.size();
            durableState = next;
            version++;
        }
        Map<NodeId, Role> m = LinkedHashMap.ofEntries(tail.members());
        for (var change : stagedMembers) {
            m = change._2.isDefined() ? m.put(change._1, change._2.get()) : m.remove(change._1);
        }
        members = m;
        servedBy = tail.servedBy().merge(stagedServedBy, (stored, staged) -> staged);
        syncMarks = syncMarks.merge(tail.syncMarks(), SyncMark::newer);
    }
}
