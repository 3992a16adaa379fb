package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The idle queue hands out due chains in order and forgets chains that ended. */
class IdleQueueTest {

    private static ResponderState chain(long sequence) {
        return new ResponderState(new ChainId(NodeId.of("a"), 1, sequence), null, new Peer(NodeId.of("a"), 0), null, 2,
                0, 0);
    }

    @Test
    void handsOutDueChainsInOrderAndSkipsEndedOnes() {
        IdleQueue q = new IdleQueue();
        ResponderState[] rs = new ResponderState[100];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = chain(i + 1);
            q.add(rs[i], 1000 + i);
        }
        for (int i = 0; i < rs.length; i += 2) {
            q.remove(rs[i]);
        }
        assertEquals(1001, q.nextDueNs(), "the ended head is skipped");
        assertNull(q.pollDue(1000));
        for (int i = 1; i < 50; i += 2) {
            assertSame(rs[i], q.pollDue(1049));
        }
        assertNull(q.pollDue(1049));
        q.add(rs[1], 5000); // checked and still active: queued again
        for (int i = 51; i < 100; i += 2) {
            assertSame(rs[i], q.pollDue(2000));
        }
        assertSame(rs[1], q.pollDue(5000));
        assertNull(q.pollDue(Long.MAX_VALUE / 2));
        assertEquals(Long.MAX_VALUE, q.nextDueNs());
    }

    @Test
    void chainsThatEndAtOnceLeaveNothingBehind() {
        IdleQueue q = new IdleQueue();
        for (int i = 1; i <= 100_000; i++) {
            ResponderState rs = chain(i);
            q.add(rs, i);
            q.remove(rs);
        }
        assertEquals(Long.MAX_VALUE, q.nextDueNs());
    }
}
