package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;

/**
 * The responder chains due for an idle check, in the order they were queued, each with its due time. Not API.
 *
 * <p>Design note: every responder chain is queued when it opens, but most end long before their check is due
 * (a 2-step chain ends at once). So a chain that ends takes itself out ({@link #remove}, which empties its slot),
 * and the ring skips empty slots at its head: an ended chain leaves nothing behind for the idle timeout, where a
 * queued record per chain would keep an object alive for that long (the default is 32 s).
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class IdleQueue {

    private static final int MIN_CAPACITY = 16;

    private ResponderState[] states = new ResponderState[MIN_CAPACITY];
    private long[] dueNs = new long[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    /** Serials [head, tail) are queued, at slot {@code serial & mask}; a removed chain leaves a null slot. */
    private long head;
    private long tail;

    /** Queues {@code rs} for a check at {@code atNs}. A chain is queued at most once at a time. */
    void add(ResponderState rs, long atNs) {
        skipEmpty();
        if (tail - head == mask + 1) {
            resize((mask + 1) * 2);
        }
        int s = (int) (tail & mask);
        states[s] = rs;
        dueNs[s] = atNs;
        rs.idleTicket = tail++;
    }

    /** Takes {@code rs} out of the queue, if it is queued. */
    void remove(ResponderState rs) {
        long ticket = rs.idleTicket;
        if (ticket >= head && ticket < tail) {
            int s = (int) (ticket & mask);
            if (states[s] == rs) {
                states[s] = null;
            }
        }
        rs.idleTicket = -1;
    }

    /** Removes and returns the oldest queued chain if its check is due by {@code nowNs}; null otherwise. */
    ResponderState pollDue(long nowNs) {
        skipEmpty();
        if (head == tail) {
            return null;
        }
        int s = (int) (head & mask);
        if (dueNs[s] - nowNs > 0) {
            return null;
        }
        ResponderState rs = states[s];
        states[s] = null;
        head++;
        rs.idleTicket = -1;
        return rs;
    }

    /** When the oldest queued check is due, in nanoseconds; {@code Long.MAX_VALUE} when none is queued. */
    long nextDueNs() {
        skipEmpty();
        return head == tail ? Long.MAX_VALUE : dueNs[(int) (head & mask)];
    }

    /** See {@link ChainNode#digest}: the queued checks in order, each its chain and due time. */
    void digest(StateSink sink) {
        for (long serial = head; serial < tail; serial++) {
            ResponderState rs = states[(int) (serial & mask)];
            if (rs != null) {
                sink.putBoolean(true).putChainId(rs.id).putTime(dueNs[(int) (serial & mask)]);
            }
        }
        sink.putBoolean(false);
    }

    /** Forgets everything and gives the memory back. */
    void clear() {
        states = new ResponderState[MIN_CAPACITY];
        dueNs = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        head = 0;
        tail = 0;
    }

    private void skipEmpty() {
        while (head < tail && states[(int) (head & mask)] == null) {
            head++;
        }
        int capacity = mask + 1;
        if (capacity > MIN_CAPACITY && tail - head < capacity / 8) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit((int) Math.max(1, tail - head) * 4)));
        }
    }

    /** Moves the queued serials into a ring of {@code capacity} slots; serials keep their meaning. */
    private void resize(int capacity) {
        ResponderState[] newStates = new ResponderState[capacity];
        long[] newDue = new long[capacity];
        int newMask = capacity - 1;
        for (long serial = head; serial < tail; serial++) {
            newStates[(int) (serial & newMask)] = states[(int) (serial & mask)];
            newDue[(int) (serial & newMask)] = dueNs[(int) (serial & mask)];
        }
        states = newStates;
        dueNs = newDue;
        mask = newMask;
    }
}
