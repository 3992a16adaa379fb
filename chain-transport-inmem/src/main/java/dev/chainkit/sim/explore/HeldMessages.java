package dev.chainkit.sim.explore;

import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.sim.DropReason;
import dev.chainkit.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The messages in flight of a simulation with a manual network ({@link Simulation.Builder#manualNetwork}), in the
 * order they were sent, with what a {@link NetworkModel} lets happen to them next: the explorer's network, and what
 * {@code chainsim run} replays an explored path on ({@link PathReplay}, the {@code explored} and {@code step} lines of
 * a scenario file), so that a path's {@code deliver}, {@code lose} and {@code duplicate} steps mean the same message
 * there as where the path was found.
 *
 * <p>Thread safety: not thread-safe; use on the simulation's thread.
 */
public final class HeldMessages implements Consumer<Envelope> {

    private final NetworkModel model;
    private final List<Envelope> inFlight = new ArrayList<>();
    private final List<Long> sentAtNs = new ArrayList<>();
    private Simulation sim;

    /**
     * @param model what may happen to the messages
     * @throws NullPointerException if {@code model} is null
     */
    public HeldMessages(NetworkModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Binds this network to the simulation it holds the messages of (built with this as its manual network).
     *
     * @throws IllegalStateException if already bound
     */
    public void attach(Simulation simulation) {
        if (sim != null) {
            throw new IllegalStateException("these held messages already belong to a simulation");
        }
        sim = Objects.requireNonNull(simulation, "simulation");
    }

    /** The network model. */
    public NetworkModel model() {
        return model;
    }

    /** Holds a message a node sent (called by the simulation). */
    @Override
    public void accept(Envelope e) {
        inFlight.add(e);
        sentAtNs.add(sim.nowNs());
    }

    /** When the message at {@code index} of {@link #inFlight()} was sent, in virtual nanoseconds. */
    public long sentAtNs(int index) {
        return sentAtNs.get(index);
    }

    /** When the oldest message in flight was sent, in virtual nanoseconds; {@code Long.MAX_VALUE} if none. */
    public long oldestSentAtNs() {
        long oldest = Long.MAX_VALUE;
        for (long t : sentAtNs) {
            oldest = Math.min(oldest, t);
        }
        return oldest;
    }

    /** The messages in flight, in the order they were sent (copies where the network made them). */
    public List<Envelope> inFlight() {
        return List.copyOf(inFlight);
    }

    /** The message at {@code index} of {@link #inFlight()}. */
    public Envelope get(int index) {
        return inFlight.get(index);
    }

    /** How many messages are in flight. */
    public int size() {
        return inFlight.size();
    }

    /** Whether nothing is in flight. */
    public boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /**
     * The positions (in {@link #inFlight()}) of the messages the network may deliver, lose or copy next: with
     * datagrams the first of each distinct message, with FIFO the oldest of each direction of each link.
     */
    public List<Integer> movable() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < inFlight.size(); i++) {
            Envelope e = inFlight.get(i);
            boolean first = true;
            for (int j = 0; j < i && first; j++) {
                Envelope o = inFlight.get(j);
                first = model == NetworkModel.DATAGRAM ? !o.equals(e)
                        : !(o.sender().equals(e.sender()) && o.receiver().equals(e.receiver()));
            }
            if (first) {
                out.add(i);
            }
        }
        return out;
    }

    /** Delivers the message at {@code index} now (as one simulation event). */
    public void deliver(int index) {
        sentAtNs.remove(index);
        sim.deliver(inFlight.remove(index), false);
    }

    /** Loses the message at {@code index}. */
    public void lose(int index) {
        sentAtNs.remove(index);
        sim.lose(inFlight.remove(index), DropReason.LOSS);
    }

    /**
     * Copies the message at {@code index}: the copy, sent when the original was, joins the messages in flight right
     * after it. So the copies of one message stay in the order they were sent, the oldest first: the one
     * {@link #movable()} offers, and the one a loss or delivery takes.
     */
    public void duplicate(int index) {
        Envelope e = inFlight.get(index);
        sim.duplicated(e);
        inFlight.add(index + 1, e);
        sentAtNs.add(index + 1, sentAtNs.get(index));
    }

    /** Drops every message in flight between {@code a} and {@code b}, both directions (a connection dropped). */
    public void disconnect(NodeId a, NodeId b) {
        dropIf(e -> e.sender().equals(a) && e.receiver().equals(b) || e.sender().equals(b) && e.receiver().equals(a));
    }

    /** Drops every message in flight from or to {@code node} (its connections dropped as it crashed). */
    public void dropConnectionsOf(NodeId node) {
        dropIf(e -> e.sender().equals(node) || e.receiver().equals(node));
    }

    private void dropIf(Predicate<Envelope> on) {
        for (int i = inFlight.size() - 1; i >= 0; i--) {
            if (on.test(inFlight.get(i))) {
                sentAtNs.remove(i);
                sim.lose(inFlight.remove(i), DropReason.CONNECTION_LOST);
            }
        }
    }

    /** How a message reads in a path: its kind and link, {@code OpSync judge1 -> hq}. */
    public static String describe(Envelope e) {
        return e.messageKind() + " " + e.sender().name() + " -> " + e.receiver().name();
    }
}
