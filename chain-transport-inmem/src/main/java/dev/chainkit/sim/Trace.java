package dev.chainkit.sim;

import dev.chainkit.core.NodeId;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The record of a simulation run: its nodes in the order they were added, and every {@link TraceEvent} in the
 * order it happened. Two runs with the same seed and the same script have identical traces, down to the byte of
 * {@link #render()}.
 *
 * <p>Thread safety: immutable.
 */
public final class Trace {

    private static final Trace EMPTY = new Trace(List.of(), List.of());

    private final List<NodeId> nodes;
    private final List<TraceEvent> events;

    private Trace(List<NodeId> nodes, List<TraceEvent> events) {
        this.nodes = nodes;
        this.events = events;
    }

    /**
     * A trace of {@code events} among {@code nodes}; both lists are copied.
     *
     * @throws NullPointerException if an argument or an element is null
     */
    public static Trace of(List<NodeId> nodes, List<TraceEvent> events) {
        return new Trace(List.copyOf(nodes), List.copyOf(events));
    }

    /** A trace with no nodes and no events (what a run with tracing off records). */
    public static Trace empty() {
        return EMPTY;
    }

    /** The nodes, in the order they were added to the simulation. */
    public List<NodeId> nodes() {
        return nodes;
    }

    /** Every event, in the order it happened. */
    public List<TraceEvent> events() {
        return events;
    }

    /** How many events were recorded. */
    public int size() {
        return events.size();
    }

    /** The events of one type. */
    public Stream<TraceEvent> ofType(TraceEvent.Type type) {
        Objects.requireNonNull(type, "type");
        return events.stream().filter(e -> e.type() == type);
    }

    /** How many events of {@code type} were recorded. */
    public long count(TraceEvent.Type type) {
        return ofType(type).count();
    }

    /** One line per event ({@link TraceEvent#render()}), each ending with a newline. */
    public String render() {
        return render(Integer.MAX_VALUE);
    }

    /**
     * The last {@code maxEvents} events, one line each, after a line saying how many were left out (if any).
     *
     * @throws IllegalArgumentException if {@code maxEvents} is negative
     */
    public String render(int maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be 0 or more, got " + maxEvents);
        }
        StringBuilder b = new StringBuilder(Math.min(events.size(), maxEvents) * 64 + 64);
        int from = Math.max(0, events.size() - maxEvents);
        if (from > 0) {
            b.append("... ").append(from).append(" earlier events left out\n");
        }
        for (int i = from; i < events.size(); i++) {
            b.append(events.get(i).render()).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Trace[" + nodes + ", " + events.size() + " events]";
    }
}
