package dev.chainkit.sim.explore;

import java.util.Arrays;

/**
 * What the explorer keeps of the states it visited, in primitive arrays: a 128-bit fingerprint per state, found
 * through an open-addressing table, and per state its parent, the choice that led there from it, its depth, whether
 * it was expanded and its sleep set (the keys of the choices not to take from it, sorted; see {@link Explorer}).
 * About 40 bytes per state plus its sleep set, so tens of millions of states fit in a few gigabytes.
 *
 * <p>Memory is what bounds the largest searches, so the arrays grow by half (not double) and the slot table, a power
 * of two, is filled to three quarters: with a hundred million states and more, doubling would leave gigabytes
 * unused, and a load of three quarters costs a lookup a few more probes of one cache line.
 *
 * <p>Thread safety: not thread-safe; the search's thread only.
 */
final class StateTable {

    private static final long[] EMPTY = new long[0];

    /**
     * The most states ({@link ExploreBounds#maxStates()} is at most this): the slot table that holds them, a power of
     * two at most three quarters full, is then the largest power of two an array can be (2^30 slots, half full).
     */
    static final int MAX_STATES = 1 << 29;

    private static final int INITIAL_STATES = 1 << 16;

    private long[] fingerprintHigh = new long[INITIAL_STATES];
    private long[] fingerprintLow = new long[INITIAL_STATES];
    /** Slot to state id + 1 (0: free). */
    private int[] slots = new int[slotsFor(INITIAL_STATES)];
    private int[] parent = new int[INITIAL_STATES];
    private int[] choice = new int[INITIAL_STATES];
    private int[] depth = new int[INITIAL_STATES];
    private boolean[] expanded = new boolean[INITIAL_STATES];
    /** Null once {@link #forgetSleepSets} was called. */
    private long[][] sleep = new long[INITIAL_STATES][];
    private int size;

    /** How many states. */
    int size() {
        return size;
    }

    /** The id of the state with this fingerprint, or -1. */
    int find(long high, long low) {
        int mask = slots.length - 1;
        for (int i = slot(high, low, mask); ; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (id < 0) {
                return -1;
            }
            if (fingerprintHigh[id] == high && fingerprintLow[id] == low) {
                return id;
            }
        }
    }

    /**
     * Adds a state not in the table; returns its id.
     *
     * @param parentId the state it was reached from, or -1 for the initial state
     * @param choiceCode the code of the parent's choice that reached it ({@link World#code}), or -1
     * @param sleepKeys its sleep set, sorted (kept, not copied)
     */
    int add(long high, long low, int parentId, int choiceCode, long[] sleepKeys) {
        if (size == MAX_STATES) {
            throw new IllegalStateException("a state table holds at most " + MAX_STATES + " states");
        }
        if (size == parent.length) {
            grow();
        }
        if (size + 1 > slots.length / 4 * 3) {
            rehash(slots.length * 2); // at most 2^30: three quarters of that is more than MAX_STATES
        }
        int id = size++;
        fingerprintHigh[id] = high;
        fingerprintLow[id] = low;
        parent[id] = parentId;
        choice[id] = choiceCode;
        depth[id] = parentId < 0 ? 0 : depth[parentId] + 1;
        sleep[id] = sleepKeys.length == 0 ? EMPTY : sleepKeys;
        place(id, slots);
        return id;
    }

    int parent(int id) {
        return parent[id];
    }

    int choice(int id) {
        return choice[id];
    }

    int depth(int id) {
        return depth[id];
    }

    long high(int id) {
        return fingerprintHigh[id];
    }

    long low(int id) {
        return fingerprintLow[id];
    }

    boolean expanded(int id) {
        return expanded[id];
    }

    void markExpanded(int id) {
        expanded[id] = true;
    }

    /** The sleep set of the state, sorted; do not change it. */
    long[] sleep(int id) {
        if (sleep == null) {
            throw new IllegalStateException("the sleep sets were let go: the search is over");
        }
        return sleep[id];
    }

    void setSleep(int id, long[] keys) {
        sleep[id] = keys.length == 0 ? EMPTY : keys;
    }

    /**
     * Lets the sleep sets go, when the search is over: only expanding states reads them, and the livelock check after
     * the search needs the memory. {@link #sleep} fails after (and so do {@link #setSleep}, {@link #add} and
     * {@link #write}).
     */
    void forgetSleepSets() {
        sleep = null;
    }

    /** The codes of the choices ({@link World#code}) from the initial state to {@code id}. */
    int[] pathTo(int id) {
        int[] path = new int[depth[id]];
        for (int s = id, k = path.length - 1; parent[s] >= 0; s = parent[s], k--) {
            path[k] = choice[s];
        }
        return path;
    }

    /** Writes every state to a checkpoint ({@link #read} reads it back). */
    void write(CheckpointFile.Out out) {
        out.putInt(size);
        out.putLongs(fingerprintHigh, 0, size);
        out.putLongs(fingerprintLow, 0, size);
        out.putInts(parent, 0, size);
        out.putInts(choice, 0, size);
        for (int id = 0; id < size; id++) {
            out.putBoolean(expanded[id]);
            out.putInt(sleep[id].length);
            out.putLongs(sleep[id], 0, sleep[id].length);
        }
    }

    /** The table {@link #write} wrote. @throws Checkpoints.Unusable if the checkpoint is damaged */
    static StateTable read(CheckpointFile.In in) {
        StateTable t = new StateTable();
        int n = in.count(2 * Long.BYTES + 2 * Integer.BYTES + 1 + Integer.BYTES);
        if (n > MAX_STATES) {
            throw in.damaged(n + " states, more than a table holds (" + MAX_STATES + ")");
        }
        int capacity = (int) Math.min(MAX_STATES, Math.max(INITIAL_STATES, n + (n >> 2)));
        t.fingerprintHigh = new long[capacity];
        t.fingerprintLow = new long[capacity];
        t.parent = new int[capacity];
        t.choice = new int[capacity];
        t.depth = new int[capacity];
        t.expanded = new boolean[capacity];
        t.sleep = new long[capacity][];
        in.getLongs(t.fingerprintHigh, n);
        in.getLongs(t.fingerprintLow, n);
        in.getInts(t.parent, n);
        in.getInts(t.choice, n);
        for (int id = 0; id < n; id++) {
            t.expanded[id] = in.getBoolean();
            int keys = in.count(Long.BYTES);
            long[] sleepKeys = keys == 0 ? EMPTY : new long[keys];
            in.getLongs(sleepKeys, keys);
            t.sleep[id] = sleepKeys;
            int p = t.parent[id];
            if (p >= id || p < -1 || (p == -1) != (id == 0)) {
                throw in.damaged("state " + id + " has parent " + p);
            }
            t.depth[id] = p < 0 ? 0 : t.depth[p] + 1;
        }
        t.size = n;
        t.rehash(slotsFor(n));
        return t;
    }

    /** The length of a slot table for this many states: a power of two, at most three quarters full. */
    private static int slotsFor(int states) {
        if (states > MAX_STATES) {
            throw new IllegalArgumentException(states + " states, more than a table holds (" + MAX_STATES + ")");
        }
        int n = 1 << 17;
        while (n / 4 * 3 < states) {
            n <<= 1;
        }
        return n;
    }

    private void grow() {
        int n = (int) Math.min(MAX_STATES, parent.length + (long) (parent.length >> 1));
        fingerprintHigh = Arrays.copyOf(fingerprintHigh, n);
        fingerprintLow = Arrays.copyOf(fingerprintLow, n);
        parent = Arrays.copyOf(parent, n);
        choice = Arrays.copyOf(choice, n);
        depth = Arrays.copyOf(depth, n);
        expanded = Arrays.copyOf(expanded, n);
        sleep = Arrays.copyOf(sleep, n);
    }

    private void rehash(int capacity) {
        int[] fresh = new int[capacity];
        for (int id = 0; id < size; id++) {
            place(id, fresh);
        }
        slots = fresh;
    }

    private void place(int id, int[] table) {
        int mask = table.length - 1;
        int i = slot(fingerprintHigh[id], fingerprintLow[id], mask);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id + 1;
    }

    private static int slot(long high, long low, int mask) {
        return (int) (high ^ (low >>> 32)) & mask;
    }

    /** Whether sorted {@code keys} holds {@code key}. */
    static boolean contains(long[] keys, long key) {
        return Arrays.binarySearch(keys, key) >= 0;
    }

    /** Whether sorted {@code outer} holds every key of sorted {@code inner}. */
    static boolean containsAll(long[] outer, long[] inner) {
        for (long k : inner) {
            if (!contains(outer, k)) {
                return false;
            }
        }
        return true;
    }

    /** The keys of sorted {@code a} that are (keep) or are not (drop) in sorted {@code b}, sorted. */
    static long[] filter(long[] a, long[] b, boolean keep) {
        return Arrays.stream(a).filter(k -> contains(b, k) == keep).toArray();
    }
}
