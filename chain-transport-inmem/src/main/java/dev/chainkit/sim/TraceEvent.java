package dev.chainkit.sim;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.NodeId;
import dev.chainkit.sim.fault.Durations;

/**
 * One thing that happened in a simulation, at a virtual time: a message sent, delivered, dropped, duplicated or
 * delayed, a timer firing, a crash or restart, a partition or heal, a rule added, calm, or a scripted action.
 *
 * <p>Thread safety: immutable.
 *
 * @param timeNs virtual time in nanoseconds
 * @param type what happened
 * @param from the sender of a message, or the node concerned by a node event; null for network-wide events
 * @param to the receiver of a message; null otherwise
 * @param messageKind the message's {@link dev.chainkit.core.Envelope#messageKind()}; null for non-message events
 * @param chainId the message's chain; null for non-message events
 * @param step the message's step; -1 for non-message events
 * @param detail extra words: the drop reason, {@code retransmission}, {@code duplicate}, a rule, a partition;
 *     never null
 */
public record TraceEvent(long timeNs, Type type, NodeId from, NodeId to, String messageKind, ChainId chainId,
        int step, String detail) {

    /** The kinds of trace events. */
    public enum Type {
        /** A node handed a message to the network (retransmissions included; detail {@code retransmission}). */
        SENT,
        /**
         * A message reached its receiver (detail {@code duplicate} for the network's extra copy,
         * {@code retransmission} for a resent message).
         */
        DELIVERED,
        /** The network lost a message; the detail is a {@link DropReason#label()}. */
        DROPPED,
        /** The network made an extra copy of a message (detail {@code random} or {@code rule}). */
        DUPLICATED,
        /** A delay rule held a message (detail {@code by <duration>}). */
        DELAYED,
        /** A timer of a node fired (detail {@code app} for application timers). */
        TIMER,
        /** A node crashed; the detail names the lost incarnation. */
        CRASHED,
        /** A node restarted; the detail names the new incarnation. */
        RESTARTED,
        /** A partition cut links; the detail names the two groups. */
        PARTITIONED,
        /** All partitions were healed. */
        HEALED,
        /** A fault rule was added; the detail is the rule. */
        RULE_ADDED,
        /** Random faults stopped. */
        CALM,
        /** A scripted action ran; the detail is its description. */
        ACTION
    }

    /** Whether this event concerns one message (it has a sender, a receiver and a chain). */
    public boolean isMessage() {
        return chainId != null;
    }

    /** One line: time, type, then the message or node and the detail; no trailing space. */
    public String render() {
        StringBuilder b = new StringBuilder(96).append(Durations.timestamp(timeNs)).append(' ').append(type);
        for (int pad = type.name().length(); pad < 12; pad++) {
            b.append(' ');
        }
        if (isMessage()) {
            b.append(from).append(" -> ").append(to).append(' ').append(messageKind).append(' ').append(chainId)
                    .append('#').append(step).append(' ');
        } else if (from != null) {
            b.append(from).append(' ');
        }
        b.append(detail);
        int end = b.length();
        while (b.charAt(end - 1) == ' ') {
            end--;
        }
        b.setLength(end);
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
