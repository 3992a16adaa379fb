package dev.chainkit.sim.explore;

import java.util.Arrays;

/**
 * A growable list of {@code int}s, without boxing: the explorer's queue and transition graph hold tens of millions.
 *
 * <p>Thread safety: not thread-safe.
 */
final class IntList {

    private int[] items = new int[1024];
    private int size;

    void add(int value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = value;
    }

    int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return items[index];
    }

    int size() {
        return size;
    }
}
