package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The explorer's table of states: every state is found by its fingerprint and keeps what was recorded of it across
 * the growth of its arrays and of its slot table (filled to three quarters), and a sleep set forgotten after the
 * search is not read by mistake.
 */
class StateTableTest {

    private static final long SEED = 20261204L;

    @Test
    void findsEveryStateAcrossGrowth() {
        System.out.println("StateTableTest seed " + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        int n = 300_000;
        long[] high = new long[n];
        long[] low = new long[n];
        StateTable t = new StateTable();
        for (int id = 0; id < n; id++) {
            // the first 300 all want the same slot, whatever the table's size: a long run of probes
            high[id] = id < 300 ? (long) id << 40 : random.nextLong();
            low[id] = id < 300 ? 0 : random.nextLong();
            long[] sleep = id % 5 == 0 ? new long[] {id, id + 1L} : new long[0];
            assertEquals(id, t.add(high[id], low[id], id - 1, id % 11, sleep));
        }
        assertEquals(n, t.size());
        for (int id = 0; id < n; id++) {
            assertEquals(id, t.find(high[id], low[id]));
            assertEquals(id - 1, t.parent(id));
            assertEquals(id % 11, t.choice(id));
            assertEquals(id, t.depth(id));
            assertArrayEquals(id % 5 == 0 ? new long[] {id, id + 1L} : new long[0], t.sleep(id));
        }
        assertEquals(-1, t.find(high[0] + 1, low[0]));
        assertEquals(10, t.pathTo(10).length);
        t.forgetSleepSets();
        assertThrows(IllegalStateException.class, () -> t.sleep(0));
        assertEquals(n - 1, t.find(high[n - 1], low[n - 1]));
    }
}
