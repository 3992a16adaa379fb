package dev.chainkit.transport.netty.proxy;

/**
 * What a {@link FaultProxy} did since it started.
 *
 * <p>Thread safety: immutable.
 */
public final class ProxyStats {

    /** The counters. */
    enum Counter { RELAYED, DROPPED, DUPLICATED, DELAYED, BLACKHOLED, CUTS }

    private final long[] counts;

    ProxyStats(long[] counts) {
        this.counts = counts;
    }

    /** Frames written to the other side (each copy counts). */
    public long relayed() {
        return counts[Counter.RELAYED.ordinal()];
    }

    /** Envelope frames the policy dropped. */
    public long dropped() {
        return counts[Counter.DROPPED.ordinal()];
    }

    /** Extra copies the policy made. */
    public long duplicated() {
        return counts[Counter.DUPLICATED.ordinal()];
    }

    /** Copies relayed after a delay. */
    public long delayed() {
        return counts[Counter.DELAYED.ordinal()];
    }

    /** Frames discarded by a blackhole. */
    public long blackholed() {
        return counts[Counter.BLACKHOLED.ordinal()];
    }

    /** Calls of {@link FaultProxy#cutAll}. */
    public long cuts() {
        return counts[Counter.CUTS.ordinal()];
    }

    @Override
    public String toString() {
        return "ProxyStats[relayed=" + relayed() + ", dropped=" + dropped() + ", duplicated=" + duplicated()
                + ", delayed=" + delayed() + ", blackholed=" + blackholed() + ", cuts=" + cuts() + "]";
    }
}
