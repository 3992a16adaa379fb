package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tombstone table keeps, finds, expires and removes exactly what a map plus a FIFO would. */
class TombstoneTableTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final SecretHash HASH = new SecretHash(7, 11);

    private record Kept(String protocol, EnvelopeKind kind, Object payload, int answered, long atNs) { }

    /** The peer records of the table's initiators, as a node's peer table would keep them. */
    private final Map<NodeId, Peer> peers = new HashMap<>();

    private Peer peer(NodeId id) {
        return peers.computeIfAbsent(id, n -> new Peer(n, HASH.hash(n.name())));
    }

    private void put(TombstoneTable t, ChainId id, String protocol, EnvelopeKind kind, Object payload, int answered,
            long atNs) {
        Peer p = peer(id.initiator());
        t.put(p, id.incarnation(), id.sequence(), TombstoneTable.hash(HASH, p, id.incarnation(), id.sequence()),
                protocol, kind, payload, answered, 0, atNs);
    }

    private int find(TombstoneTable t, ChainId id) {
        Peer p = peer(id.initiator());
        return t.find(p, id.incarnation(), id.sequence(),
                TombstoneTable.hash(HASH, p, id.incarnation(), id.sequence()));
    }

    @Test
    void findsWhatWasPutAndForgetsItInOrderAtItsTime() {
        TombstoneTable t = new TombstoneTable();
        for (int i = 1; i <= 100; i++) {
            put(t, new ChainId(A, 1, i), "p", EnvelopeKind.TERMINAL, "r" + i, 2 * (i % 3), 1000 + i);
        }
        assertEquals(100, t.size());
        int slot = find(t, new ChainId(A, 1, 42));
        assertEquals("r42", t.payload(slot));
        assertEquals(0, t.answeredStep(slot));
        assertEquals(EnvelopeKind.TERMINAL, t.kind(slot));
        assertEquals(-1, find(t, new ChainId(A, 2, 42)), "another incarnation's chain");
        assertEquals(1001, t.nextExpiryNs());

        List<Long> expired = new ArrayList<>();
        t.expire(1050, (initiator, incarnation, sequence, protocol) -> expired.add(sequence));
        assertEquals(50, expired.size());
        assertEquals(1L, expired.get(0));
        assertEquals(50L, expired.get(49));
        assertEquals(-1, find(t, new ChainId(A, 1, 50)));
        assertEquals("r51", t.payload(find(t, new ChainId(A, 1, 51))));
        assertTrue(t.consistent());
    }

    @Test
    void countsEachPeersTombstonesAndSkipsAReplacedOne() {
        TombstoneTable t = new TombstoneTable();
        put(t, new ChainId(A, 1, 1), "p", EnvelopeKind.TERMINAL, "x", 0, 10);
        put(t, new ChainId(B, 1, 1), "p", EnvelopeKind.BUSY, null, 0, 11);
        put(t, new ChainId(A, 2, 1), "p", EnvelopeKind.ABORTED, "why", 0, 12);
        put(t, new ChainId(A, 1, 1), "p", EnvelopeKind.TERMINAL, "y", 0, 13); // replaces the first
        assertEquals(3, t.size());
        assertEquals(2, peer(A).tombstones, "both incarnations' tombstones are the peer's");
        assertEquals(1, peer(B).tombstones);
        assertEquals("y", t.payload(find(t, new ChainId(A, 1, 1))));
        assertEquals(11, t.nextExpiryNs(), "the replaced head is skipped");
        List<Long> expired = new ArrayList<>();
        t.expire(100, (initiator, incarnation, sequence, protocol) -> expired.add(incarnation));
        assertEquals(List.of(1L, 2L, 1L), expired);
        assertEquals(0, peer(A).tombstones);
        assertEquals(0, peer(B).tombstones);
        assertEquals(Long.MAX_VALUE, t.nextExpiryNs());
    }

    @Test
    void agreesWithAMapUnderRandomUseAndGivesMemoryBack() {
        agreesWithAMap(new TombstoneTable());
    }

    @Test
    void agreesWithAMapWhenTheRingIsManySegments() {
        agreesWithAMap(new TombstoneTable(2)); // segments of 4 slots: growth moves segments and splits one
    }

    private void agreesWithAMap(TombstoneTable t) {
        long seed = new SplittableRandom().nextLong();
        System.out.println("TombstoneTableTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        Map<ChainId, Kept> model = new LinkedHashMap<>();
        long now = 0;
        long[] nextSequence = {1, 1};
        for (int round = 0; round < 20_000; round++) {
            int op = random.nextInt(10);
            if (op < 6) {
                NodeId peer = random.nextBoolean() ? A : B;
                int p = peer == A ? 0 : 1;
                ChainId id = random.nextInt(20) == 0 && nextSequence[p] > 1
                        ? new ChainId(peer, 1, 1 + random.nextLong(nextSequence[p])) // again: replaces
                        : new ChainId(peer, 1, nextSequence[p]++);
                Kept k = new Kept("p" + random.nextInt(3), EnvelopeKind.values()[1 + random.nextInt(4)], "v" + round,
                        random.nextInt(8), now + 500);
                put(t, id, k.protocol, k.kind, k.payload, k.answered, k.atNs);
                model.remove(id);
                model.put(id, k);
            } else if (op < 9) {
                now += random.nextInt(20);
                long at = now;
                List<ChainId> due = new ArrayList<>();
                model.forEach((id, k) -> {
                    if (k.atNs <= at) {
                        due.add(id);
                    }
                });
                List<ChainId> told = new ArrayList<>();
                t.expire(now, (initiator, incarnation, sequence, protocol) ->
                        told.add(new ChainId(initiator.id, incarnation, sequence)));
                assertEquals(due, told, "seed " + seed);
                due.forEach(model::remove);
            } else {
                ChainId any = new ChainId(random.nextBoolean() ? A : B, 1, 1 + random.nextLong(10_000));
                int slot = find(t, any);
                Kept k = model.get(any);
                if (k == null) {
                    assertEquals(-1, slot, "seed " + seed);
                } else {
                    assertEquals(k.payload, t.payload(slot), "seed " + seed);
                    assertEquals(k.answered, t.answeredStep(slot), "seed " + seed);
                    assertEquals(k.kind, t.kind(slot), "seed " + seed);
                    assertEquals(k.protocol, t.protocol(slot), "seed " + seed);
                }
            }
            assertEquals(model.size(), t.size(), "seed " + seed);
            if (round % 97 == 0) {
                assertTrue(t.consistent(), "seed " + seed + ", round " + round);
            }
        }
        assertTrue(t.consistent(), "seed " + seed);
        t.expire(Long.MAX_VALUE / 2, (initiator, incarnation, sequence, protocol) -> { });
        assertEquals(0, t.size());
        assertTrue(t.toString().endsWith("capacity=16]"), "shrunk back: " + t);
    }
}
