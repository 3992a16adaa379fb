package dev.chainkit.sim.check;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A property of a protocol, checked on the simulator under random workloads and faults: how to build the nodes,
 * how to draw a {@link Schedule}, how to apply a workload action, the invariants (checked after every event) and
 * the liveness conditions (checked once the run is calm and drained). Run it with {@link PropertyRunner}.
 *
 * <p>Each run builds fresh nodes, so implementations keep no state between runs in their own fields.
 *
 * <p>Thread safety: every method is called on the thread running the check; one run at a time per instance.
 *
 * @param <A> the application type of the nodes
 * @param <W> the workload action type
 */
public interface PropertyCheck<A, W> {

    /** The nodes, in order; each run starts them in this order. */
    List<NodeSpec<A>> nodes();

    /**
     * The check that runs {@code seed}: lets a check vary with the seed what a {@link Schedule} does not hold
     * (how many nodes, their settings, a fresh {@link #listener()} per run). The runner calls it at the start of
     * every run of that seed (drawing its schedule, running it, each shrinking run) and calls every other method
     * of that run on the returned check. It must be a pure function of this check and the seed, so a seed replays.
     * The default returns this check.
     *
     * @param seed the run's seed
     * @return the check for that seed; never null
     */
    default PropertyCheck<A, W> forSeed(long seed) {
        return this;
    }

    /**
     * Receives every chain event of every node of one run (for instance an audit that {@link #invariant} reads).
     * Called once per run, on the check {@link #forSeed} returned, before the simulation is built. The default,
     * {@link ChainListener#NONE}, costs nothing.
     */
    default ChainListener listener() {
        return ChainListener.NONE;
    }

    /**
     * Draws one run's schedule; every random choice must come from {@code random}, so a seed fixes the schedule.
     * A {@link ScheduleGenerator} does this with knobs.
     *
     * @param random the schedule's random source, seeded from the run's seed
     * @param nodes the node ids, in order
     */
    Schedule<W> generate(RandomGenerator random, List<NodeId> nodes);

    /**
     * Applies one workload action (for instance: a user on node {@code a} makes an op). Called at the action's
     * time on the simulation's thread.
     */
    void applyWorkload(Cluster<A> cluster, W work);

    /**
     * A property that must hold after every event of the run.
     *
     * @return empty when it holds, otherwise what is wrong
     */
    default Optional<String> invariant(Cluster<A> cluster) {
        return Optional.empty();
    }

    /**
     * A property that must hold once the run is quiet: every scheduled action done, random faults calm, nothing in
     * flight.
     *
     * @return empty when it holds, otherwise what is wrong
     */
    default Optional<String> liveness(Cluster<A> cluster) {
        return Optional.empty();
    }

    /** The nodes' engine settings; the defaults unless overridden. */
    default NodeSettings settings() {
        return NodeSettings.defaults();
    }

    /**
     * Called once per run after the nodes started and before anything ran, for instance to add
     * {@link dev.chainkit.sim.Simulation#quietWhen} conditions. Does nothing unless overridden.
     */
    default void prepare(Cluster<A> cluster) {
    }

    /** The virtual-time budget of one run (default 10 minutes); a run that is not quiet by then fails liveness. */
    default Duration limit() {
        return Duration.ofMinutes(10);
    }

    /** The most runs one shrink may use (default 300). */
    default int shrinkBudget() {
        return 300;
    }
}
