package dev.chainkit.core;

import dev.chainkit.core.time.Nanos;
import java.time.Duration;
import java.util.Objects;

/**
 * A node's engine settings: the retransmission policy of the chains it opens, how long it remembers the chains
 * it answered, and how many it answers at once, per peer and in all.
 *
 * <p>The dedup window defaults to the retry policy's deadline plus its largest delay. A window of at least the
 * initiator's deadline is what makes "each step handled at most once" hold forever, not only within the window:
 * once a chain is forgotten, its late opening message is refused as {@link RejectReason#LATE_OPENING} (the
 * initiator has given up on it by then) and its late later steps get an {@link EnvelopeKind#ABORTED} answer.
 *
 * <p>The two caps bound what peers can make a node hold: an opening beyond either gets a terminal
 * {@link EnvelopeKind#BUSY} reply and costs nothing per chain (the refusal is recomputed for its retransmissions from
 * a per-peer watermark, not kept as a tombstone). What a peer record costs is freed a dedup window after the peer
 * last held anything.
 *
 * <p>Thread safety: immutable; every {@code withX} returns a changed copy.
 */
public final class NodeSettings {

    private static final NodeSettings DEFAULTS = new NodeSettings(RetryPolicy.defaults(), 0, 0, 4096, 65_536);

    private final RetryPolicy retryPolicy;
    private final long dedupWindowNs;       // 0: derived from the retry policy
    private final long responderIdleNs;     // 0: equal to the dedup window
    private final int maxInFlightPerPeer;
    private final int maxResponderChains;

    private NodeSettings(RetryPolicy retryPolicy, long dedupWindowNs, long responderIdleNs, int maxInFlightPerPeer,
            int maxResponderChains) {
        this.retryPolicy = retryPolicy;
        this.dedupWindowNs = dedupWindowNs;
        this.responderIdleNs = responderIdleNs;
        this.maxInFlightPerPeer = maxInFlightPerPeer;
        this.maxResponderChains = maxResponderChains;
    }

    /**
     * Default retry policy, derived dedup window and idle timeout, at most 4096 in-flight responder chains per peer
     * and 65,536 in all (some 20 MB of chain state at the responder).
     */
    public static NodeSettings defaults() {
        return DEFAULTS;
    }

    /** The retransmission policy of chains this node opens (and the assumed policy of its peers). */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** How long a terminated chain's tombstone answers duplicates before it is forgotten. */
    public Duration dedupWindow() {
        return Duration.ofNanos(dedupWindowNs());
    }

    /** {@link #dedupWindow()} in nanoseconds. */
    public long dedupWindowNs() {
        return dedupWindowNs != 0 ? dedupWindowNs
                : Nanos.addSaturated(retryPolicy.deadlineNs(), Nanos.of(retryPolicy.maxDelay()));
    }

    /**
     * How long a responder keeps an in-flight chain whose initiator has gone silent (it gave up or crashed)
     * before forgetting it; defaults to the dedup window.
     */
    public Duration responderIdleTimeout() {
        return Duration.ofNanos(responderIdleTimeoutNs());
    }

    /** {@link #responderIdleTimeout()} in nanoseconds. */
    public long responderIdleTimeoutNs() {
        return responderIdleNs != 0 ? responderIdleNs : dedupWindowNs();
    }

    /** The most in-flight chains this node answers for one peer; more openings get a terminal busy reply. */
    public int maxInFlightPerPeer() {
        return maxInFlightPerPeer;
    }

    /** The most in-flight chains this node answers for all peers together; more openings get a busy reply. */
    public int maxResponderChains() {
        return maxResponderChains;
    }

    /** @throws NullPointerException if {@code policy} is null */
    public NodeSettings withRetryPolicy(RetryPolicy policy) {
        return new NodeSettings(Objects.requireNonNull(policy, "policy"), dedupWindowNs, responderIdleNs,
                maxInFlightPerPeer, maxResponderChains);
    }

    /** @throws IllegalArgumentException if {@code window} is not positive */
    public NodeSettings withDedupWindow(Duration window) {
        return new NodeSettings(retryPolicy, positiveNs(window, "dedupWindow"), responderIdleNs, maxInFlightPerPeer,
                maxResponderChains);
    }

    /** @throws IllegalArgumentException if {@code timeout} is not positive */
    public NodeSettings withResponderIdleTimeout(Duration timeout) {
        return new NodeSettings(retryPolicy, dedupWindowNs, positiveNs(timeout, "responderIdleTimeout"),
                maxInFlightPerPeer, maxResponderChains);
    }

    /** @throws IllegalArgumentException if {@code max} is below 1 */
    public NodeSettings withMaxInFlightPerPeer(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxInFlightPerPeer must be at least 1, got " + max);
        }
        return new NodeSettings(retryPolicy, dedupWindowNs, responderIdleNs, max, maxResponderChains);
    }

    /** @throws IllegalArgumentException if {@code max} is below 1 */
    public NodeSettings withMaxResponderChains(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxResponderChains must be at least 1, got " + max);
        }
        return new NodeSettings(retryPolicy, dedupWindowNs, responderIdleNs, maxInFlightPerPeer, max);
    }

    private static long positiveNs(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return Nanos.of(d); // longer than 292 years: never, in effect
    }

    @Override
    public String toString() {
        return "NodeSettings[" + retryPolicy + ", dedupWindow=" + dedupWindow() + ", responderIdleTimeout="
                + responderIdleTimeout() + ", maxInFlightPerPeer=" + maxInFlightPerPeer + ", maxResponderChains="
                + maxResponderChains + "]";
    }
}
