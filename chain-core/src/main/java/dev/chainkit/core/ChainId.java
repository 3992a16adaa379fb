package dev.chainkit.core;

import java.util.Objects;

/**
 * Identifies one chain for its whole life: the initiator's node id, the initiator's incarnation when it
 * started the chain, and a sequence number the initiator assigns in increasing order within that incarnation.
 *
 * <p>Because the incarnation changes on every restart, a chain id is never reused, even by a node that
 * restarts and counts its sequence numbers from 1 again.
 *
 * <p>Thread safety: immutable, safe to share.
 *
 * @param initiator the node that opened the chain
 * @param incarnation the initiator's incarnation, at least 1
 * @param sequence the chain's number within that incarnation, at least 1
 */
public record ChainId(NodeId initiator, long incarnation, long sequence) {

    /**
     * @throws NullPointerException if {@code initiator} is null
     * @throws IllegalArgumentException if {@code incarnation} or {@code sequence} is below 1
     */
    public ChainId {
        Objects.requireNonNull(initiator, "initiator");
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be at least 1, got " + incarnation);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
    }

    /** Equal components; written out for the same reason as {@link NodeId#equals}. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ChainId other && sequence == other.sequence
                && incarnation == other.incarnation && initiator.equals(other.initiator);
    }

    /** The record's own hash, written out: {@code (initiator * 31 + incarnation) * 31 + sequence}. */
    @Override
    public int hashCode() {
        return (initiator.hashCode() * 31 + Long.hashCode(incarnation)) * 31 + Long.hashCode(sequence);
    }

    /** Short form used in logs and traces: {@code initiator/incarnation/sequence}. */
    @Override
    public String toString() {
        return initiator.name() + "/" + incarnation + "/" + sequence;
    }
}
