package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ServerStore} in memory, with the same fencing and op identity as the stores on disk: an append at a
 * position the log is not at, or a sync mark not newer than the stored one, is refused with a conflict, a log never
 * takes an id twice, and cursors only move forward. Its "transactions" are atomic because the whole state is one
 * immutable value swapped at the end.
 *
 * <p>Thread safety: thread-safe (its methods are synchronized), so a server may call it from a store executor.
 */
final class InMemoryServerStore<P> implements ServerStore<P> {

    private Map<String, StoredLog<P>> logs = HashMap.empty();

    @Override
    public synchronized Optional<StoredLog<P>> load(String logId) {
        return logs.get(Objects.requireNonNull(logId, "logId")).toJavaOptional();
    }

    @Override
    public synchronized Optional<AppendConflict> commit(List<LogAppend<P>> appends) {
        Objects.requireNonNull(appends, "appends");
        Map<String, StoredLog<P>> next = logs;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (LogAppend<P> append : appends) {
            Objects.requireNonNull(append, "append");
            if (!seen.add(append.logId())) {
                throw new IllegalArgumentException("two appends name log " + append.logId() + "; merge them");
            }
            StoredLog<P> current = next.get(append.logId()).getOrNull();
            int size = current == null ? 0 : current.log().size();
            boolean fenced = append.ops().isEmpty() ? current == null || size < append.expectedSize()
                    : size != append.expectedSize();
            if (fenced) {
                return Optional.of(new AppendConflict.LogMoved(append.logId(), append.expectedSize(), size));
            }
            Map<NodeId, SyncMark> marks = current == null ? HashMap.empty() : current.syncMarks();
            for (var mark : append.syncMarks()) {
                SyncMark stored = marks.get(mark._1).getOrNull();
                if (stored != null && stored.compareTo(mark._2) >= 0) {
                    return Optional.of(new AppendConflict.MarkTaken(append.logId(), mark._1, stored, mark._2));
                }
            }
            OpLog<P> log = current == null ? null : current.log();
            for (Operation<P> op : append.ops()) {
                if (log != null && log.contains(op.id())) {
                    return Optional.of(new AppendConflict.OpIdTaken(append.logId(), op.id(), log.indexOf(op.id())));
                }
                log = log == null ? OpLog.genesis(op) : log.append(op);
            }
            Map<NodeId, Integer> cursors = current == null ? HashMap.empty() : current.cursors();
            Map<NodeId, Role> members = current == null ? LinkedHashMap.empty() : current.members();
            for (var change : append.members()) {
                members = change._2.isDefined() ? members.put(change._1, change._2.get()) : members.remove(change._1);
            }
            Map<NodeId, NodeId> servedBy = current == null ? HashMap.empty() : current.servedBy();
            next = next.put(append.logId(), new StoredLog<>(append.logId(), log, cursors.merge(append.cursors(),
                    Math::max), members, servedBy.merge(append.servedBy(), (old, now) -> now),
                    marks.merge(append.syncMarks(), (old, now) -> now)));
        }
        logs = next;
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "InMemoryServerStore[" + logs.size() + " logs]";
    }
}
