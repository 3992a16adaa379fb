package dev.chainkit.core;

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
 *   costs about 41 bytes of ring plus 16 of index, and only its payload (the protocol's terminal message) is an
 *   object. The reply envelope is rebuilt when a duplicate needs it, which is rare.</li>
 *   <li><b>Growing touches memory in order.</b> A tombstone keeps its serial number for life and sits at
 *   {@code serial & mask} in the ring, so a bigger ring is a copy, and the index, which holds serials and
 *   hashes, is rebuilt by walking the old one in order: no random access per tombstone, which on a table of
 *   millions would be a cache miss each.</li>
 *   <li><b>The ring is the expiry order.</b> One node has one dedup window, and its clock never goes back, so
 *   tombstones expire in the order they were made: expiry pops the ring's head. A tombstone removed early (its
 *   peer restarted) leaves a dead slot that the head skips.</li>
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
        /** The tombstone of chain {@code initiator/incarnation/sequence} of {@code protocol} expired. */
        void expired(NodeId initiator, long incarnation, long sequence, String protocol);
    }

    private static final int MIN_CAPACITY = 16;
    private static final EnvelopeKind[] KINDS = EnvelopeKind.values();

    // The ring, in the order tombstones were made: serials [head, tail) are in it, at slot serial & mask.
    private NodeId[] initiators;        // null: a dead slot (expired, or removed early)
    private long[] incarnations;
    private long[] sequences;
    private long[] expiresAtNs;
    private String[] protocols;
    private Object[] payloads;
    private byte[] kinds;
    private int[] answeredSteps;
    private int mask;
    private long head;
    private long tail;
    private int live;

    // The index, linear probing, twice the ring's capacity (so at most half full). An entry is the chain id's
    // hash with its lowest bit set (so that no entry is 0, which means empty) in the high word, and the
    // tombstone's serial (its low 32 bits, enough to find its slot) in the low word.
    private long[] index;
    private int indexMask;

    TombstoneTable() {
        allocate(MIN_CAPACITY);
    }

    /** How many tombstones are kept. */
    int size() {
        return live;
    }

    /**
     * Keeps the tombstone of {@code chainId} until {@code expiresAtNs}; replaces an earlier one of the same chain.
     * Expiry times must not decrease from one call to the next (one window, a monotonic clock).
     */
    void put(ChainId chainId, String protocol, EnvelopeKind kind, Object payload, int answeredStep,
            long expiresAtNs) {
        int existing = find(chainId);
        if (existing >= 0) {
            kill(existing);
        }
        if (tail - head == mask + 1) {
            resize((mask + 1) * 2);
        }
        long serial = tail++;
        int s = (int) serial & mask;
        initiators[s] = chainId.initiator();
        incarnations[s] = chainId.incarnation();
        sequences[s] = chainId.sequence();
        this.expiresAtNs[s] = expiresAtNs;
        protocols[s] = protocol;
        payloads[s] = payload;
        kinds[s] = (byte) kind.ordinal();
        answeredSteps[s] = answeredStep;
        live++;
        insert(index, indexMask, entry(hash(chainId.initiator(), chainId.incarnation(), chainId.sequence()), serial));
    }

    /** The slot of {@code chainId}'s tombstone, or -1; valid until the table next changes. */
    int find(ChainId chainId) {
        NodeId initiator = chainId.initiator();
        long incarnation = chainId.incarnation();
        long sequence = chainId.sequence();
        int high = hash(initiator, incarnation, sequence) | 1;
        for (int i = home(high, indexMask); ; i = (i + 1) & indexMask) {
            long e = index[i];
            if (e == 0) {
                return -1;
            }
            if ((int) (e >>> 32) == high) {
                int s = (int) e & mask;
                if (sequences[s] == sequence && incarnations[s] == incarnation && initiator.equals(initiators[s])) {
                    return s;
                }
            }
        }
    }

    /** The protocol of the tombstone in {@code slot}. */
    String protocol(int slot) {
        return protocols[slot];
    }

    /** The kind of the terminal reply kept in {@code slot}. */
    EnvelopeKind kind(int slot) {
        return KINDS[kinds[slot]];
    }

    /** The payload of the terminal reply kept in {@code slot}; may be null (a busy reply). */
    Object payload(int slot) {
        return payloads[slot];
    }

    /** The step the terminal reply in {@code slot} answered. */
    int answeredStep(int slot) {
        return answeredSteps[slot];
    }

    /**
     * Forgets every tombstone whose time has come by {@code nowNs}, oldest first, telling {@code expired} about
     * each after it is gone.
     */
    void expire(long nowNs, Expired expired) {
        while (head < tail) {
            int s = (int) head & mask;
            NodeId initiator = initiators[s];
            if (initiator == null) {
                head++;
                continue;
            }
            if (expiresAtNs[s] - nowNs > 0) {
                break;
            }
            long incarnation = incarnations[s];
            long sequence = sequences[s];
            String protocol = protocols[s];
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
        while (head < tail && initiators[(int) head & mask] == null) {
            head++;
        }
        return head == tail ? Long.MAX_VALUE : expiresAtNs[(int) head & mask];
    }

    /** Forgets, silently, the tombstones of {@code peer}'s incarnations older than {@code incarnation}. */
    void removeOlderIncarnations(NodeId peer, long incarnation) {
        for (long serial = head; serial < tail; serial++) {
            int s = (int) serial & mask;
            if (initiators[s] != null && incarnations[s] < incarnation && initiators[s].equals(peer)) {
                kill(s);
            }
        }
    }

    /** Forgets everything and gives the memory back. */
    void clear() {
        allocate(MIN_CAPACITY);
    }

    // ---------------------------------------------------------------- internals

    /** Removes the live tombstone in {@code slot} from the index and marks the slot dead. */
    private void kill(int slot) {
        int high = hash(initiators[slot], incarnations[slot], sequences[slot]) | 1;
        int i = home(high, indexMask);
        while ((int) (index[i] >>> 32) != high || ((int) index[i] & mask) != slot) {
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
        initiators[slot] = null;
        protocols[slot] = null;
        payloads[slot] = null;
        live--;
    }

    /**
     * Moves the ring into one of {@code capacity} slots (a power of two, at least {@code tail - head}), each
     * tombstone keeping its serial, and rebuilds the index at twice that by walking the old index in order.
     */
    private void resize(int capacity) {
        NodeId[] oldInitiators = initiators;
        long[] oldIncarnations = incarnations;
        long[] oldSequences = sequences;
        long[] oldExpires = expiresAtNs;
        String[] oldProtocols = protocols;
        Object[] oldPayloads = payloads;
        byte[] oldKinds = kinds;
        int[] oldAnswered = answeredSteps;
        long[] oldIndex = index;
        int oldMask = mask;
        long from = head;
        long to = tail;
        int keep = live;
        allocate(capacity);
        for (long serial = from; serial < to; serial++) {
            int o = (int) serial & oldMask;
            int n = (int) serial & mask;
            initiators[n] = oldInitiators[o];
            incarnations[n] = oldIncarnations[o];
            sequences[n] = oldSequences[o];
            expiresAtNs[n] = oldExpires[o];
            protocols[n] = oldProtocols[o];
            payloads[n] = oldPayloads[o];
            kinds[n] = oldKinds[o];
            answeredSteps[n] = oldAnswered[o];
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
        initiators = new NodeId[capacity];
        incarnations = new long[capacity];
        sequences = new long[capacity];
        expiresAtNs = new long[capacity];
        protocols = new String[capacity];
        payloads = new Object[capacity];
        kinds = new byte[capacity];
        answeredSteps = new int[capacity];
        mask = capacity - 1;
        head = 0;
        tail = 0;
        live = 0;
        index = new long[capacity * 2];
        indexMask = capacity * 2 - 1;
    }

    private static void insert(long[] index, int indexMask, long entry) {
        int i = home((int) (entry >>> 32), indexMask);
        while (index[i] != 0) {
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

    private static int hash(NodeId initiator, long incarnation, long sequence) {
        long h = sequence * 0x9E3779B97F4A7C15L + incarnation * 0xC2B2AE3D27D4EB4FL + initiator.hashCode();
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return "TombstoneTable[live=" + live + ", capacity=" + (mask + 1) + "]";
    }

    /** For tests: whether the ring and the index agree. */
    boolean consistent() {
        int indexed = 0;
        for (long e : index) {
            if (e != 0) {
                indexed++;
                int s = (int) e & mask;
                if (initiators[s] == null || find(new ChainId(initiators[s], incarnations[s], sequences[s])) != s) {
                    return false;
                }
            }
        }
        return indexed == live && Arrays.stream(initiators).filter(x -> x != null).count() == live;
    }
}
