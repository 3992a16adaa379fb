package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's one housekeeping timer: it runs the chores that forget things on time (tombstones at the end of their
 * window, idle responder chains, idle peers) and sleeps until the earliest of them is due again. Not API.
 *
 * <p>Design note: one timer for the node, not one per chain, so that what a chain leaves behind costs no timer: the
 * chores keep their own queues in due order and say when they are next due. Anything that queues a new due time
 * calls {@link #wakeAt}, which re-arms the timer only if the new time is earlier than the armed one.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Housekeeping implements Runnable {

    /** One kind of forgetting. */
    @FunctionalInterface
    interface Chore {
        /**
         * Does what is due by {@code nowNs}.
         *
         * @return when the chore is next due, in nanoseconds; {@code Long.MAX_VALUE} when it has nothing queued
         */
        long run(long nowNs);
    }

    private final NanoClock clock;
    private final Scheduler scheduler;
    private final List<Chore> chores = new ArrayList<>();
    private Cancellable timer;
    private long timerAtNs;
    private boolean closed;

    Housekeeping(NanoClock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Adds a chore; chores run in the order they were added. */
    void add(Chore chore) {
        chores.add(chore);
    }

    /** Makes sure the timer fires no later than {@code atNs}. */
    void wakeAt(long atNs) {
        if (closed || (timer != null && timerAtNs - atNs <= 0)) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAtNs = atNs;
        timer = scheduler.schedule(Math.max(0, atNs - clock.nanoTime()), this);
    }

    /** The timer fired: runs every chore, then sleeps until the earliest is due. */
    @Override
    public void run() {
        timer = null;
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        long next = Long.MAX_VALUE;
        for (Chore chore : chores) {
            long due = chore.run(now);
            if (due != Long.MAX_VALUE && (next == Long.MAX_VALUE || due - next < 0)) {
                next = due;
            }
        }
        if (next != Long.MAX_VALUE) {
            wakeAt(next);
        }
    }

    /** See {@link ChainNode#digest}: whether the timer is armed, and when it is due. */
    void digest(StateSink sink) {
        sink.putBoolean(timer != null);
        if (timer != null) {
            sink.putTime(timerAtNs);
        }
    }

    /** Stops the timer for good. */
    void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
