package dev.chainkit.core;

import java.util.Objects;

/**
 * What travels between two nodes: one message of one chain, with everything needed to place it.
 *
 * <p>Steps count from 0 (the opening message). The initiator sends even steps, the responder odd ones. The
 * {@code receiverIncarnation} is the receiver's incarnation as the sender knows it, or {@code 0} when the sender
 * does not know it yet (always so for an opening message); a node rejects envelopes addressed to an older
 * incarnation of itself.
 *
 * <p>Thread safety: immutable, safe to share between threads (provided the payload is).
 *
 * @param protocol name of the protocol the chain speaks
 * @param chainId the chain this message belongs to
 * @param step position in the chain, at least 0
 * @param sender the node that sent this envelope
 * @param senderIncarnation the sender's incarnation, at least 1
 * @param receiver the node it is addressed to
 * @param receiverIncarnation the receiver's incarnation as known to the sender, or 0 when unknown
 * @param kind what the envelope means for the chain
 * @param payload the protocol message ({@link EnvelopeKind#STEP}, {@link EnvelopeKind#TERMINAL},
 *     {@link EnvelopeKind#SUPERSEDED}), an {@link Abort} ({@link EnvelopeKind#ABORTED}) or null
 *     ({@link EnvelopeKind#BUSY})
 */
public record Envelope(
        String protocol,
        ChainId chainId,
        int step,
        NodeId sender,
        long senderIncarnation,
        NodeId receiver,
        long receiverIncarnation,
        EnvelopeKind kind,
        Object payload) {

    /**
     * @throws NullPointerException if a field other than {@code payload} is null, or the payload is null for a kind
     *     that carries one
     * @throws IllegalArgumentException if {@code step} is negative, {@code senderIncarnation} is below 1,
     *     {@code receiverIncarnation} is negative, sender equals receiver, or an {@code ABORTED} payload is not an
     *     {@link Abort}
     */
    public Envelope {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(kind, "kind");
        if (step < 0) {
            throw new IllegalArgumentException("step must be at least 0, got " + step + " in chain " + chainId);
        }
        if (senderIncarnation < 1) {
            throw new IllegalArgumentException("senderIncarnation must be at least 1, got " + senderIncarnation);
        }
        if (receiverIncarnation < 0) {
            throw new IllegalArgumentException(
                    "receiverIncarnation must be 0 (unknown) or more, got " + receiverIncarnation);
        }
        if (sender.equals(receiver)) {
            throw new IllegalArgumentException("sender and receiver are both " + sender + " in chain " + chainId);
        }
        switch (kind) {
            case STEP, TERMINAL, SUPERSEDED -> {
                if (payload == null) {
                    throw new NullPointerException(kind + " envelope needs a payload");
                }
            }
            case ABORTED -> {
                if (!(payload instanceof Abort)) {
                    throw new IllegalArgumentException("ABORTED envelope needs an Abort payload, got " + payload);
                }
            }
            case BUSY -> { }
        }
    }

    /** Whether this envelope ends its chain. */
    public boolean terminal() {
        return kind.isTerminal();
    }

    /**
     * The message kind used by traces, counters and fault rules: the payload's simple class name, or
     * {@code Busy} / {@code Aborted} for engine-made terminals.
     */
    public String messageKind() {
        return switch (kind) {
            case BUSY -> "Busy";
            case ABORTED -> "Aborted";
            default -> payload.getClass().getSimpleName();
        };
    }

    @Override
    public String toString() {
        return messageKind() + "[" + chainId + " #" + step + " " + sender + "->" + receiver
                + (kind == EnvelopeKind.STEP ? "" : " " + kind) + "]";
    }
}
