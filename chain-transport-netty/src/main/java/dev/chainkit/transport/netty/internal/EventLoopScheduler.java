package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.runtime.TimerWheel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node's {@link Scheduler} on its Netty event loop: tasks run on the loop's thread, the node's thread. One per
 * node. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>A timer wheel, not a Netty task per timer.</b> The engine arms a retransmission timer for every chain
 *   step and cancels nearly all of them when the reply comes. A Netty scheduled task per timer cost a task object,
 *   a cancelling handle, a heap insertion and removal in the loop's priority queue (O(log n) in the timers
 *   pending) and completing the task's promise on cancel: about 6% of the loop threads' Java samples at 64
 *   chains in flight (P6 in docs/BENCHMARKS.md). The chain-runtime's {@link TimerWheel} schedules and cancels in
 *   O(1) with one small node per timer.</li>
 *   <li><b>One Netty task wakes the wheel</b>, armed for the end of the first tick whose slot holds a timer
 *   ({@link TimerWheel#nanosToNextTimer}), so a loop whose timers are far away (a chain's 100 ms first delay, a
 *   tombstone's expiry) is not woken every tick. Scheduling a timer earlier than that wake-up re-arms it; later
 *   ones, the common case, cost no Netty call at all.</li>
 *   <li><b>Resolution.</b> A task runs no earlier than its delay and at most about one tick ({@value #TICK_MS} ms)
 *   plus the loop's own lateness after it. Tasks due in the same tick run in the order they were scheduled, so
 *   tasks due at the same instant do, as the SPI requires.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the loop; call {@link #schedule} and cancel on it (the engine does).
 */
final class EventLoopScheduler implements Scheduler, Runnable {

    /** The wheel's tick, in milliseconds. */
    static final int TICK_MS = 1;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    /** 512 slots of 1 ms: a turn of about half a second. */
    private static final int SLOTS = 512;

    private final EventLoop loop;
    private final NanoClock clock;
    private final TimerWheel wheel;
    /** The Netty task that runs {@link #run} next, or null. */
    private ScheduledFuture<?> wakeup;
    /** When {@link #wakeup} runs, by {@link #clock}. */
    private long wakeupNs;
    /** {@link #run} is running the wheel's due tasks, and arms the next wake-up after them. */
    private boolean expiring;

    /** @param clock the node's clock (the loop's timers run on {@code System.nanoTime}, as this clock should) */
    EventLoopScheduler(EventLoop loop, NanoClock clock) {
        this.loop = loop;
        this.clock = clock;
        this.wheel = new TimerWheel(clock, TICK_NS, SLOTS);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if called off the node's loop
     */
    @Override
    public Cancellable schedule(long delayNs, Runnable task) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("a node's scheduler is used on the node's thread, not on "
                    + Thread.currentThread().getName());
        }
        int before = wheel.size();
        Cancellable c = wheel.schedule(delayNs, task); // checks its arguments
        if (!expiring && wheel.size() > before) {
            long now = clock.nanoTime();
            // the wheel runs it at the end of its tick; a delay beyond a turn needs no wake-up before a turn
            long dueIn = Math.min(delayNs, TICK_NS * SLOTS) + TICK_NS;
            if (wakeup == null || now + dueIn - wakeupNs < 0) {
                arm(now, dueIn);
            }
        }
        return c;
    }

    /** The wake-up: runs what is due, then sleeps until the next timer's tick (tasks that ran may have added some). */
    @Override
    public void run() {
        wakeup = null;
        expiring = true;
        try {
            wheel.expire(clock.nanoTime());
        } finally {
            expiring = false;
        }
        long now = clock.nanoTime();
        long next = wheel.nanosToNextTimer(now);
        if (next > 0) {
            arm(now, next);
        }
    }

    private void arm(long nowNs, long delayNs) {
        if (wakeup != null) {
            wakeup.cancel(false);
        }
        wakeupNs = nowNs + delayNs;
        wakeup = loop.schedule(this, delayNs, TimeUnit.NANOSECONDS);
    }
}
