package dev.chainkit.sim.explore;

/**
 * How the explorer's network may treat the messages in flight: the choices it enumerates at every state.
 *
 * <p>Thread safety: immutable.
 */
public enum NetworkModel {

    /**
     * Unordered datagrams (UDP): any message in flight may be delivered next, whatever its link, so every
     * reordering is explored; any may be lost (up to the loss bound) or duplicated (up to the duplicate bound, the
     * copy joining the messages in flight). Exhaustive for the given loss, duplicate and crash bounds: every
     * behaviour of a datagram network with at most that many losses, copies and crashes is explored, delivery
     * delays included (a message may stay in flight across any number of timer firings).
     */
    DATAGRAM("datagram"),

    /**
     * FIFO per connection with disconnects (TCP): the messages of one direction of a link arrive in the order they
     * were sent, only the oldest of each direction may be delivered next; a disconnect (counted against the loss
     * bound) drops every message in flight on the link, both directions, and a crash drops every message in flight
     * on the crashed node's links (without counting a loss). No copies: the duplicate bound is ignored (the engine's
     * own retransmissions still make copies of a step, as over TCP). Exhaustive for the given loss (disconnect) and
     * crash bounds.
     */
    FIFO("fifo");

    private final String label;

    NetworkModel(String label) {
        this.label = label;
    }

    /** The name on the command line: {@code datagram} or {@code fifo}. */
    public String label() {
        return label;
    }

    /**
     * The model named {@code label}.
     *
     * @throws IllegalArgumentException if no model has that name
     */
    public static NetworkModel of(String label) {
        for (NetworkModel m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown network model '" + label + "': expected datagram or fifo");
    }
}
