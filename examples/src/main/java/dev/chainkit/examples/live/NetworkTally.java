package dev.chainkit.examples.live;

import dev.chainkit.sim.fault.FaultDecision;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the fault proxies of a live run did to the envelopes they saw, per message kind: copies passed on, extra
 * copies made, envelopes lost to a rule or to random loss; and when the last copy still held back (latency, a
 * delay rule) is due, so that the run knows whether anything is still in transit.
 *
 * <p>Thread safety: thread-safe; every proxy's thread records here.
 */
final class NetworkTally {

    /** Per kind: {passed on, duplicated, lost}. */
    private final Map<String, long[]> byKind = new TreeMap<>();
    private long decisions;
    private long lastDueNs;
    private boolean anyDue;

    /**
     * Records one decision, taken at {@code nowNs} (the proxy's {@link System#nanoTime()}).
     *
     * @param kind the message kind
     * @param decision what the fault logic decided
     * @param nowNs when
     */
    synchronized void record(String kind, FaultDecision decision, long nowNs) {
        decisions++;
        long[] c = byKind.computeIfAbsent(kind, k -> new long[3]);
        if (decision.dropped()) {
            c[2]++;
            return;
        }
        int copies = decision.copies();
        c[1] += copies - 1;
        for (int i = 0; i < copies; i++) {
            long delay = decision.delayNs(i);
            if (delay == FaultDecision.NEVER) {
                c[2]++; // a copy held too long for the clock never arrives
                continue;
            }
            c[0]++;
            long due = nowNs + delay;
            if (!anyDue || due - lastDueNs > 0) {
                lastDueNs = due;
                anyDue = true;
            }
        }
    }

    /** How many envelopes the proxies decided on so far: what moves while anything travels. */
    synchronized long decisions() {
        return decisions;
    }

    /** How long until the last copy held back is passed on, in nanoseconds from {@code nowNs}; 0 if none is. */
    synchronized long inTransitNs(long nowNs) {
        return anyDue && lastDueNs - nowNs > 0 ? lastDueNs - nowNs : 0;
    }

    /** Per message kind: {passed on, duplicated, lost}, copied. */
    synchronized Map<String, long[]> byKind() {
        Map<String, long[]> copy = new TreeMap<>();
        byKind.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
