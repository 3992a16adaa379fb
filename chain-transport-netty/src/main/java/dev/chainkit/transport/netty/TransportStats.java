package dev.chainkit.transport.netty;

import java.util.Map;

/**
 * A snapshot of one node's transport counters since it started.
 *
 * <p>Thread safety: immutable.
 *
 * @param envelopesSent envelopes written to a link
 * @param envelopesReceived envelopes handed to the node (after every check)
 * @param dropped envelopes dropped, by reason
 * @param closed connections this node closed, by reason (including handshakes it refused)
 * @param closedByPeer connections the peer closed with a reason it told (including handshakes it refused)
 * @param linksEstablished handshakes that completed (links up), over the node's life
 * @param readPauses times reading from a peer was paused because its outbox was full
 * @param connectFailures dial attempts that did not connect (refused, unreachable, timed out)
 * @param links links up now
 */
public record TransportStats(
        long envelopesSent,
        long envelopesReceived,
        Map<DropReason, Long> dropped,
        Map<CloseReason, Long> closed,
        Map<CloseReason, Long> closedByPeer,
        long linksEstablished,
        long readPauses,
        long connectFailures,
        int links) {

    /** Copies the maps so the snapshot stays immutable. */
    public TransportStats {
        dropped = Map.copyOf(dropped);
        closed = Map.copyOf(closed);
        closedByPeer = Map.copyOf(closedByPeer);
    }

    /** How many envelopes were dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** How many connections this node closed for {@code reason}. */
    public long closed(CloseReason reason) {
        return closed.getOrDefault(reason, 0L);
    }

    /** How many connections the peer closed for {@code reason}. */
    public long closedByPeer(CloseReason reason) {
        return closedByPeer.getOrDefault(reason, 0L);
    }
}
