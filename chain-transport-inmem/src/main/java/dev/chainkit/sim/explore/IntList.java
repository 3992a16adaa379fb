package dev.chainkit.sim.explore;

import java.util.Arrays;

/**
 * A growable list of {@code int}s, without boxing: the explorer's queue and transition graph hold tens of millions.
 * It holds at most 2,147,483,639 items, the longest array a JVM makes: a search whose graph would have more
 * edges (four for each of half a billion states) fails with what it could not hold.
 *
 * <p>Thread safety: not thread-safe.
 */
final class IntList {

    /** The longest array a JVM makes. */
    private static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private int[] items = new int[1024];
    private int size;

    void add(int value) {
        if (size == items.length) {
            if (size == MAX_LENGTH) {
                throw new IllegalStateException("a list of ints holds at most " + MAX_LENGTH + " items");
            }
            // by half: the transition graph holds hundreds of millions, and doubling would leave gigabytes unused
            items = Arrays.copyOf(items, (int) Math.min(MAX_LENGTH, size + (long) (size >> 1) + 16));
        }
        items[size++] = value;
    }

    /** Removes the first {@code n} items (a queue's consumed head), and the memory they took. */
    void dropFirst(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("dropping " + n + " of " + size);
        }
        int left = size - n;
        int[] rest = new int[(int) Math.min(MAX_LENGTH, Math.max(1024, left + (long) (left >> 1)))];
        System.arraycopy(items, n, rest, 0, left);
        items = rest;
        size = left;
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
