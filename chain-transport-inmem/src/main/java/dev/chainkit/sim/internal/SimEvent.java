package dev.chainkit.sim.internal;

/**
 * One entry of the simulator's {@link EventQueue}: a delivery, a timer or a scripted action. Not API.
 *
 * <p>Thread safety: confined to the simulation's thread.
 */
public abstract class SimEvent {

    long atNs;
    long seq;
    boolean cancelled;

    /** The virtual time the event is due, in nanoseconds. */
    public final long atNs() {
        return atNs;
    }

    /**
     * Runs the event.
     *
     * @return false when it turned out to be a no-op (a timer of a crashed incarnation), which is not counted as
     *     an event
     */
    protected abstract boolean fire();
}
