package dev.chainkit.sim.threaded;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel: the {@link Scheduler} of one node thread. Scheduling and cancelling are O(1) (a timer is a
 * node of a doubly-linked list in its slot), which matters because the engine arms a retransmission timer per
 * chain step and cancels almost all of them. A task runs no earlier than its deadline and at most about one tick
 * later; tasks with the same deadline run in the order they were scheduled.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread, which calls {@link #schedule},
 * {@link Cancellable#cancel()} and {@link #expire}.
 */
final class TimerWheel implements Scheduler {

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
     * @param clock the clock deadlines are read from
     * @param tickNs the wheel's resolution in nanoseconds, at least 1
     * @param slots the number of slots, a power of two
     * @throws IllegalArgumentException if {@code tickNs} is below 1 or {@code slots} is not a positive power of two
     */
    TimerWheel(NanoClock clock, long tickNs, int slots) {
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

    /** @throws IllegalArgumentException if {@code delayNs} is negative */
    @Override
    public Cancellable schedule(long delayNs, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (delayNs < 0) {
            throw new IllegalArgumentException("timer delay must be 0 or more nanoseconds, got " + delayNs);
        }
        long offset = clock.nanoTime() - startNs;
        long deadline = delayNs > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + delayNs;
        Timer t = new Timer(Math.max(deadline / tickNs, currentTick), task);
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

    /** How many timers are scheduled and not yet run or cancelled. */
    int size() {
        return count;
    }

    /** Nanoseconds from {@code nowNs} until the next tick boundary, at least 1. */
    long nanosToNextTick(long nowNs) {
        long next = startNs + (currentTick + 1) * tickNs;
        return Math.max(1, next - nowNs);
    }

    /**
     * Runs every timer whose tick has fully passed by {@code nowNs}.
     *
     * @return how many timers ran
     */
    int expire(long nowNs) {
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
                } catch (RuntimeException e) {
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
