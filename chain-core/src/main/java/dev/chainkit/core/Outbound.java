package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;

/**
 * What a node knows of the way toward one peer it opens chains to: those chains, the round trip, and the peer's
 * progress in answering them. Kept apart from the {@link Peer} record so that the peers a node only answers (most
 * of a server's) do not pay for it. Not API.
 *
 * <p>Design note: the chains are kept in an array, each knowing its index, and one that ends is replaced by the
 * last: adding and removing touch only the array and the last chain, which was added most recently and is likely
 * in the cache. A linked list touched two neighbours per removal, cache misses both, 15% of the initiator thread's
 * time in P1 (docs/BENCHMARKS.md).
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Outbound {

    private static final int MIN_CAPACITY = 4;

    /** Chains this node opened toward the peer that have not ended, in no order; the first {@link #chains}. */
    private InitiatorState<?, ?>[] list = new InitiatorState<?, ?>[MIN_CAPACITY];
    /** How many chains are in {@link #list}. */
    int chains;
    /**
     * The chain that probes the peer while it is silent (the first whose timer fired since the peer last answered),
     * or null; the others wait for its answer.
     */
    InitiatorState<?, ?> probe;
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
        probe = null;
    }

    /**
     * Writes the way toward the peer (see {@link ChainNode#digest}): how many chains wait on it, which probes it,
     * its progress and the round trip. The list's order is not written: nothing depends on it.
     */
    void writeState(StateSink sink) {
        sink.putInt(chains).putChainId(probe == null ? null : probe.id).putBoolean(replied);
        if (replied) {
            sink.putTime(lastReplyNs).putTime(lastAnsweredSendNs);
        }
        rtt.writeState(sink);
    }

    /** Adds {@code st}, a chain just opened toward the peer. */
    void add(InitiatorState<?, ?> st) {
        if (chains == list.length) {
            list = java.util.Arrays.copyOf(list, chains * 2);
        }
        st.outboundIndex = chains;
        list[chains++] = st;
    }

    /** Removes {@code st}, which ended. */
    void remove(InitiatorState<?, ?> st) {
        InitiatorState<?, ?> last = list[--chains];
        list[st.outboundIndex] = last;
        last.outboundIndex = st.outboundIndex;
        list[chains] = null;
        if (probe == st) {
            probe = null;
        }
        if (list.length > MIN_CAPACITY && chains < list.length / 4) {
            list = java.util.Arrays.copyOf(list, Math.max(MIN_CAPACITY, list.length / 2));
        }
    }

    /** The chain at {@code index}, below {@link #chains}. */
    InitiatorState<?, ?> chain(int index) {
        return list[index];
    }

    /** Notes that the peer answered a step last sent at {@code sentNs} (after {@link #heard}). */
    void answered(long sentNs) {
        if (sentNs - lastAnsweredSendNs > 0) {
            lastAnsweredSendNs = sentNs;
        }
    }
}
