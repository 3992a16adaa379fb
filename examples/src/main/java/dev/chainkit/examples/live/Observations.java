package dev.chainkit.examples.live;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.NodeId;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.sync.OpRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the nodes of a live run told the runner, across all their incarnations: their chain events (fed to a
 * {@link ChainAudit}, as the simulator's are), the messages each kind of them sent and resent, and what each op of
 * their users became. It outlives every node process, so what a node told before it was killed still counts.
 *
 * <p>Thread safety: thread-safe; each node's stream is fed from its own reader thread (or node thread).
 */
final class Observations {

    private final ChainAudit audit = new ChainAudit();
    /** Per message kind: sent (first sends, resends, answers to duplicates) and resent. */
    private final Map<String, long[]> sent = new TreeMap<>();
    /** Per node, per incarnation in order, each op's latest record. */
    private final Map<String, TreeMap<Long, Map<OpId, OpRecord>>> records = new LinkedHashMap<>();
    private final Map<String, Long> incarnations = new LinkedHashMap<>();
    private long told;
    private boolean frozen;

    /**
     * The observer of one node: it tags what the node tells with the node's name and the incarnation it took.
     *
     * @param node the node's name
     */
    NodeObserver of(String node) {
        NodeId id = NodeId.of(node);
        return new NodeObserver() {
            private volatile long incarnation;

            @Override
            public void onIncarnation(long value) {
                incarnation = value;
                started(node, value);
            }

            @Override
            public void onEvent(ChainEvent event) {
                event(id, incarnation, event);
            }

            @Override
            public void onRecord(OpRecord record) {
                record(node, incarnation, record);
            }
        };
    }

    private synchronized void started(String node, long incarnation) {
        incarnations.put(node, incarnation);
    }

    private synchronized void event(NodeId node, long incarnation, ChainEvent event) {
        if (frozen) {
            return;
        }
        told++;
        ChainEvent e = event.node().equals(node) ? event : new ChainEvent(event.type(), event.timeNs(), node,
                event.role(), event.protocol(), event.chainId(), event.step(), event.peer(), event.detail());
        audit.onEvent(e, incarnation);
        ChainEventType t = e.type();
        if (t == ChainEventType.SENT || t == ChainEventType.RETRANSMITTED || t == ChainEventType.DUPLICATE_ANSWERED) {
            long[] counts = sent.computeIfAbsent(e.detail(), k -> new long[2]);
            counts[0]++;
            if (t == ChainEventType.RETRANSMITTED) {
                counts[1]++;
            }
        }
    }

    private synchronized void record(String node, long incarnation, OpRecord record) {
        if (frozen) {
            return;
        }
        told++;
        records.computeIfAbsent(node, n -> new TreeMap<>()).computeIfAbsent(incarnation, i -> new LinkedHashMap<>())
                .put(record.id(), record);
    }

    /**
     * Lets the audit tell a chain cut short by a crash from one in flight: the incarnation of each node is the one
     * it last took, and {@code isUp} says whether the scenario has it up.
     */
    void attach(java.util.function.Predicate<String> isUp) {
        withAudit(a -> {
            a.attach(new ChainAudit.Lives() {
                @Override
                public long incarnation(NodeId node) {
                    synchronized (Observations.this) {
                        return incarnations.getOrDefault(node.name(), 0L);
                    }
                }

                @Override
                public boolean isUp(NodeId node) {
                    return isUp.test(node.name());
                }
            });
            return null;
        });
    }

    /** From now on nothing the nodes tell counts: the run has ended, and stopping the nodes is not part of it. */
    synchronized void freeze() {
        frozen = true;
    }

    /** How many things the nodes told so far: what moves while anything happens. */
    synchronized long told() {
        return told;
    }

    /** Runs {@code reader} on the audit under this object's lock. */
    synchronized <T> T withAudit(java.util.function.Function<ChainAudit, T> reader) {
        return reader.apply(audit);
    }

    /** Per message kind: {sent, resent}, copied. */
    synchronized Map<String, long[]> sent() {
        Map<String, long[]> copy = new TreeMap<>();
        sent.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * What the author of {@code id} knows of it: the record of the first incarnation (of any node, in the order the
     * nodes first told) that carried it in a chain, else the latest one that knows it; as the simulated cluster's
     * {@code record}.
     */
    synchronized Optional<OpRecord> record(OpId id) {
        OpRecord found = null;
        for (TreeMap<Long, Map<OpId, OpRecord>> lives : records.values()) {
            for (Map<OpId, OpRecord> life : lives.values()) {
                OpRecord r = life.get(id);
                if (r != null && (found == null || (found.firstChain() == null && r.firstChain() != null))) {
                    found = r;
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
