package dev.chainkit.examples.cluster;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainRole;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Watches every chain event of a simulated cluster, across all incarnations: counts how chains ended (as their
 * initiators saw it) and the conflict rounds, and catches a handler that sees the same step of a chain twice.
 *
 * <p>Pass it to {@link dev.chainkit.sim.Simulation.Builder#listener} before the nodes are added.
 *
 * <p>Thread safety: not thread-safe; the simulation calls it on its one thread.
 */
public final class ChainAudit implements ChainListener {

    private final Map<ChainEventType, Long> initiatorEvents = new EnumMap<>(ChainEventType.class);
    private final Set<String> handledSteps = new HashSet<>();
    private long conflictRounds;
    private String violation;

    @Override
    public void onEvent(ChainEvent event) {
        if (event.role() == ChainRole.INITIATOR) {
            initiatorEvents.merge(event.type(), 1L, Long::sum);
        }
        if (event.type() == ChainEventType.HANDLED) {
            if (event.role() == ChainRole.INITIATOR && "OpProcessor".equals(event.detail())) {
                conflictRounds++;
            }
            String key = event.node() + "|" + event.role() + "|" + event.chainId() + "|" + event.step();
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

    /** How many conflicts ({@code OpProcessor} answers) clients handled. */
    public long conflictRounds() {
        return conflictRounds;
    }

    /** The first "same step handled twice" seen, or null. */
    public String violation() {
        return violation;
    }
}
