package dev.chainkit.sim;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Message counters of a simulated network, in total and per message kind: sent (every message a node handed to
 * the network, retransmissions and answers to duplicates included, the network's own copies not), delivered,
 * dropped, duplicated (extra copies the network made) and retransmitted (resends by initiators, from
 * {@link dev.chainkit.core.ChainEventType#RETRANSMITTED} events).
 *
 * <p>Thread safety: immutable; a snapshot taken by {@link Simulation#counters()}.
 */
public final class NetworkCounters {

    private static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    private final Map<String, Counts> byKind;
    private final Counts total;

    private NetworkCounters(Map<String, Counts> byKind) {
        this.byKind = byKind;
        Counts t = ZERO;
        for (Counts c : byKind.values()) {
            t = t.plus(c);
        }
        this.total = t;
    }

    /**
     * Counters from per-kind counts; the map is copied and ordered by kind name.
     *
     * @throws NullPointerException if the map, a key or a value is null
     */
    public static NetworkCounters of(Map<String, Counts> byKind) {
        TreeMap<String, Counts> copy = new TreeMap<>();
        byKind.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "kind"), Objects.requireNonNull(v, "counts")));
        return new NetworkCounters(Collections.unmodifiableMap(copy));
    }

    /** The counts of one message kind. */
    public record Counts(long sent, long delivered, long dropped, long duplicated, long retransmitted) {

        /** The sum of this and {@code other}. */
        public Counts plus(Counts other) {
            return new Counts(sent + other.sent, delivered + other.delivered, dropped + other.dropped,
                    duplicated + other.duplicated, retransmitted + other.retransmitted);
        }
    }

    /** The counts over all kinds. */
    public Counts total() {
        return total;
    }

    /** The counts of {@code messageKind}; all zero for a kind never seen. */
    public Counts of(String messageKind) {
        return byKind.getOrDefault(messageKind, ZERO);
    }

    /** The counts of every kind seen, ordered by kind name. */
    public Map<String, Counts> byKind() {
        return byKind;
    }

    /** Messages sent in total. */
    public long sent() {
        return total.sent;
    }

    /** Messages delivered in total. */
    public long delivered() {
        return total.delivered;
    }

    /** Messages dropped in total. */
    public long dropped() {
        return total.dropped;
    }

    /** Extra copies made in total. */
    public long duplicated() {
        return total.duplicated;
    }

    /** Retransmissions in total. */
    public long retransmitted() {
        return total.retransmitted;
    }

    /** A table: one row per kind, then the total. */
    public String render() {
        int width = "total".length();
        for (String k : byKind.keySet()) {
            width = Math.max(width, k.length());
        }
        final int w = width;
        StringBuilder b = new StringBuilder();
        row(b, w, "kind", "sent", "delivered", "dropped", "duplicated", "retransmitted");
        byKind.forEach((k, c) -> row(b, w, k, c));
        row(b, w, "total", total);
        return b.toString();
    }

    private static void row(StringBuilder b, int width, String kind, Counts c) {
        row(b, width, kind, Long.toString(c.sent), Long.toString(c.delivered), Long.toString(c.dropped),
                Long.toString(c.duplicated), Long.toString(c.retransmitted));
    }

    private static void row(StringBuilder b, int width, String... cells) {
        b.append(cells[0]).append(" ".repeat(width - cells[0].length()));
        for (int i = 1; i < cells.length; i++) {
            int w = Math.max(cells[i].length(), i == 1 ? 8 : 14);
            b.append(' ').append(" ".repeat(Math.max(0, w - cells[i].length()))).append(cells[i]);
        }
        b.append('\n');
    }

    @Override
    public String toString() {
        return "NetworkCounters[sent=" + total.sent + ", delivered=" + total.delivered + ", dropped=" + total.dropped
                + ", duplicated=" + total.duplicated + ", retransmitted=" + total.retransmitted + "]";
    }
}
