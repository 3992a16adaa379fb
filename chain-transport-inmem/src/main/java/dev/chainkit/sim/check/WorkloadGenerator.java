package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws one piece of a user's workload for a {@link ScheduleGenerator}.
 *
 * <p>Thread safety: called on the thread generating the schedule; draw every random choice from {@code random}.
 *
 * @param <W> the user's workload type
 */
@FunctionalInterface
public interface WorkloadGenerator<W> {

    /**
     * @param random the schedule's random source
     * @param nodes the nodes of the check, in order
     * @param index 0 for the first workload action of the schedule, then 1, 2, ... (for unique labels)
     * @return the workload action; never null
     */
    W next(RandomGenerator random, List<NodeId> nodes, int index);
}
