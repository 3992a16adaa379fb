package dev.chainkit.core;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one node's counters: events by type, rejects by reason, and the chains it holds now.
 *
 * <p>Thread safety: immutable.
 *
 * @param events how many events of each type happened since the node started
 * @param rejects how many inbound envelopes were refused, by reason
 * @param initiatorChains chains this node opened that have not ended
 * @param responderChains chains this node is answering that have not ended
 * @param tombstones ended chains this node still remembers for dedup
 * @param peers peers this node keeps a record of (each freed a dedup window after it last held anything)
 */
public record NodeStats(
        Map<ChainEventType, Long> events,
        Map<RejectReason, Long> rejects,
        int initiatorChains,
        int responderChains,
        int tombstones,
        int peers) {

    /** Copies the maps so the snapshot stays immutable. */
    public NodeStats {
        events = Map.copyOf(events);
        rejects = Map.copyOf(rejects);
    }

    /** How many events of {@code type} happened. */
    public long count(ChainEventType type) {
        return events.getOrDefault(type, 0L);
    }

    /** How many envelopes were refused for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejects.getOrDefault(reason, 0L);
    }

    static NodeStats of(long[] events, long[] rejects, int initiatorChains, int responderChains, int tombstones,
            int peers) {
        Map<ChainEventType, Long> e = new EnumMap<>(ChainEventType.class);
        for (ChainEventType t : ChainEventType.values()) {
            if (events[t.ordinal()] != 0) {
                e.put(t, events[t.ordinal()]);
            }
        }
        Map<RejectReason, Long> r = new EnumMap<>(RejectReason.class);
        for (RejectReason t : RejectReason.values()) {
            if (rejects[t.ordinal()] != 0) {
                r.put(t, rejects[t.ordinal()]);
            }
        }
        return new NodeStats(e, r, initiatorChains, responderChains, tombstones, peers);
    }
}
