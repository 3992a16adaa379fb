package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The explorer's list of ints: growth by half keeps every item, and a queue drops the head it took. */
class IntListTest {

    @Test
    void growsKeepingEveryItem() {
        IntList list = new IntList();
        for (int i = 0; i < 100_000; i++) {
            list.add(i * 7);
        }
        assertEquals(100_000, list.size());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i * 7, list.get(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(100_000));
    }

    @Test
    void dropsItsFirstItemsAndGoesOn() {
        IntList list = new IntList();
        for (int i = 0; i < 5000; i++) {
            list.add(i);
        }
        list.dropFirst(3000);
        assertEquals(2000, list.size());
        assertEquals(3000, list.get(0));
        assertEquals(4999, list.get(1999));
        for (int i = 5000; i < 9000; i++) {
            list.add(i);
        }
        assertEquals(6000, list.size());
        for (int k = 0; k < 6000; k++) {
            assertEquals(3000 + k, list.get(k));
        }
        list.dropFirst(6000);
        assertEquals(0, list.size());
        list.add(-1);
        assertEquals(-1, list.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> list.dropFirst(2));
        assertThrows(IndexOutOfBoundsException.class, () -> list.dropFirst(-1));
    }
}
