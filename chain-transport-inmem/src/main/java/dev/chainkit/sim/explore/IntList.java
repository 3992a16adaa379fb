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

    /** Writes the items from {@code from} on, with their count, to a checkpoint. */
    void write(CheckpointFile.Out out, int from) {
        out.putInt(size - from);
        out.putInts(items, from, size);
    }

    /** The list {@link #write} wrote. @throws Checkpoints.Unusable if the checkpoint is damaged */
    static IntList read(CheckpointFile.In in) {
        IntList list = new IntList();
        int n = in.count(Integer.BYTES);
        list.items = new int[Math.max(list.items.length, n)];
        in.getInts(list.items, n);
        list.size = n;
        return list;
    }
}
