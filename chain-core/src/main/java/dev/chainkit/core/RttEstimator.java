package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.Nanos;

/**
 * The retransmission timeout toward one peer, as TCP computes it (RFC 6298): the first round-trip sample
 * {@code R} sets {@code SRTT = R} and {@code RTTVAR = R/2}; each later one updates
 * {@code RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|} and {@code SRTT = 7/8 SRTT + 1/8 R}; the timeout is
 * {@code SRTT + 4 RTTVAR}. Samples come only from steps that were sent once (Karn's rule), so a reply to a
 * retransmission never skews the estimate; instead a timeout keeps its backed-off delay for the next step until a
 * clean sample arrives (RFC 6298, 5.5 and 5.7). Confined to the node's thread. Not API.
 */
final class RttEstimator {

    private long srttNs;
    private long rttvarNs;
    private boolean sampled;
    private long backedOffNs;

    void sample(long rttNs) {
        if (!sampled) {
            srttNs = rttNs;
            rttvarNs = rttNs / 2;
            sampled = true;
        } else {
            rttvarNs = (3 * rttvarNs + Math.abs(srttNs - rttNs)) / 4;
            srttNs = (7 * srttNs + rttNs) / 8;
        }
        backedOffNs = 0;
    }

    /** A step timed out; the next step starts from {@code delayNs} until a clean sample arrives. */
    void backOff(long delayNs) {
        backedOffNs = Math.max(backedOffNs, delayNs);
    }

    /**
     * The link to the peer came back after an outage: the backoff the outage built up says nothing of the link now,
     * so it is dropped (RFC 6298, 5.7, lets a sender start over after such a pause); the estimate stays.
     */
    void linkBack() {
        backedOffNs = 0;
    }

    /** Writes the estimate (durations, not times). */
    void writeState(StateSink sink) {
        sink.putBoolean(sampled).putLong(srttNs).putLong(rttvarNs).putLong(backedOffNs);
    }

    /** Whether a round trip was measured. */
    boolean sampled() {
        return sampled;
    }

    /** The timeout the estimate suggests, in nanoseconds (saturating); 0 when nothing is known yet. */
    long timeoutNs() {
        long estimate = sampled ? Nanos.addSaturated(srttNs, rttvarNs > Long.MAX_VALUE / 4 ? Long.MAX_VALUE
                : 4 * rttvarNs) : 0;
        return Math.max(estimate, backedOffNs);
    }
}
