package dev.chainkit.sim;

/**
 * Why the simulated network dropped a message; the {@link TraceEvent#detail()} of a
 * {@link TraceEvent.Type#DROPPED} event is its {@link #label()}.
 *
 * <p>Thread safety: immutable.
 */
public enum DropReason {
    /** The network's random loss ({@link dev.chainkit.sim.fault.NetworkConfig#lossProbability()}). */
    LOSS("loss"),
    /** A targeted {@link dev.chainkit.sim.fault.FaultRule} of action {@code DROP}. */
    RULE("rule"),
    /** The link is cut by a partition. */
    PARTITION("partition"),
    /** The receiver was down when the message arrived, or the sender's incarnation had crashed. */
    NODE_DOWN("node down"),
    /** No node of the receiver's name exists. */
    UNKNOWN_NODE("unknown node"),
    /** The connection that carried it dropped (a manual network modelling connections, such as the explorer's). */
    CONNECTION_LOST("connection lost");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The words used in traces and diagrams. */
    public String label() {
        return label;
    }
}
