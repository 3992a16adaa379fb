package dev.chainkit.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The chains a node opened that have not ended, found by sequence number. Not API.
 *
 * <p>Design note: the keys are this node's own sequence numbers, so no peer can choose what goes in; a reply with a
 * made-up sequence only looks one up. A fixed mix spreads consecutive sequences, linear probing keeps lookups on one
 * or two cache lines, and a slot is a reference to the chain itself (no entry object, no key object: 8 bytes per
 * chain at half load, where a {@code HashMap} spent some 40; P4 in docs/BENCHMARKS.md). The slot array shrinks when
 * mostly empty.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class InitiatorTable {

    private static final int MIN_CAPACITY = 16;
    private static final Comparator<InitiatorState<?, ?>> IN_START_ORDER =
            Comparator.comparingLong(st -> st.id.sequence());

    private InitiatorState<?, ?>[] slots = new InitiatorState<?, ?>[MIN_CAPACITY];
    private int size;

    /** How many chains are held. */
    int size() {
        return size;
    }

    /** The chain with {@code sequence}, or null. */
    InitiatorState<?, ?> get(long sequence) {
        int mask = slots.length - 1;
        for (int i = home(sequence, mask); ; i = (i + 1) & mask) {
            InitiatorState<?, ?> st = slots[i];
            if (st == null || st.id.sequence() == sequence) {
                return st;
            }
        }
    }

    /** Adds {@code st}, whose sequence is not held yet. */
    void add(InitiatorState<?, ?> st) {
        if (++size > slots.length / 2) {
            resize(slots.length * 2);
        }
        insert(st);
    }

    /** Removes {@code st} if it is held; whether it was. */
    boolean remove(InitiatorState<?, ?> st) {
        int mask = slots.length - 1;
        int i = home(st.id.sequence(), mask);
        while (slots[i] != st) {
            if (slots[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int h = home(slots[j].id.sequence(), mask);
            if (((j - i) & mask) <= ((j - h) & mask)) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 4)));
        }
        return true;
    }

    /** The chains {@code which} selects, in the order they started (their sequence order). */
    List<InitiatorState<?, ?>> select(Predicate<InitiatorState<?, ?>> which) {
        List<InitiatorState<?, ?>> out = new ArrayList<>();
        for (InitiatorState<?, ?> st : slots) {
            if (st != null && which.test(st)) {
                out.add(st);
            }
        }
        out.sort(IN_START_ORDER);
        return out;
    }

    /** Forgets every chain and gives the memory back. */
    void clear() {
        slots = new InitiatorState<?, ?>[MIN_CAPACITY];
        size = 0;
    }

    private void insert(InitiatorState<?, ?> st) {
        int mask = slots.length - 1;
        int i = home(st.id.sequence(), mask);
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = st;
    }

    private void resize(int capacity) {
        InitiatorState<?, ?>[] old = slots;
        slots = new InitiatorState<?, ?>[capacity];
        for (InitiatorState<?, ?> st : old) {
            if (st != null) {
                insert(st);
            }
        }
    }

    /** Fibonacci hashing: the sequence times 2^64 / phi, upper bits; consecutive sequences land far apart. */
    private static int home(long sequence, int mask) {
        return (int) ((sequence * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
