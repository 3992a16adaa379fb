package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Stream;
import io.vavr.collection.Vector;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpLogTest {

    private static final Author AUTHOR = new Author("n1", Role.organizer());

    private static Operation<String> op(String id) {
        return new Operation<>(OpId.of(id), AUTHOR, 0, "payload-" + id);
    }

    private static OpLog<String> log(String... ids) {
        OpLog<String> log = OpLog.genesis(op(ids[0]));
        for (int i = 1; i < ids.length; i++) {
            log = log.append(op(ids[i]));
        }
        return log;
    }

    @Test
    void genesisHoldsExactlyTheFirstOp() {
        OpLog<String> log = OpLog.genesis(op("g"));
        assertEquals(1, log.size());
        assertEquals(op("g"), log.first());
        assertEquals(op("g"), log.last());
        assertEquals(0, log.indexOf(OpId.of("g")));
    }

    @Test
    void appendAddsAtTheEndAndIndexesTheId() {
        OpLog<String> log = log("g", "a", "b");
        assertEquals(3, log.size());
        assertEquals(op("b"), log.last());
        assertEquals(op("a"), log.get(1));
        assertTrue(log.contains(OpId.of("a")));
        assertEquals(2, log.indexOf(OpId.of("b")));
        assertFalse(log.contains(OpId.of("zz")));
        assertEquals(-1, log.indexOf(OpId.of("zz")));
        assertEquals(Vector.of(op("g"), op("a"), op("b")), log.ops());
        assertThrows(IndexOutOfBoundsException.class, () -> log.get(3));
    }

    @Test
    void appendLeavesTheOriginalLogUnchanged() {
        OpLog<String> before = log("g", "a");
        OpLog<String> after = before.append(op("b"));
        assertEquals(2, before.size());
        assertFalse(before.contains(OpId.of("b")));
        assertEquals(3, after.size());
    }

    @Test
    void appendRejectsDuplicateIdSayingWhereItSits() {
        OpLog<String> log = log("g", "a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(op("a")));
        assertTrue(e.getMessage().contains("op a"), e.getMessage());
        assertTrue(e.getMessage().contains("already sits at position 1"), e.getMessage());
    }

    @Test
    void appendAllRejectsDuplicateWithinTheBatchAndAppendsNothing() {
        OpLog<String> log = log("g");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> log.appendAll(Vector.of(op("a"), op("b"), op("a"))));
        assertTrue(e.getMessage().contains("already sits at position 1"), e.getMessage());
        assertEquals(1, log.size());
        assertThrows(IllegalArgumentException.class, () -> log.appendAll(Vector.of(op("x"), op("g"))));
    }

    @Test
    void appendAllEqualsAppendingOneByOne() {
        OpLog<String> batch = log("g").appendAll(Vector.of(op("a"), op("b"), op("c")));
        OpLog<String> single = log("g", "a", "b", "c");
        assertEquals(single, batch);
        assertEquals(single.hashCode(), batch.hashCode());
        assertEquals(3, batch.indexOf(OpId.of("c")));
        OpLog<String> same = log("g", "a");
        assertSame(same, same.appendAll(Vector.empty()));
    }

    @Test
    void opsAfterReturnsTheOpsFollowingTheAnchor() {
        OpLog<String> log = log("g", "a", "b", "c");
        assertEquals(Vector.of(op("b"), op("c")), log.opsAfter(OpId.of("a")));
        assertEquals(Vector.of(op("a"), op("b"), op("c")), log.opsAfter(OpId.of("g")));
        assertTrue(log.opsAfter(OpId.of("c")).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> log.opsAfter(OpId.of("q")));
        assertTrue(e.getMessage().contains("anchor q is not in this log"), e.getMessage());
    }

    @Test
    void truncateAfterKeepsTheAnchorAndForgetsDroppedIds() {
        OpLog<String> log = log("g", "a", "b", "c");
        OpLog<String> cut = log.truncateAfter(OpId.of("a"));
        assertEquals(log("g", "a"), cut);
        assertEquals(op("a"), cut.last());
        assertFalse(cut.contains(OpId.of("b")));
        assertEquals(-1, cut.indexOf(OpId.of("c")));
        // a dropped id may be appended again, at its new position
        OpLog<String> again = cut.append(op("c"));
        assertEquals(2, again.indexOf(OpId.of("c")));
        // the original is untouched
        assertEquals(4, log.size());
        assertTrue(log.contains(OpId.of("c")));
        assertSame(log, log.truncateAfter(OpId.of("c")));
        assertThrows(IllegalArgumentException.class, () -> log.truncateAfter(OpId.of("zz")));
    }

    @Test
    void digestIsEqualForEqualLogsAndDiffersForDifferentOnes() {
        OpLog<String> one = log("g", "a", "b");
        OpLog<String> two = log("g").appendAll(Vector.of(op("a"), op("b")));
        assertEquals(one.digest(), two.digest());
        assertTrue(one.digest().matches("[0-9a-f]{64}"), one.digest());
        assertNotEquals(one.digest(), log("g", "b", "a").digest());
        assertNotEquals(one.digest(), log("g", "a").digest());
        assertNotEquals(one.digest(), log("g", "ab").digest());
        assertEquals(one.digest(), log("g", "a", "b", "c").truncateAfter(OpId.of("b")).digest());
    }

    @Test
    void equalityFollowsTheOpsVector() {
        assertEquals(log("g", "a"), log("g", "a"));
        assertNotEquals(log("g", "a"), log("g", "b"));
        assertEquals("OpLog[size=2, last=a]", log("g", "a").toString());
    }

    /** A payload that counts how often any op's payload is compared, hashed or printed. */
    private record Probe(int n, AtomicInteger touches) {
        @Override
        public boolean equals(Object o) {
            touches.incrementAndGet();
            return o instanceof Probe p && p.n == n;
        }

        @Override
        public int hashCode() {
            touches.incrementAndGet();
            return n;
        }

        @Override
        public String toString() {
            touches.incrementAndGet();
            return "probe-" + n;
        }
    }

    @Test
    void fastForwardAppendTouchesOnlyTheNewOpsWhateverTheLogLength() {
        AtomicInteger touches = new AtomicInteger();
        int[] batchElementsMade = {0};
        for (int length : new int[] {1, 20_000}) {
            Operation<Probe> genesis = new Operation<>(OpId.of("g"), AUTHOR, 0, new Probe(0, touches));
            OpLog<Probe> log = OpLog.genesis(genesis).appendAll(Vector.range(1, length)
                    .map(i -> new Operation<>(OpId.of("old-" + i), AUTHOR, 0, new Probe(i, touches))));
            assertEquals(length, log.size());
            touches.set(0);
            batchElementsMade[0] = 0;
            // a lazy batch: counts how many of its elements are ever materialized
            Stream<Operation<Probe>> batch = Stream.range(0, 5).map(i -> {
                batchElementsMade[0]++;
                return new Operation<>(OpId.of("new-" + i), AUTHOR, 0, new Probe(-i, touches));
            });
            OpLog<Probe> longer = log.appendAll(batch).append(
                    new Operation<>(OpId.of("one-more"), AUTHOR, 0, new Probe(-9, touches)));

            // existing ops' payloads were never compared, hashed or printed, and each new op was
            // materialized exactly once: the work is in the k new ops, not in the log's length
            assertEquals(0, touches.get(), "append must not touch payloads of ops already in the log");
            assertEquals(5, batchElementsMade[0]);
            assertEquals(length + 6, longer.size());
            assertEquals(length + 4, longer.indexOf(OpId.of("new-4")));
            assertEquals(length, log.size(), "the original log is persistent and unchanged");
            assertEquals(log.ops(), longer.truncateAfter(log.last().id()).ops());
        }
    }

    @Test
    void commonPrefixOfTwoVersionsOfOneHistoryIsExact() {
        OpLog<String> base = log("g", "a", "b", "c");
        OpLog<String> longer = base.append(op("d")).appendAll(Vector.of(op("e"), op("f")));
        OpLog<String> rebased = base.truncateAfter(OpId.of("a")).append(op("x")).append(op("b"));

        assertEquals(4, base.commonPrefixLength(longer));
        assertEquals(4, longer.commonPrefixLength(base));
        assertEquals(2, base.commonPrefixLength(rebased), "the shared part ends where the versions parted");
        assertEquals(2, rebased.commonPrefixLength(longer));
        assertEquals(7, longer.commonPrefixLength(longer));
    }

    @Test
    void commonPrefixOfIndependentLogsComparesTheirOps() {
        OpLog<String> one = log("g", "a", "b");
        OpLog<String> other = log("g", "a", "c");

        assertEquals(2, one.commonPrefixLength(other), "equal ops count even when built apart");
        assertEquals(3, one.commonPrefixLength(log("g", "a", "b", "z")));
        assertEquals(0, one.commonPrefixLength(log("h")));
    }

    @Test
    void anOpReappendedAtItsOldPositionAfterAnEarlierChangeIsNotTakenAsShared() {
        OpLog<String> base = log("g", "a", "b");
        OpLog<String> rewritten = base.truncateAfter(OpId.of("g")).append(op("x")).append(base.get(2));

        assertEquals(1, base.commonPrefixLength(rewritten));
    }
}
