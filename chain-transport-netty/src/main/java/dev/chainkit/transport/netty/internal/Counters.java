package dev.chainkit.transport.netty.internal;

import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.DropReason;
import dev.chainkit.transport.netty.TransportStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One node's transport counters. Written only on the node's event-loop thread (a single writer, so an increment
 * is a read and an ordered write, no atomic read-modify-write); read from any thread. Not API.
 *
 * <p>Thread safety: one writer thread, any number of readers.
 */
public final class Counters {

    static final int SENT = 0;
    static final int RECEIVED = 1;
    static final int LINKS_ESTABLISHED = 2;
    static final int READ_PAUSES = 3;
    static final int CONNECT_FAILURES = 4;
    static final int LINKS = 5;

    private final AtomicLongArray general = new AtomicLongArray(6);
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray closed = new AtomicLongArray(CloseReason.values().length);
    private final AtomicLongArray closedByPeer = new AtomicLongArray(CloseReason.values().length);

    void add(int counter, long delta) {
        general.lazySet(counter, general.get(counter) + delta);
    }

    void set(int counter, long value) {
        general.lazySet(counter, value);
    }

    void dropped(DropReason reason) {
        dropped.lazySet(reason.ordinal(), dropped.get(reason.ordinal()) + 1);
    }

    void closed(CloseReason reason, boolean byPeer) {
        AtomicLongArray a = byPeer ? closedByPeer : closed;
        a.lazySet(reason.ordinal(), a.get(reason.ordinal()) + 1);
    }

    /** A snapshot. Any thread. */
    public TransportStats snapshot() {
        return new TransportStats(general.get(SENT), general.get(RECEIVED), nonZero(DropReason.class, dropped),
                nonZero(CloseReason.class, closed), nonZero(CloseReason.class, closedByPeer),
                general.get(LINKS_ESTABLISHED), general.get(READ_PAUSES), general.get(CONNECT_FAILURES),
                (int) general.get(LINKS));
    }

    private static <E extends Enum<E>> Map<E, Long> nonZero(Class<E> type, AtomicLongArray counts) {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            long n = counts.get(e.ordinal());
            if (n != 0) {
                m.put(e, n);
            }
        }
        return m;
    }
}
