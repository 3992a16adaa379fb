package dev.chainkit.core;

/**
 * The responder chains a node holds, found by peer, incarnation and sequence, and kept in the order they opened.
 * Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Hash flooding.</b> A peer picks its chain ids, so the table hashes them with the node's secret
 *   ({@link TombstoneTable#hash}): ids picked to collide under {@code ChainId.hashCode} (sequences
 *   {@code x<<32|x}, whose {@code Long.hashCode} is 0) or any other public function spread like sequential ones. Open addressing with
 *   linear probing, at most half full, homes spread by Fibonacci hashing; each chain keeps its hash, so removal
 *   (backward shift) hashes nothing.</li>
 *   <li><b>No object per entry.</b> A slot is a reference to the chain itself; the chains link themselves into the
 *   order they opened (what {@link ChainNode#supersede} follows, so that runs replay) and into their peer's list
 *   (what a peer's restart clears, in time proportional to that peer's chains). A {@code LinkedHashMap} spent an
 *   entry of 40 bytes per chain on the same.</li>
 *   <li><b>Memory comes back</b>: the slot array shrinks when mostly empty.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class ResponderTable {

    private static final int MIN_CAPACITY = 16;

    private ResponderState[] slots = new ResponderState[MIN_CAPACITY];
    /** {@code 32 - log2(slots.length)}: a home is the top bits of the scrambled hash. */
    private int shift = 32 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
    private int size;
    private ResponderState oldest;
    private ResponderState newest;
    /** Slots visited by lookups, inserts and removals since the table was made (for the flooding tests). */
    long probes;

    /** How many chains are held. */
    int size() {
        return size;
    }

    /** The chain of {@code peer}'s incarnation and sequence whose slot hash is {@code h}, or null. */
    ResponderState find(Peer peer, long incarnation, long sequence, int h) {
        int mask = slots.length - 1;
        for (int i = home(h); ; i = (i + 1) & mask) {
            probes++;
            ResponderState rs = slots[i];
            if (rs == null || (rs.hash == h && rs.peer == peer && rs.id.sequence() == sequence
                    && rs.id.incarnation() == incarnation)) {
                return rs;
            }
        }
    }

    /** Adds {@code rs} (not held yet, its {@link ResponderState#hash} set) as the newest chain. */
    void add(ResponderState rs) {
        if (++size > slots.length / 2) {
            resize(slots.length * 2);
        }
        insert(rs);
        rs.older = newest;
        if (newest == null) {
            oldest = rs;
        } else {
            newest.newer = rs;
        }
        newest = rs;
        Peer p = rs.peer;
        rs.peerNext = p.firstResponder;
        if (p.firstResponder != null) {
            p.firstResponder.peerPrev = rs;
        }
        p.firstResponder = rs;
        p.responderChains++;
    }

    /** Removes {@code rs}, which is held. */
    void remove(ResponderState rs) {
        int mask = slots.length - 1;
        int i = home(rs.hash);
        while (slots[i] != rs) {
            probes++;
            i = (i + 1) & mask;
        }
        slots[i] = null;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            probes++;
            int h = home(slots[j].hash);
            if (((j - i) & mask) <= ((j - h) & mask)) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
        size--;
        if (rs.older == null) {
            oldest = rs.newer;
        } else {
            rs.older.newer = rs.newer;
        }
        if (rs.newer == null) {
            newest = rs.older;
        } else {
            rs.newer.older = rs.older;
        }
        rs.older = null;
        rs.newer = null;
        Peer p = rs.peer;
        if (rs.peerPrev == null) {
            p.firstResponder = rs.peerNext;
        } else {
            rs.peerPrev.peerNext = rs.peerNext;
        }
        if (rs.peerNext != null) {
            rs.peerNext.peerPrev = rs.peerPrev;
        }
        rs.peerPrev = null;
        rs.peerNext = null;
        p.responderChains--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 4)));
        }
    }

    /** The chain that opened first, or null; follow {@link ResponderState#newer} for the rest in order. */
    ResponderState oldest() {
        return oldest;
    }

    /** Forgets every chain and gives the memory back. */
    void clear() {
        for (ResponderState rs = oldest; rs != null; rs = rs.newer) {
            rs.peer.firstResponder = null;
            rs.peer.responderChains = 0;
        }
        slots = new ResponderState[MIN_CAPACITY];
        shift = 32 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
        size = 0;
        oldest = null;
        newest = null;
    }

    /**
     * Where a chain with slot hash {@code h} starts probing: the top bits of {@code h} times 2^32 / phi. The hash's
     * low bits keep eight consecutive chains of a peer together (what the tombstone index wants); here each probe
     * reads a chain object anyway, so the chains are spread instead, which keeps probe runs short.
     */
    private int home(int h) {
        return (h * 0x9E3779B9) >>> shift;
    }

    private void insert(ResponderState rs) {
        int mask = slots.length - 1;
        int i = home(rs.hash);
        while (slots[i] != null) {
            probes++;
            i = (i + 1) & mask;
        }
        probes++;
        slots[i] = rs;
    }

    private void resize(int capacity) {
        ResponderState[] old = slots;
        slots = new ResponderState[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
        for (ResponderState rs : old) {
            if (rs != null) {
                insert(rs);
            }
        }
    }
}
