package dev.chainkit.sim.explore;

/**
 * A set of 128-bit fingerprints in two primitive arrays (open addressing, linear probing, at most half full): 16
 * bytes a member, twice over at worst. What the search counts distinct node states with.
 *
 * <p>Thread safety: not thread-safe; one thread.
 */
final class FingerprintSet {

    private long[] high = new long[1 << 12];
    private long[] low = new long[1 << 12];
    private boolean[] used = new boolean[1 << 12];
    private int size;

    /** How many fingerprints. */
    int size() {
        return size;
    }

    /** Adds a fingerprint; returns whether it was new. */
    boolean add(long h, long l) {
        if ((size + 1) * 2L > used.length) {
            grow();
        }
        int mask = used.length - 1;
        for (int i = slot(h, l, mask); ; i = (i + 1) & mask) {
            if (!used[i]) {
                used[i] = true;
                high[i] = h;
                low[i] = l;
                size++;
                return true;
            }
            if (high[i] == h && low[i] == l) {
                return false;
            }
        }
    }

    /** Writes every member, with their count, to a checkpoint. */
    void write(CheckpointFile.Out out) {
        out.putInt(size);
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                out.putLong(high[i]);
                out.putLong(low[i]);
            }
        }
    }

    /** The set {@link #write} wrote. @throws Checkpoints.Unusable if the checkpoint is damaged */
    static FingerprintSet read(CheckpointFile.In in) {
        FingerprintSet set = new FingerprintSet();
        int n = in.count(2 * Long.BYTES);
        for (int i = 0; i < n; i++) {
            set.add(in.getLong(), in.getLong());
        }
        return set;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        boolean[] oldUsed = used;
        high = new long[oldUsed.length * 2];
        low = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                add(oldHigh[i], oldLow[i]);
            }
        }
    }

    private static int slot(long h, long l, int mask) {
        return (int) (h ^ (l >>> 32)) & mask;
    }
}
