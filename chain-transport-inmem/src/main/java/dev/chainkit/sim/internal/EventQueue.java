package dev.chainkit.sim.internal;

import dev.chainkit.core.time.NanoClock;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The simulator's one event queue and its virtual clock: a binary min-heap ordered by due time, then by insertion
 * order, so events due at the same instant run first-in first-out. Cancelled events are dropped lazily when they
 * reach the head. An event due at {@link #NEVER} (its delay was too long for the clock: the callers saturate
 * instead of letting a sum wrap into the past) never runs: it stays in the queue, pending. Not API.
 *
 * <p>It replaces {@link dev.chainkit.core.time.VirtualTime} in the simulator for speed: events are typed (a
 * delivery is one object, not a task wrapping a lambda), comparisons read fields directly, and the simulator can
 * tell a no-op (a dead incarnation's timer) from a real event.
 *
 * <p>Thread safety: not thread-safe; confined to the simulation's thread.
 */
public final class EventQueue implements NanoClock {

    /** The due time of an event that never runs. */
    public static final long NEVER = Long.MAX_VALUE;

    private SimEvent[] heap = new SimEvent[256];
    private int size;
    private long nowNs;
    private long nextSeq;

    @Override
    public long nanoTime() {
        return nowNs;
    }

    /**
     * Adds {@code event}, due at {@code atNs}; a time in the past means now.
     *
     * @param atNs due time in nanoseconds, or {@link #NEVER}
     */
    public void add(SimEvent event, long atNs) {
        event.atNs = Math.max(atNs, nowNs);
        event.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            SimEvent p = heap[parent];
            if (!before(event, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = event;
    }

    /**
     * The earliest event that is not cancelled, or null when none is left that will ever run; drops cancelled
     * events on the way.
     */
    public SimEvent peek() {
        while (size > 0 && heap[0].cancelled) {
            removeHead();
        }
        return size == 0 || heap[0].atNs == NEVER ? null : heap[0];
    }

    /** Removes and returns the earliest live event, moving the clock to its time; null when none is left to run. */
    public SimEvent poll() {
        SimEvent head = peek();
        if (head != null) {
            removeHead();
            nowNs = head.atNs;
        }
        return head;
    }

    /** Tells {@code each} about every event still queued that is not cancelled, in no particular order. */
    public void forEach(Consumer<SimEvent> each) {
        for (int i = 0; i < size; i++) {
            if (!heap[i].cancelled) {
                each.accept(heap[i]);
            }
        }
    }

    /**
     * Moves the clock forward to {@code targetNs} without running anything; a time in the past is ignored.
     *
     * @param targetNs the new time in nanoseconds
     */
    public void advanceTo(long targetNs) {
        nowNs = Math.max(nowNs, targetNs);
    }

    private void removeHead() {
        SimEvent last = heap[--size];
        heap[size] = null;
        if (size == 0) {
            return;
        }
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            SimEvent c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, last)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = last;
    }

    private static boolean before(SimEvent a, SimEvent b) {
        return a.atNs < b.atNs || (a.atNs == b.atNs && a.seq < b.seq);
    }
}
