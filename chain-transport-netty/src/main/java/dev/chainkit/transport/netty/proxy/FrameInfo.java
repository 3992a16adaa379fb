package dev.chainkit.transport.netty.proxy;

import dev.chainkit.core.NodeId;
import java.util.Objects;

/**
 * What a {@link FaultProxy} reads of one envelope frame, without decoding its payload: the fields a fault rule
 * matches on (the same descriptor as the simulator's: sender, receiver, protocol, message kind, size).
 *
 * <p>Thread safety: immutable.
 *
 * @param direction which way it travels
 * @param sender the envelope's sender
 * @param receiver the envelope's receiver
 * @param protocol the envelope's protocol
 * @param messageKind the payload's simple class name when the proxy knows the protocol's codec (else
 *     {@code tag N}), or {@code Busy} / {@code Aborted} for the engine's own terminals, as
 *     {@link dev.chainkit.core.Envelope#messageKind()} names them
 * @param step the envelope's step
 * @param sizeBytes the whole frame's size in bytes, length prefix included
 */
public record FrameInfo(Direction direction, NodeId sender, NodeId receiver, String protocol, String messageKind,
        int step, int sizeBytes) {

    /** @throws NullPointerException if an argument is null */
    public FrameInfo {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(messageKind, "messageKind");
    }
}
