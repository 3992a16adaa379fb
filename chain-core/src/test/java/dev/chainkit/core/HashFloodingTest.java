package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Hash flooding (issue 10): a peer picks its chain ids and its name, so it can pick ones that collide under any
 * public hash. The tables a peer fills (the responder's chains, the tombstones, the peer table) are keyed by the
 * node's secret hash, so such ids cost at most three times the probes of sequential ones. Probes are counted, not
 * timed. A control shows the counting would catch it: ids crafted for a known key cost many times more.
 */
class HashFloodingTest {

    private static final int N = 8192;
    private static final double BOUND = 3.0;

    /** A chain id: initiator name, incarnation, sequence. */
    private record Key(String peer, long incarnation, long sequence) { }

    // ---------------------------------------------------------------- chain ids

    @Test
    void chainIdsPickedToCollideUnderPublicHashesCostAboutWhatSequentialOnesCost() {
        SecretHash secret = SecretHash.random();
        long[] sequential = chainProbes(secret, sequential());
        for (var family : List.of(
                new Family("x<<32|x (Long.hashCode 0)", longHashZero()),
                new Family("one per block of eight (sequence divisible by 8)", onePerBlock()),
                new Family("one slot under the old public tombstone hash", oldPublicHashCollisions()),
                new Family("names equal under String.hashCode, one chain each", stringHashCollisions()))) {
            long[] probes = chainProbes(secret, family.keys);
            for (int table = 0; table < 2; table++) {
                double ratio = probes[table] / (double) sequential[table];
                System.out.printf(Locale.ROOT, "HashFloodingTest %s: %s: %d probes vs %d for sequential ids, ratio"
                        + " %.2f%n", TABLES[table], family.name, probes[table], sequential[table], ratio);
                assertTrue(ratio <= BOUND, TABLES[table] + ", " + family.name + ": ratio " + ratio);
            }
        }
    }

    @Test
    void controlIdsCraftedForAKnownKeyDoCollide() {
        SecretHash known = new SecretHash(0x1234, 0x5678);
        List<Key> crafted = craftedFor(known);
        long sequential = total(chainProbes(known, sequential()));
        long probes = total(chainProbes(known, crafted));
        double ratio = probes / (double) sequential;
        System.out.printf(Locale.ROOT, "HashFloodingTest control, ids crafted for a known key: %d probes vs %d for"
                + " sequential ids, ratio %.1f%n", probes, sequential, ratio);
        assertTrue(ratio > 20, "with the key known, a peer could make every lookup long: ratio " + ratio);
        SecretHash other = SecretHash.random();
        double otherRatio = total(chainProbes(other, crafted)) / (double) total(chainProbes(other, sequential()));
        assertTrue(otherRatio <= BOUND, "the same ids under another key spread like any others: " + otherRatio);
    }

    private static final String[] TABLES = {"responder table", "tombstone index"};

    private static long total(long[] probes) {
        return probes[0] + probes[1];
    }

    /**
     * Opens every key in a responder table (a lookup, then an insert) and in a tombstone table (a find, then a put),
     * then finds each again in both.
     *
     * @return the probes of the responder table and of the tombstone index
     */
    private static long[] chainProbes(SecretHash secret, List<Key> keys) {
        ResponderTable chains = new ResponderTable();
        TombstoneTable tombstones = new TombstoneTable();
        java.util.Map<String, Peer> peers = new java.util.HashMap<>();
        long t = 0;
        for (Key k : keys) {
            Peer p = peers.computeIfAbsent(k.peer, n -> new Peer(NodeId.of(n), secret.hash(n)));
            int h = TombstoneTable.hash(secret, p, k.incarnation, k.sequence);
            assertEquals(-1, tombstones.find(p, k.incarnation, k.sequence, h));
            assertEquals(null, chains.find(p, k.incarnation, k.sequence, h));
            chains.add(new ResponderState(new ChainId(p.id, k.incarnation, k.sequence), null, p, null, 2, h, 0));
            tombstones.put(p, k.incarnation, k.sequence, h, "p", EnvelopeKind.TERMINAL, "done", 0, 0, ++t);
        }
        for (Key k : keys) {
            Peer p = peers.get(k.peer);
            int h = TombstoneTable.hash(secret, p, k.incarnation, k.sequence);
            assertTrue(tombstones.find(p, k.incarnation, k.sequence, h) >= 0);
            assertTrue(chains.find(p, k.incarnation, k.sequence, h) != null);
        }
        return new long[] {chains.probes, tombstones.probes};
    }

    private record Family(String name, List<Key> keys) { }

    private static List<Key> sequential() {
        List<Key> keys = new ArrayList<>();
        for (long s = 1; s <= N; s++) {
            keys.add(new Key("a", 1, s));
        }
        return keys;
    }

    private static List<Key> longHashZero() {
        List<Key> keys = new ArrayList<>();
        for (long x = 1; x <= N; x++) {
            long s = x << 32 | x;
            assertEquals(0, Long.hashCode(s));
            keys.add(new Key("a", 1, s));
        }
        return keys;
    }

    private static List<Key> onePerBlock() {
        List<Key> keys = new ArrayList<>();
        for (long x = 1; x <= N; x++) {
            keys.add(new Key("a", 1, x << 3));
        }
        return keys;
    }

    /**
     * Sequences that all land in one index slot under the public hash the tombstone table used before (its home
     * slot in an index of {@code 2 N} entries); 120k such openings cost 36.5 s instead of 0.42 s.
     */
    private static List<Key> oldPublicHashCollisions() {
        int mask = 2 * N - 1;
        NodeId a = NodeId.of("a");
        int target = -1;
        List<Key> keys = new ArrayList<>();
        for (long block = 1; keys.size() < N; block++) {
            long s = block << 3;
            int home = ((oldPublicHash(a, 1, s) | 1) >>> 1) & mask;
            if (target < 0) {
                target = home;
            }
            if (home == target) {
                keys.add(new Key("a", 1, s));
            }
        }
        return keys;
    }

    /** The tombstone table's chain-id hash before this work: a public mix of the id and String.hashCode. */
    private static int oldPublicHash(NodeId initiator, long incarnation, long sequence) {
        long h = (sequence >>> 3) * 0x9E3779B97F4A7C15L + incarnation * 0xC2B2AE3D27D4EB4FL + initiator.hashCode();
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        int mixed = (int) (h ^ (h >>> 32));
        return (mixed & ~15) | ((int) sequence & 7) << 1;
    }

    /** Peers whose names share one String.hashCode, each opening chain 1: every ChainId.hashCode is equal. */
    private static List<Key> stringHashCollisions() {
        List<Key> keys = new ArrayList<>();
        for (String name : collidingNames()) {
            keys.add(new Key(name, 1, 1));
        }
        return keys;
    }

    /**
     * Sequences of peer "a" crafted, knowing the key, to share one home in a table of {@code 2 N} slots: one hash per
     * block of eight finds the blocks whose other bits match, and within such a block one sequence has the home.
     */
    private static List<Key> craftedFor(SecretHash known) {
        Peer a = new Peer(NodeId.of("a"), known.hash("a"));
        int mask = 2 * N - 1;
        int blockBits = mask & ~14;
        int target = TombstoneTable.hash(known, a, 1, 8) & mask;
        List<Key> keys = new ArrayList<>();
        for (long block = 1; keys.size() < N; block++) {
            if ((TombstoneTable.hash(known, a, 1, block << 3) & blockBits) != (target & blockBits)) {
                continue;
            }
            for (long s = block << 3; s < (block + 1) << 3; s++) {
                if ((TombstoneTable.hash(known, a, 1, s) & mask) == target) {
                    keys.add(new Key("a", 1, s));
                }
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------- peer names

    @Test
    void peerNamesPickedToCollideUnderStringHashCodeCostAboutWhatOtherNamesCost() {
        SecretHash secret = SecretHash.random();
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            plain.add("peer" + i);
        }
        long baseline = peerProbes(secret, plain);
        List<String> colliding = collidingNames();
        assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());
        long probes = peerProbes(secret, colliding);
        double ratio = probes / (double) baseline;
        System.out.printf(Locale.ROOT, "HashFloodingTest peer table: %d probes vs %d for plain names, ratio %.2f%n",
                probes, baseline, ratio);
        assertTrue(ratio <= BOUND, "ratio " + ratio);
    }

    private static long peerProbes(SecretHash secret, List<String> names) {
        PeerTable table = new PeerTable(secret, 1_000_000_000L, at -> { });
        for (String n : names) {
            table.getOrAdd(NodeId.of(n), 0);
        }
        for (String n : names) {
            assertTrue(table.find(NodeId.of(n)) != null);
        }
        assertEquals(names.size(), table.size());
        return table.probes;
    }

    /** 2^13 names of 13 blocks, each "Aa" or "BB": all with one String.hashCode. */
    private static List<String> collidingNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            StringBuilder b = new StringBuilder();
            for (int bit = 0; bit < 13; bit++) {
                b.append((i >>> bit & 1) == 0 ? "Aa" : "BB");
            }
            names.add(b.toString());
        }
        return names;
    }
}
