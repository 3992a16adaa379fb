package dev.chainkit.core.time;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Virtual time for tests and simulation: a manual {@link NanoClock} plus a {@link Scheduler} that runs due tasks
 * only when time is advanced. Nothing reads the wall clock, so every run replays exactly.
 *
 * <p>Tasks due at the same instant run in the order they were scheduled. A task may schedule more tasks; those
 * that fall due within the advanced span run in the same call. Times saturate ({@link Nanos}): a task due at
 * {@code Long.MAX_VALUE} or later (a delay of about 292 years or more) never runs, and is not pending.
 *
 * <p>Thread safety: not thread-safe; confine an instance to one thread.
 */
public final class VirtualTime implements NanoClock, Scheduler {

    /** The handle of a task that never runs. */
    private static final Cancellable NEVER = () -> { };

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowNs;
    private long sequence;

    /** Virtual time starting at 0 ns. */
    public VirtualTime() {
        this(0);
    }

    /** Virtual time starting at {@code startNs} nanoseconds. */
    public VirtualTime(long startNs) {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    /**
     * @throws IllegalArgumentException if {@code delayNs} is negative
     * @throws NullPointerException if {@code task} is null
     */
    @Override
    public Cancellable schedule(long delayNs, Runnable task) {
        return scheduleAt(Nanos.addSaturated(nowNs, checkedDelay(delayNs)), task);
    }

    /**
     * Schedules {@code task} at the absolute virtual time {@code atNs}.
     *
     * @param atNs when to run, in nanoseconds; a time in the past runs at the next advance; {@code Long.MAX_VALUE}
     *     means never
     * @throws NullPointerException if {@code task} is null
     */
    public Cancellable scheduleAt(long atNs, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (atNs == Long.MAX_VALUE) {
            return NEVER;
        }
        Task t = new Task(Math.max(atNs, nowNs), sequence++, task);
        queue.add(t);
        return t;
    }

    /**
     * Runs the next due task, if any, moving the clock to its time.
     *
     * @return false when no task is left
     */
    public boolean runNext() {
        Task t = pollLive();
        if (t == null) {
            return false;
        }
        nowNs = t.atNs;
        t.task.run();
        return true;
    }

    /**
     * Advances the clock by {@code delta} (saturating at {@code Long.MAX_VALUE}), running every task that falls due
     * on the way, in time order.
     *
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public void advanceBy(Duration delta) {
        advanceTo(Nanos.addSaturated(nowNs, checkedDelay(Nanos.of(delta))));
    }

    /**
     * Advances the clock to {@code targetNs}, running every task due by then, in time order.
     *
     * @throws IllegalArgumentException if {@code targetNs} lies in the past
     */
    public void advanceTo(long targetNs) {
        if (targetNs < nowNs) {
            throw new IllegalArgumentException("cannot go back in time from " + nowNs + " ns to " + targetNs + " ns");
        }
        while (true) {
            Task head = peekLive();
            if (head == null || head.atNs > targetNs) {
                break;
            }
            queue.poll();
            nowNs = head.atNs;
            head.task.run();
        }
        nowNs = targetNs;
    }

    /**
     * Runs tasks until none is left or the clock would pass {@code limitNs}.
     *
     * @return the number of tasks run
     */
    public long runUntilIdle(long limitNs) {
        long ran = 0;
        while (true) {
            Task head = peekLive();
            if (head == null || head.atNs > limitNs) {
                return ran;
            }
            queue.poll();
            nowNs = head.atNs;
            head.task.run();
            ran++;
        }
    }

    /** The time of the next live task in nanoseconds, or {@code Long.MAX_VALUE} when none is scheduled. */
    public long nextTaskAtNs() {
        Task head = peekLive();
        return head == null ? Long.MAX_VALUE : head.atNs;
    }

    /** Whether any task that was not cancelled is scheduled. */
    public boolean hasPendingTasks() {
        return peekLive() != null;
    }

    private Task peekLive() {
        Task head = queue.peek();
        while (head != null && head.cancelled) {
            queue.poll();
            head = queue.peek();
        }
        return head;
    }

    private Task pollLive() {
        Task head = peekLive();
        if (head != null) {
            queue.poll();
        }
        return head;
    }

    private static long checkedDelay(long delayNs) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delay must be 0 or more nanoseconds, got " + delayNs);
        }
        return delayNs;
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final long atNs;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long atNs, long seq, Runnable task) {
            this.atNs = atNs;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Times here never wrap (they saturate), so they compare as plain numbers. */
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(atNs, o.atNs);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
