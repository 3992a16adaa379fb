package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * How the op-log sync's states write themselves for a model checker ({@link StateSink}): ops, op lists and per-node
 * maps, canonically (maps by node name). Not API.
 *
 * <p>Thread safety: stateless.
 */
final class StateDigests {

    private StateDigests() {
    }

    /** Writes an op ({@link Operation#digest}), or that there is none. */
    static void putOp(StateSink sink, Operation<?> op) {
        sink.putBoolean(op != null);
        if (op != null) {
            op.digest(sink);
        }
    }

    /** Writes ops in order. */
    static void putOps(StateSink sink, Iterable<? extends Operation<?>> ops) {
        int n = 0;
        for (Operation<?> op : ops) {
            putOp(sink, op);
            n++;
        }
        sink.putInt(n);
    }

    /** Writes op ids in order. */
    static void putIds(StateSink sink, Iterable<OpId> ids) {
        int n = 0;
        for (OpId id : ids) {
            sink.putString(id.value());
            n++;
        }
        sink.putInt(n);
    }

    /**
     * Writes sync marks ordered by node name, each as its incarnation and a sequence watermark of its member
     * ({@link StateSink#putSequence}: relative to the member's next chain, as the engine's own watermarks).
     */
    static void putMarks(StateSink sink, Map<NodeId, SyncMark> marks) {
        putByNode(sink, marks, (member, mark) -> sink.putLong(mark.incarnation())
                .putSequence(member, mark.incarnation(), mark.sequence()));
    }

    /** Writes a per-node map ordered by node name, each value as its text. */
    static void putByNode(StateSink sink, Map<NodeId, ?> map) {
        putByNode(sink, map, (node, value) -> sink.putString(String.valueOf(value)));
    }

    /** Writes a per-node map ordered by node name: each node, then its value as {@code value} writes it. */
    private static <V> void putByNode(StateSink sink, Map<NodeId, V> map, BiConsumer<NodeId, V> value) {
        Map<String, V> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(k.name(), v));
        sink.putInt(sorted.size());
        sorted.forEach((k, v) -> {
            NodeId node = NodeId.of(k);
            sink.putNode(node);
            value.accept(node, v);
        });
    }
}
