package dev.chainkit.core;

/**
 * What a node knows of the way toward one peer it opens chains to: those chains, the ones among them waiting for a
 * reply, and the round trip. Kept apart from the {@link Peer} record so that the peers a node only answers (most
 * of a server's) do not pay for it. Not API.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Outbound {

    /** Chains this node opened toward the peer that have not ended. */
    int chains;
    /**
     * The chains toward the peer that wait for a reply (not deciding), in the order their current step was first
     * sent: the head waited longest.
     */
    InitiatorState<?, ?> waitingHead;
    InitiatorState<?, ?> waitingTail;
    /** The round-trip estimate toward the peer. */
    final RttEstimator rtt = new RttEstimator();
    /** Whether the peer ever answered a chain of this node; the next two are valid once it did. */
    boolean replied;
    /** When the peer's latest reply arrived, in nanoseconds: its progress. */
    long lastReplyNs;
    /** The latest send time of a step the peer answered, in nanoseconds. */
    long lastAnsweredSendNs;

    /** Notes a reply from the peer at {@code nowNs}, whatever it answers: the peer is making progress. */
    void heard(long nowNs) {
        if (!replied) {
            lastAnsweredSendNs = nowNs - Long.MAX_VALUE / 2; // long before anything sent
        }
        replied = true;
        lastReplyNs = nowNs;
    }

    /** Notes that the peer answered a step last sent at {@code sentNs} (after {@link #heard}). */
    void answered(long sentNs) {
        if (sentNs - lastAnsweredSendNs > 0) {
            lastAnsweredSendNs = sentNs;
        }
    }
}
