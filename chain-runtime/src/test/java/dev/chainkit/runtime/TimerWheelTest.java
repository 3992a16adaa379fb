package dev.chainkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.time.Cancellable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

    private static final long MS = 1_000_000L;

    private long now = 5 * MS;
    private final TimerWheel wheel = new TimerWheel(() -> now, MS, 8);
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsTasksNoEarlierThanTheirDelayAndInScheduleOrderAtEqualDeadlines() {
        wheel.schedule(3 * MS, () -> ran.add("3ms-a"));
        wheel.schedule(1 * MS, () -> ran.add("1ms"));
        wheel.schedule(3 * MS, () -> ran.add("3ms-b"));
        wheel.schedule(20 * MS, () -> ran.add("20ms, beyond one turn of the wheel"));
        now += 3 * MS - 1;
        wheel.expire(now);
        assertEquals(List.of("1ms"), ran);
        now += 1 * MS + 1;
        wheel.expire(now);
        assertEquals(List.of("1ms", "3ms-a", "3ms-b"), ran);
        now += 10 * MS;
        wheel.expire(now);
        assertEquals(3, ran.size(), "the 20 ms task waits for its round");
        now += 10 * MS;
        assertEquals(1, wheel.expire(now));
        assertEquals(0, wheel.size());
    }

    @Test
    void cancelledTasksNeverRunEvenWhenCancelledByAnotherDueTask() {
        Cancellable[] victim = new Cancellable[1];
        wheel.schedule(MS, () -> {
            ran.add("first");
            victim[0].cancel();
            wheel.schedule(0, () -> ran.add("scheduled while expiring"));
        });
        victim[0] = wheel.schedule(MS, () -> ran.add("victim"));
        Cancellable gone = wheel.schedule(2 * MS, () -> ran.add("cancelled early"));
        gone.cancel();
        gone.cancel();
        now += 100 * MS;
        wheel.expire(now);
        assertEquals(List.of("first"), ran);
        now += 2 * MS;
        wheel.expire(now);
        assertEquals(List.of("first", "scheduled while expiring"), ran);
        assertEquals(0, wheel.size());
    }

    /** A delay so long that the deadline overflows means never: nothing is stored, nothing ever runs. */
    @Test
    void aDelayTooLongForTheClockNeverRunsAndHoldsNothing() {
        now = Long.MAX_VALUE / 2;
        TimerWheel late = new TimerWheel(() -> now, MS, 8);
        now += 10 * MS;
        Cancellable never = late.schedule(Long.MAX_VALUE - 5 * MS, () -> ran.add("never"));
        late.schedule(Long.MAX_VALUE, () -> ran.add("never either"));
        assertEquals(0, late.size(), "a task for never takes no slot");
        now += Long.MAX_VALUE / 4;
        late.expire(now);
        never.cancel();
        assertEquals(List.of(), ran);
    }

    /** Ticks count from the wheel's start, so a clock that wraps past Long.MAX_VALUE keeps working. */
    @Test
    void keepsTimeAcrossAClockThatWrapsAround() {
        now = Long.MAX_VALUE - 2 * MS;
        TimerWheel wrapping = new TimerWheel(() -> now, MS, 8);
        wrapping.schedule(5 * MS, () -> ran.add("after the wrap"));
        now += 4 * MS;
        assertEquals(0, wrapping.expire(now));
        assertTrue(now < 0, "the clock wrapped");
        now += 2 * MS;
        assertEquals(1, wrapping.expire(now));
        assertEquals(List.of("after the wrap"), ran);
        assertEquals(MS, wrapping.nanosToNextTick(now));
    }

    @Test
    void rejectsNegativeDelaysAndBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> wheel.schedule(-1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(() -> 0, MS, 6));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(() -> 0, 0, 8));
    }
}
