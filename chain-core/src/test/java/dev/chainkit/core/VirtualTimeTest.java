package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Promise 9: virtual time runs timers in time order, same-instant tasks FIFO, and never goes back. */
class VirtualTimeTest {

    @Test
    void tasksDueAtTheSameInstantRunInTheOrderTheyWereScheduled() {
        VirtualTime time = new VirtualTime();
        List<String> ran = new ArrayList<>();
        time.schedule(10, () -> ran.add("b"));
        time.schedule(5, () -> ran.add("a"));
        time.schedule(10, () -> ran.add("c"));
        time.schedule(10, () -> ran.add("d"));
        time.advanceTo(10);
        assertEquals(List.of("a", "b", "c", "d"), ran);
    }

    @Test
    void cancelledTaskNeverRuns() {
        VirtualTime time = new VirtualTime();
        List<String> ran = new ArrayList<>();
        Cancellable c = time.schedule(5, () -> ran.add("cancelled"));
        time.schedule(5, () -> ran.add("kept"));
        c.cancel();
        c.cancel();
        time.advanceTo(100);
        assertEquals(List.of("kept"), ran);
        assertFalse(time.hasPendingTasks());
    }

    @Test
    void advanceRefusesToGoBackInTime() {
        VirtualTime time = new VirtualTime(1000);
        time.advanceTo(2000);
        assertThrows(IllegalArgumentException.class, () -> time.advanceTo(1999));
        assertThrows(IllegalArgumentException.class, () -> time.advanceBy(Duration.ofNanos(-1)));
        assertThrows(IllegalArgumentException.class, () -> time.schedule(-1, () -> { }));
        assertEquals(2000, time.nanoTime());
    }

    @Test
    void clockReadsEachTaskDueTimeWhileItRunsAndTheTargetAfterwards() {
        VirtualTime time = new VirtualTime();
        List<Long> seen = new ArrayList<>();
        time.schedule(30, () -> seen.add(time.nanoTime()));
        time.schedule(10, () -> {
            seen.add(time.nanoTime());
            time.schedule(5, () -> seen.add(time.nanoTime())); // due at 15, within the advance
            time.schedule(500, () -> seen.add(-1L));            // due at 510, after it
        });
        time.advanceTo(100);
        assertEquals(List.of(10L, 15L, 30L), seen);
        assertEquals(100, time.nanoTime());
        assertEquals(510, time.nextTaskAtNs());
    }

    @Test
    void runNextJumpsToTheNextTask() {
        VirtualTime time = new VirtualTime();
        List<Long> seen = new ArrayList<>();
        time.scheduleAt(70, () -> seen.add(time.nanoTime()));
        assertTrue(time.runNext());
        assertEquals(List.of(70L), seen);
        assertFalse(time.runNext());
        assertEquals(Long.MAX_VALUE, time.nextTaskAtNs());
    }

    @Test
    void runUntilIdleStopsAtItsLimit() {
        VirtualTime time = new VirtualTime();
        int[] n = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            n[0]++;
            time.schedule(10, tick[0]);
        };
        time.schedule(10, tick[0]);
        assertEquals(5, time.runUntilIdle(50));
        assertEquals(5, n[0]);
        assertEquals(50, time.nanoTime());
    }

    /** Issue 10: a delay that would pass Long.MAX_VALUE used to wrap into the past and run at the next advance. */
    @Test
    void aDelayTooLongToRepresentMeansNever() {
        VirtualTime time = new VirtualTime(1_000);
        boolean[] ran = {false};
        time.schedule(Long.MAX_VALUE, () -> ran[0] = true);
        time.schedule(Long.MAX_VALUE - 1_000, () -> ran[0] = true); // due exactly at Long.MAX_VALUE: never too
        assertFalse(time.hasPendingTasks());
        time.advanceBy(Duration.ofDays(1));
        time.runUntilIdle(Long.MAX_VALUE);
        assertFalse(ran[0]);
        assertEquals(Long.MAX_VALUE, time.nextTaskAtNs());
    }

    @Test
    void advancingByADurationBeyondNanosecondsSaturatesAndRunsWhatIsDue() {
        VirtualTime time = new VirtualTime(-5);
        List<Long> seen = new ArrayList<>();
        time.schedule(Long.MAX_VALUE - 10, () -> seen.add(time.nanoTime())); // due at Long.MAX_VALUE - 15
        time.advanceBy(Duration.ofSeconds(Long.MAX_VALUE));
        assertEquals(List.of(Long.MAX_VALUE - 15), seen, "times far apart still compare in order");
        assertEquals(Long.MAX_VALUE - 5, time.nanoTime(), "-5 plus the largest delay, and no further");
        time.advanceBy(Duration.ofDays(1));
        assertEquals(Long.MAX_VALUE, time.nanoTime(), "saturated, not wrapped into the past");
    }
}
