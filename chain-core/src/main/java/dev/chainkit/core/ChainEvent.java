package dev.chainkit.core;

/**
 * One thing that happened in a chain's life on one node.
 *
 * <p>Thread safety: immutable.
 *
 * @param type what happened
 * @param timeNs the node's clock reading, in nanoseconds
 * @param node the node reporting it
 * @param role the node's side of the chain
 * @param protocol the protocol's name, or null when unknown (a rejected envelope)
 * @param chainId the chain, or null when unknown (a null envelope)
 * @param step the step concerned, or -1 when none
 * @param peer the other node, or null when unknown
 * @param detail extra words for people (a reject reason, a failure reason, a message kind); never null
 */
public record ChainEvent(
        ChainEventType type,
        long timeNs,
        NodeId node,
        ChainRole role,
        String protocol,
        ChainId chainId,
        int step,
        NodeId peer,
        String detail) {

    @Override
    public String toString() {
        return type + "[" + node + " " + role + " " + chainId + " #" + step + " peer=" + peer
                + (detail.isEmpty() ? "" : " " + detail) + "]";
    }
}
