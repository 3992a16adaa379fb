package dev.chainkit.runtime;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel: the {@link Scheduler} of one node thread (a {@link NodeExecutor}'s, or any loop that calls
 * {@link #expire} as it goes). Scheduling and cancelling are O(1) (a timer is a node of a doubly-linked list in its
 * slot), which matters because the engine arms a retransmission timer per chain step and cancels almost all of
 * them.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Ticks.</b> Time is counted in ticks from the wheel's creation ({@code clock.nanoTime()} then), so only
 *   differences of clock readings are used and a clock that wraps around {@code Long.MAX_VALUE} is fine. A timer
 *   belongs to the tick its deadline falls in, and runs once that tick has fully passed: no earlier than its
 *   deadline and at most about one tick later. Timers of one tick run in the order they were scheduled. A wheel
 *   that fell more than a turn behind runs what is due slot by slot.</li>
 *   <li><b>Never.</b> A delay so long that the deadline would not fit in a {@code long} of nanoseconds from the
 *   wheel's start means never: such a task is not stored at all (its handle cancels nothing), so it costs no memory
 *   and no wake-ups, and {@link #size()} does not count it.</li>
 *   <li><b>Re-entrancy.</b> {@link #expire} unlinks a slot's due timers before running them, so a task may cancel
 *   or schedule timers freely; a task it schedules for a tick already passed runs at the next call.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to one thread, which calls {@link #schedule},
 * {@link Cancellable#cancel()}, {@link #expire}, {@link #size()} and {@link #nanosToNextTick}.
 */
public final class TimerWheel implements Scheduler {

    private static final Cancellable NEVER = () -> { };

    private static final Logger log = LoggerFactory.getLogger(TimerWheel.class);

    private final NanoClock clock;
    private final long startNs;
    private final long tickNs;
    private final int mask;
    private final Timer[] heads;
    private final Timer[] tails;
    /** The next tick to expire; every timer of an earlier tick has run. */
    private long currentTick;
    private int count;

    /**
     * A wheel whose time starts now by {@code clock}.
     *
     * @param clock the clock deadlines are read from
     * @param tickNs the wheel's resolution in nanoseconds, at least 1
     * @param slots the number of slots, a power of two (a turn of the wheel is {@code slots * tickNs})
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalArgumentException if {@code tickNs} is below 1 or {@code slots} is not a positive power of two
     */
    public TimerWheel(NanoClock clock, long tickNs, int slots) {
        Objects.requireNonNull(clock, "clock");
        if (tickNs < 1) {
            throw new IllegalArgumentException("timer tick must be at least 1 ns, got " + tickNs);
        }
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("timer wheel slots must be a power of two, got " + slots);
        }
        this.clock = clock;
        this.startNs = clock.nanoTime();
        this.tickNs = tickNs;
        this.mask = slots - 1;
        this.heads = new Timer[slots];
        this.tails = new Timer[slots];
    }

    /**
     * Schedules {@code task} to run once, at the first {@link #expire} after {@code delayNs} from now; a delay too
     * long for the clock means never (nothing is stored).
     *
     * @throws IllegalArgumentException if {@code delayNs} is negative
     * @throws NullPointerException if {@code task} is null
     */
    @Override
    public Cancellable schedule(long delayNs, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (delayNs < 0) {
            throw new IllegalArgumentException("timer delay must be 0 or more nanoseconds, got " + delayNs);
        }
        long offset = clock.nanoTime() - startNs;
        if (delayNs > Long.MAX_VALUE - offset) {
            return NEVER;
        }
        Timer t = new Timer(Math.max((offset + delayNs) / tickNs, currentTick), task);
        int slot = (int) (t.tick & mask);
        t.slot = slot;
        if (tails[slot] == null) {
            heads[slot] = t;
        } else {
            tails[slot].next = t;
            t.prev = tails[slot];
        }
        tails[slot] = t;
        count++;
        return t;
    }

    /** How many timers are scheduled and not yet run or cancelled (tasks scheduled for never are not counted). */
    public int size() {
        return count;
    }

    /**
     * Nanoseconds from {@code nowNs} until the end of the tick {@link #expire} waits for next, at least 1: how long a
     * loop with due timers may sleep.
     *
     * @param nowNs a reading of the wheel's clock
     */
    public long nanosToNextTick(long nowNs) {
        long next = startNs + (currentTick + 1) * tickNs;
        return Math.max(1, next - nowNs);
    }

    /**
     * Runs every timer whose tick has fully passed by {@code nowNs}, on the calling thread. What a task throws is
     * logged, and the other tasks still run.
     *
     * @param nowNs a reading of the wheel's clock
     * @return how many timers ran
     */
    public int expire(long nowNs) {
        long target = (nowNs - startNs) / tickNs;
        if (count == 0) {
            currentTick = Math.max(currentTick, target);
            return 0;
        }
        int ran = 0;
        if (target - currentTick > mask) {
            for (int slot = 0; slot <= mask; slot++) {
                ran += runDue(slot, target - 1);
            }
            currentTick = target;
            return ran;
        }
        while (currentTick < target) {
            ran += runDue((int) (currentTick & mask), currentTick);
            currentTick++;
        }
        return ran;
    }

    /** Unlinks the slot's due timers first, then runs them, so tasks may cancel or schedule timers freely. */
    private int runDue(int slot, long uptoTick) {
        Timer dueHead = null;
        Timer dueTail = null;
        for (Timer t = heads[slot]; t != null; ) {
            Timer next = t.next;
            if (t.tick <= uptoTick) {
                unlink(t);
                if (dueTail == null) {
                    dueHead = t;
                } else {
                    dueTail.next = t;
                }
                dueTail = t;
            }
            t = next;
        }
        int ran = 0;
        for (Timer t = dueHead; t != null; ) {
            Timer next = t.next;
            t.next = null;
            if (!t.cancelled) {
                t.cancelled = true;
                try {
                    t.task.run();
                } catch (Throwable e) {
                    log.error("A timer task threw", e);
                }
                ran++;
            }
            t = next;
        }
        return ran;
    }

    private void unlink(Timer t) {
        if (t.prev == null) {
            heads[t.slot] = t.next;
        } else {
            t.prev.next = t.next;
        }
        if (t.next == null) {
            tails[t.slot] = t.prev;
        } else {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.linked = false;
        count--;
    }

    private final class Timer implements Cancellable {
        final long tick;
        final Runnable task;
        int slot;
        Timer prev;
        Timer next;
        boolean linked = true;
        boolean cancelled;

        Timer(long tick, Runnable task) {
            this.tick = tick;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (linked) {
                unlink(this);
            }
        }
    }
}
