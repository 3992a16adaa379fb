package dev.chainkit.sim.fault;

import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import java.util.Objects;

/**
 * What the fault logic sees of one message: its link, its protocol, its kind and its size. It is all a
 * {@link NetworkFaults} decision needs, so the same rules apply to an {@link Envelope} in memory
 * ({@link #of(Envelope)}) and to a frame a network proxy has decoded only this far.
 *
 * <p>Thread safety: immutable.
 *
 * @param sender the node that sent the message
 * @param receiver the node it is addressed to
 * @param protocol the name of the protocol its chain speaks
 * @param messageKind the kind {@link FaultRule}s match: a payload's simple class name, or {@code Busy} /
 *     {@code Aborted} for the engine's own terminals (as {@link Envelope#messageKind()} names them)
 * @param sizeBytes the message's encoded size in bytes, or {@link #UNKNOWN_SIZE} when it was never encoded (an
 *     in-memory transport)
 */
public record MessageInfo(NodeId sender, NodeId receiver, String protocol, String messageKind, int sizeBytes) {

    /** The {@link #sizeBytes()} of a message that was never encoded. */
    public static final int UNKNOWN_SIZE = -1;

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code sizeBytes} is below {@link #UNKNOWN_SIZE}
     */
    public MessageInfo {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(messageKind, "messageKind");
        if (sizeBytes < UNKNOWN_SIZE) {
            throw new IllegalArgumentException("sizeBytes must be 0 or more, or UNKNOWN_SIZE (-1), got " + sizeBytes);
        }
    }

    /**
     * What the fault logic sees of an envelope in memory: its sender, receiver, protocol and
     * {@link Envelope#messageKind()}, size unknown.
     *
     * @throws NullPointerException if {@code envelope} is null
     */
    public static MessageInfo of(Envelope envelope) {
        return new MessageInfo(envelope.sender(), envelope.receiver(), envelope.protocol(), envelope.messageKind(),
                UNKNOWN_SIZE);
    }
}
