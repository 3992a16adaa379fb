package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import java.util.Arrays;

/**
 * A responder's tombstones: for each terminated chain, what its terminal reply said and which step it answered,
 * kept until the dedup window passes. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>No object per tombstone.</b> A node at a million chains a second with the default 32 s window holds
 *   tens of millions of tombstones, each alive for tens of seconds: exactly the objects a generational collector
 *   copies again and again. So the table keeps them column-wise in arrays (a ring), and finds them through an
 *   open-addressing index of {@code long}s (the chain id's hash and the tombstone's serial number); a tombstone
 *   costs about 45 bytes of ring plus 16 of index, and only its payload (the protocol's terminal message) is an
 *   object. The reply envelope is rebuilt when a duplicate needs it, which is rare.</li>
 *   <li><b>Growing copies no tombstone.</b> A tombstone keeps its serial number for life and sits at
 *   {@code serial & mask} in the ring. The ring is a directory of segments of {@code 2^segmentBits} slots (4096
 *   by default), each a set of column arrays, so a bigger ring is a bigger directory: the segments move as
 *   references, new ones are allocated as the tail reaches them, and only the one segment that holds both the
 *   ring's oldest and newest tombstones is split (copying at most one segment). Before, a doubling copied and
 *   allocated the whole ring at once, which at 16M tombstones stalled the node's thread for 0.7 s (P1 in
 *   docs/BENCHMARKS.md); and no array is large enough to be a humongous object for G1. The index, which holds
 *   serials and hashes, is rebuilt by walking the old one in order: no random access per tombstone, which on a
 *   table of millions would be a cache miss each. A table smaller than one segment is a single segment of its
 *   own capacity, copied when it grows, so an idle node holds 16 slots.</li>
 *   <li><b>Hash flooding.</b> A peer picks its chain ids, so the index is keyed by the node's secret hash of them
 *   ({@link #hash}, a {@link SecretHash}): ids picked to collide under any public function spread like sequential
 *   ones (before, 120k openings picked for the old public mix cost 36.5 s instead of 0.42 s). Each slot keeps its
 *   hash, so a removal hashes nothing.</li>
 *   <li><b>The ring is the expiry order.</b> One node has one dedup window, and its clock never goes back, so
 *   tombstones expire in the order they were made: expiry pops the ring's head. A tombstone replaced by a newer one of
 *   its chain leaves a dead slot that the head skips. A peer's restart removes nothing here: its old incarnation's
 *   envelopes are refused before any tombstone is looked up, so those tombstones simply expire (see
 *   {@link PeerTable}).</li>
 *   <li><b>Memory comes back.</b> The ring and the index grow by doubling and shrink when they are mostly empty,
 *   so after a burst the heap returns to what it was (a {@code HashMap} or an {@code ArrayDeque} never
 *   shrinks).</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class TombstoneTable {

    /** Told about each tombstone that expired. */
    @FunctionalInterface
    interface Expired {
        /** The tombstone of chain {@code incarnation/sequence} of {@code initiator}, of {@code protocol}, expired. */
        void expired(Peer initiator, long incarnation, long sequence, String protocol);
    }

    private static final int MIN_CAPACITY = 16;
    private static final int DEFAULT_SEGMENT_BITS = 12;
    /**
     * Chains of one initiator get consecutive sequence numbers and end, and expire, roughly in that order. The
     * index places each run of {@code 2^BLOCK_BITS} consecutive sequences in consecutive slots (a hashed block of
     * eight {@code long}s, one cache line), so looking up a new chain, entombing it and forgetting it later touch a
     * line that the chain before it touched: with millions of tombstones, one cache miss per eight chains instead
     * of one per lookup (P1 in docs/BENCHMARKS.md).
     */
    private static final int BLOCK_BITS = 3;
    private static final EnvelopeKind[] KINDS = EnvelopeKind.values();

    /** One segment of the ring: the columns of {@code 2^segmentBits} slots (fewer while the table is small). */
    private static final class Segment {
        final Peer[] initiators;          // null: a dead slot (expired, or replaced)
        final int[] hashes;
        final long[] incarnations;
        final long[] sequences;
        final long[] expiresAtNs;
        final String[] protocols;
        final Object[] payloads;
        final byte[] kinds;
        final int[] answeredSteps;
        final int[] fingerprints;

        Segment(int slots) {
            initiators = new Peer[slots];
            hashes = new int[slots];
            incarnations = new long[slots];
            sequences = new long[slots];
            expiresAtNs = new long[slots];
            protocols = new String[slots];
            payloads = new Object[slots];
            kinds = new byte[slots];
            answeredSteps = new int[slots];
            fingerprints = new int[slots];
        }

        void copy(int from, Segment to, int at) {
            to.initiators[at] = initiators[from];
            to.hashes[at] = hashes[from];
            to.incarnations[at] = incarnations[from];
            to.sequences[at] = sequences[from];
            to.expiresAtNs[at] = expiresAtNs[from];
            to.protocols[at] = protocols[from];
            to.payloads[at] = payloads[from];
            to.kinds[at] = kinds[from];
            to.answeredSteps[at] = answeredSteps[from];
            to.fingerprints[at] = fingerprints[from];
        }

        void clearRefs(int from, int to) {
            Arrays.fill(initiators, from, to, null);
            Arrays.fill(protocols, from, to, null);
            Arrays.fill(payloads, from, to, null);
        }
    }

    private final int segmentBits;
    private final int segmentMask;

    // The ring, in the order tombstones were made: serials [head, tail) are in it, at slot serial & mask, which is
    // offset (slot & segmentMask) of segment (slot >>> segmentBits). A directory entry is null until the tail
    // first reaches it.
    private Segment[] segments;
    private int mask;
    private long head;
    private long tail;
    private int live;

    // The index, linear probing, twice the ring's capacity (so at most half full). An entry is the chain id's
    // hash with its lowest bit set (so that no entry is 0, which means empty) in the high word, and the
    // tombstone's serial (its low 32 bits, enough to find its slot) in the low word.
    private long[] index;
    private int indexMask;
    /** Index slots visited by finds, inserts and removals since the table was made (for the flooding tests). */
    long probes;

    TombstoneTable() {
        this(DEFAULT_SEGMENT_BITS);
    }

    /** For tests: a table whose ring has segments of {@code 2^segmentBits} slots. */
    TombstoneTable(int segmentBits) {
        if (segmentBits < 1 || segmentBits > 24) {
            throw new IllegalArgumentException("segmentBits must be 1 to 24, got " + segmentBits);
        }
        this.segmentBits = segmentBits;
        this.segmentMask = (1 << segmentBits) - 1;
        allocate(MIN_CAPACITY);
    }

    /** How many tombstones are kept. */
    int size() {
        return live;
    }

    /**
     * The slot hash of chain {@code incarnation/sequence} of {@code peer}, here and in the {@link ResponderTable}:
     * the node's secret hash of the key's block (the sequence without its lowest three bits) under the peer's salt,
     * with bits 1 to 3 replaced by the sequence's lowest three bits xor the hash's own: the eight chains of a block
     * get eight distinct neighbouring homes (see {@link #BLOCK_BITS}). The xor matters: with the plain low bits, a
     * peer that only ever used sequences divisible by eight would put every chain on one eighth of the homes. Bit 0
     * is free: the index sets it in every entry.
     */
    static int hash(SecretHash hash, Peer peer, long incarnation, long sequence) {
        int h = (int) hash.hash(peer.hash, incarnation, sequence >>> BLOCK_BITS);
        int low = ((int) sequence ^ (h >>> 1)) & ((1 << BLOCK_BITS) - 1);
        return (h & ~((1 << (BLOCK_BITS + 1)) - 2)) | low << 1;
    }

    /**
     * Keeps the tombstone of chain {@code incarnation/sequence} of {@code peer}, whose {@link #hash} is {@code h},
     * until {@code expiresAtNs}; replaces an earlier one of the same chain. Expiry times must not decrease from one
     * call to the next (one window, a monotonic clock). {@code fingerprint} is the chain's opening's
     * ({@link Protocol#fingerprint}).
     */
    void put(Peer peer, long incarnation, long sequence, int h, String protocol, EnvelopeKind kind, Object payload,
            int answeredStep, int fingerprint, long expiresAtNs) {
        int existing = find(peer, incarnation, sequence, h);
        if (existing >= 0) {
            kill(existing);
        }
        if (tail - head == mask + 1) {
            resize((mask + 1) * 2);
        }
        long serial = tail++;
        int s = (int) serial & mask;
        Segment g = segments[s >>> segmentBits];
        if (g == null) {
            g = new Segment(segmentMask + 1);
            segments[s >>> segmentBits] = g;
        }
        int o = s & segmentMask;
        g.initiators[o] = peer;
        g.hashes[o] = h;
        g.incarnations[o] = incarnation;
        g.sequences[o] = sequence;
        g.expiresAtNs[o] = expiresAtNs;
        g.protocols[o] = protocol;
        g.payloads[o] = payload;
        g.kinds[o] = (byte) kind.ordinal();
        g.answeredSteps[o] = answeredStep;
        g.fingerprints[o] = fingerprint;
        live++;
        peer.tombstones++;
        insert(index, indexMask, entry(h, serial));
    }

    /**
     * The slot of the tombstone of chain {@code incarnation/sequence} of {@code initiator}, whose {@link #hash} is
     * {@code h}, or -1; valid until the table next changes.
     */
    int find(Peer initiator, long incarnation, long sequence, int h) {
        int high = h | 1;
        for (int i = home(high, indexMask); ; i = (i + 1) & indexMask) {
            probes++;
            long e = index[i];
            if (e == 0) {
                return -1;
            }
            if ((int) (e >>> 32) == high) {
                int s = (int) e & mask;
                Segment g = segments[s >>> segmentBits];
                int o = s & segmentMask;
                if (g.sequences[o] == sequence && g.incarnations[o] == incarnation && g.initiators[o] == initiator) {
                    return s;
                }
            }
        }
    }

    /** The protocol of the tombstone in {@code slot}. */
    String protocol(int slot) {
        return segments[slot >>> segmentBits].protocols[slot & segmentMask];
    }

    /** The kind of the terminal reply kept in {@code slot}. */
    EnvelopeKind kind(int slot) {
        return KINDS[segments[slot >>> segmentBits].kinds[slot & segmentMask]];
    }

    /** The payload of the terminal reply kept in {@code slot}; may be null (a busy reply). */
    Object payload(int slot) {
        return segments[slot >>> segmentBits].payloads[slot & segmentMask];
    }

    /** The step the terminal reply in {@code slot} answered. */
    int answeredStep(int slot) {
        return segments[slot >>> segmentBits].answeredSteps[slot & segmentMask];
    }

    /** The fingerprint of the opening of the chain in {@code slot}. */
    int fingerprint(int slot) {
        return segments[slot >>> segmentBits].fingerprints[slot & segmentMask];
    }

    /**
     * Forgets every tombstone whose time has come by {@code nowNs}, oldest first, telling {@code expired} about
     * each after it is gone.
     */
    void expire(long nowNs, Expired expired) {
        while (head < tail) {
            int s = (int) head & mask;
            Segment g = segments[s >>> segmentBits];
            int o = s & segmentMask;
            Peer initiator = g.initiators[o];
            if (initiator == null) {
                head++;
                continue;
            }
            if (g.expiresAtNs[o] - nowNs > 0) {
                break;
            }
            long incarnation = g.incarnations[o];
            long sequence = g.sequences[o];
            String protocol = g.protocols[o];
            kill(s);
            head++;
            expired.expired(initiator, incarnation, sequence, protocol);
        }
        int capacity = mask + 1;
        if (capacity > MIN_CAPACITY && tail - head < capacity / 8) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit((int) Math.max(1, tail - head) * 4)));
        }
    }

    /** When the oldest tombstone expires, in nanoseconds; {@code Long.MAX_VALUE} when there is none. */
    long nextExpiryNs() {
        while (head < tail && initiator((int) head & mask) == null) {
            head++;
        }
        if (head == tail) {
            return Long.MAX_VALUE;
        }
        int s = (int) head & mask;
        return segments[s >>> segmentBits].expiresAtNs[s & segmentMask];
    }

    /**
     * See {@link ChainNode#digest}: the live tombstones in the order they expire; nothing if the sink leaves out
     * ended chains ({@link StateSink#endedChains()}).
     */
    void digest(StateSink sink) {
        if (!sink.endedChains()) {
            return;
        }
        sink.putInt(live);
        for (long serial = head; serial < tail; serial++) {
            int s = (int) serial & mask;
            Segment g = segments[s >>> segmentBits];
            int o = s & segmentMask;
            Peer initiator = g.initiators[o];
            if (initiator == null) {
                continue;
            }
            EnvelopeKind kind = KINDS[g.kinds[o]];
            sink.putNode(initiator.id).putLong(g.incarnations[o])
                    .putSequence(initiator.id, g.incarnations[o], g.sequences[o]).putTime(g.expiresAtNs[o])
                    .putString(g.protocols[o]).putInt(kind.ordinal()).putInt(g.answeredSteps[o])
                    .putInt(g.fingerprints[o]);
            switch (kind) {
                case STEP, TERMINAL, SUPERSEDED -> sink.putMessage(g.protocols[o], g.payloads[o]);
                case ABORTED -> sink.putInt(((Abort) g.payloads[o]).cause().ordinal());
                case BUSY -> { }
            }
        }
    }

    /** Forgets everything and gives the memory back. */
    void clear() {
        for (long serial = head; serial < tail; serial++) {
            Peer p = initiator((int) serial & mask);
            if (p != null) {
                p.tombstones--;
            }
        }
        allocate(MIN_CAPACITY);
    }

    // ---------------------------------------------------------------- internals

    private Peer initiator(int slot) {
        return segments[slot >>> segmentBits].initiators[slot & segmentMask];
    }

    /** Removes the live tombstone in {@code slot} from the index and marks the slot dead. */
    private void kill(int slot) {
        Segment g = segments[slot >>> segmentBits];
        int o = slot & segmentMask;
        int high = g.hashes[o] | 1;
        int i = home(high, indexMask);
        while ((int) (index[i] >>> 32) != high || ((int) index[i] & mask) != slot) {
            probes++;
            i = (i + 1) & indexMask;
        }
        index[i] = 0;
        // Backward-shift deletion: pull later entries of the probe run into the hole, keeping every run intact.
        for (int j = (i + 1) & indexMask; index[j] != 0; j = (j + 1) & indexMask) {
            int h = home((int) (index[j] >>> 32), indexMask);
            if (((j - i) & indexMask) <= ((j - h) & indexMask)) {
                index[i] = index[j];
                index[j] = 0;
                i = j;
            }
        }
        g.initiators[o].tombstones--;
        g.initiators[o] = null;
        g.protocols[o] = null;
        g.payloads[o] = null;
        live--;
    }

    /**
     * Moves the ring into one of {@code capacity} slots (a power of two, at least {@code tail - head}), each
     * tombstone keeping its serial, and rebuilds the index at twice that by walking the old index in order. Growing
     * a ring of whole segments moves the segments, not the tombstones.
     */
    private void resize(int capacity) {
        Segment[] oldSegments = segments;
        long[] oldIndex = index;
        int oldMask = mask;
        long from = head;
        long to = tail;
        int keep = live;
        if (capacity > oldMask + 1 && oldMask >= segmentMask) {
            // Block b (serials b << segmentBits and on) moves from directory entry b & oldDir to b & newDir.
            int oldDirMask = oldSegments.length - 1;
            Segment[] moved = new Segment[capacity >>> segmentBits];
            int newDirMask = moved.length - 1;
            if (from < to) {
                long first = from >>> segmentBits;
                long last = (to - 1) >>> segmentBits;
                for (long b = first; b <= last; b++) {
                    Segment g = oldSegments[(int) b & oldDirMask];
                    if (b == last && b != first && ((int) b & oldDirMask) == ((int) first & oldDirMask)) {
                        // The ring is full and its oldest and newest tombstones share this segment: split it.
                        Segment copy = new Segment(segmentMask + 1);
                        int n = (int) ((to - 1) & segmentMask) + 1;
                        for (int o = 0; o < n; o++) {
                            g.copy(o, copy, o);
                        }
                        g.clearRefs(0, n);
                        g = copy;
                    }
                    moved[(int) b & newDirMask] = g;
                }
            }
            segments = moved;
            mask = capacity - 1;
            index = new long[capacity * 2];
            indexMask = capacity * 2 - 1;
        } else {
            allocate(capacity);
            for (long serial = from; serial < to; serial++) {
                int o = (int) serial & oldMask;
                int n = (int) serial & mask;
                Segment g = segments[n >>> segmentBits];
                if (g == null) {
                    g = new Segment(segmentMask + 1);
                    segments[n >>> segmentBits] = g;
                }
                oldSegments[o >>> segmentBits].copy(o & segmentMask, g, n & segmentMask);
            }
        }
        for (long e : oldIndex) {
            if (e != 0) {
                insert(index, indexMask, e);
            }
        }
        head = from;
        tail = to;
        live = keep;
    }

    private void allocate(int capacity) {
        if (capacity <= segmentMask + 1) {
            segments = new Segment[] {new Segment(capacity)};
        } else {
            segments = new Segment[capacity >>> segmentBits];
        }
        mask = capacity - 1;
        head = 0;
        tail = 0;
        live = 0;
        index = new long[capacity * 2];
        indexMask = capacity * 2 - 1;
    }

    private void insert(long[] index, int indexMask, long entry) {
        int i = home((int) (entry >>> 32), indexMask);
        while (index[i] != 0) {
            probes++;
            i = (i + 1) & indexMask;
        }
        index[i] = entry;
    }

    private static long entry(int hash, long serial) {
        return ((long) (hash | 1) << 32) | (serial & 0xFFFF_FFFFL);
    }

    /** Where an entry with high word {@code high} (its hash, lowest bit set) starts probing. */
    private static int home(int high, int indexMask) {
        return (high >>> 1) & indexMask;
    }

    @Override
    public String toString() {
        return "TombstoneTable[live=" + live + ", capacity=" + (mask + 1) + "]";
    }

    /** For tests: whether the ring and the index agree, and no dead slot holds a reference. */
    boolean consistent() {
        int indexed = 0;
        for (long e : index) {
            if (e != 0) {
                indexed++;
                int s = (int) e & mask;
                Segment g = segments[s >>> segmentBits];
                int o = s & segmentMask;
                if (g == null || g.initiators[o] == null
                        || find(g.initiators[o], g.incarnations[o], g.sequences[o], g.hashes[o]) != s) {
                    return false;
                }
            }
        }
        long held = 0;
        for (Segment g : segments) {
            if (g != null) {
                for (int o = 0; o < g.initiators.length; o++) {
                    if (g.initiators[o] != null) {
                        held++;
                    } else if (g.protocols[o] != null || g.payloads[o] != null) {
                        return false;
                    }
                }
            }
        }
        return indexed == live && held == live;
    }
}
