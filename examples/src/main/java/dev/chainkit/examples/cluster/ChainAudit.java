package dev.chainkit.examples.cluster;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainRole;
import dev.chainkit.core.NodeId;
import dev.chainkit.sim.Simulation;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Watches every chain event of a cluster, across all incarnations: counts how chains ended (as their initiators saw
 * it), the chains still open (in flight, or cut short by a crash of their initiator) and the conflict rounds, and
 * catches a handler that sees the same step of a chain twice.
 *
 * <p>On the simulator, pass it to {@link dev.chainkit.sim.Simulation.Builder#listener} before the nodes are added,
 * then {@link #attach(Simulation)} it to the simulation. A cluster of real processes hands it each node's events
 * with the incarnation that emitted them ({@link #onEvent(ChainEvent, long)}) and tells it which incarnation of
 * each node runs ({@link #attach(Lives)}). "The same step twice" is judged per incarnation of the handling node: a
 * node that restarts has forgotten its chains, so its new incarnation may meet the opening of a chain its old one
 * handled when the sender never learned the old incarnation (an envelope addressed to incarnation 0); a protocol
 * deduplicates that itself (the op log by op id).
 *
 * <p>Thread safety: not thread-safe; the simulation calls it on its one thread, a live run under its own lock.
 */
public final class ChainAudit implements ChainListener {

    private final Map<ChainEventType, Long> initiatorEvents = new EnumMap<>(ChainEventType.class);
    private static final Set<ChainEventType> ENDS = EnumSet.of(ChainEventType.COMPLETED, ChainEventType.FAILED,
            ChainEventType.SUPERSEDED, ChainEventType.TIMED_OUT);

    private final Set<String> handledSteps = new HashSet<>();
    /** Chains opened and not yet ended, as their initiators saw it. */
    private final Set<ChainId> open = new HashSet<>();
    private long conflictRounds;
    private String violation;
    private Lives lives;

    /** Which incarnation of each node runs now: what tells a chain cut short by a crash from one still in flight. */
    public interface Lives {
        /** The incarnation of {@code node} that runs now, or its last one while it is down. */
        long incarnation(NodeId node);

        /** Whether {@code node} runs now. */
        boolean isUp(NodeId node);
    }

    /**
     * Lets the audit read the current incarnation of each node from {@code sim}, so that a restarted node's handler
     * is judged apart from its earlier incarnations. Without it all incarnations of a node count as one.
     *
     * @param simulation the simulation this audit listens to
     */
    public void attach(Simulation simulation) {
        attach(new Lives() {
            @Override
            public long incarnation(NodeId node) {
                return simulation.node(node).incarnation();
            }

            @Override
            public boolean isUp(NodeId node) {
                return simulation.node(node).isUp();
            }
        });
    }

    /**
     * Lets the audit know which incarnation of each node runs, as {@link #attach(Simulation)} does for a
     * simulation.
     *
     * @param nodes what runs now
     */
    public void attach(Lives nodes) {
        this.lives = nodes;
    }

    @Override
    public void onEvent(ChainEvent event) {
        onEvent(event, lives == null ? 0 : lives.incarnation(event.node()));
    }

    /**
     * Counts one event that the given incarnation of {@code event.node()} emitted.
     *
     * @param event the event
     * @param incarnation the incarnation of the node that emitted it
     */
    public void onEvent(ChainEvent event, long incarnation) {
        if (event.role() == ChainRole.INITIATOR) {
            initiatorEvents.merge(event.type(), 1L, Long::sum);
            if (event.type() == ChainEventType.STARTED) {
                open.add(event.chainId());
            } else if (ENDS.contains(event.type())) {
                open.remove(event.chainId());
            }
        }
        if (event.type() == ChainEventType.HANDLED) {
            if (event.role() == ChainRole.INITIATOR && "OpProcessor".equals(event.detail())) {
                conflictRounds++;
            }
            String key = event.node() + "/" + incarnation + "|" + event.role() + "|" + event.chainId()
                    + "|" + event.step();
            if (!handledSteps.add(key) && violation == null) {
                violation = "the " + event.role().name().toLowerCase() + " handler of " + event.node()
                        + " saw step " + event.step() + " of chain " + event.chainId() + " twice";
            }
        }
    }

    /** How many chains the initiators opened, whatever their ends. */
    public long started() {
        return count(ChainEventType.STARTED);
    }

    /** How many chains ended, as their initiators saw it, with {@code type}. */
    public long count(ChainEventType type) {
        return initiatorEvents.getOrDefault(type, 0L);
    }

    /**
     * How many chains are open and will never end because their initiator crashed: the incarnation that opened
     * them is gone (the node is down, or runs a later incarnation), and with it their only driver.
     */
    public long cutShortByCrash() {
        return open.stream().filter(this::initiatorGone).count();
    }

    /** How many chains are open with their initiator still running: in flight when the run stopped. */
    public long stillOpen() {
        return open.size() - cutShortByCrash();
    }

    private boolean initiatorGone(ChainId id) {
        if (lives == null) {
            return false;
        }
        return !lives.isUp(id.initiator()) || lives.incarnation(id.initiator()) != id.incarnation();
    }

    /** How many conflicts ({@code OpProcessor} answers) clients handled. */
    public long conflictRounds() {
        return conflictRounds;
    }

    /** The first "same step handled twice" seen, or null. */
    public String violation() {
        return violation;
    }
}
