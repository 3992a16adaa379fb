package dev.chainkit.sim.explore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The bounds of one exploration: how many faults one path may have (losses, copies, crashes), the network model,
 * and where to stop (depth, states, violations), with the reductions to use.
 *
 * <p>Thread safety: immutable value.
 *
 * @param losses the most messages one path may lose (datagram), or connections it may drop (FIFO), in all or per
 *     link ({@code perLink}); 0 or more
 * @param duplicates the most copies the network may make on one path (datagram only), in all or per link; 0 or more
 * @param perLink whether {@code losses} and {@code duplicates} bound each link (pair of nodes, both directions) apart
 *     rather than the whole path
 * @param crashes the most crashes (each followed at once by a restart) on one path; 0 or more
 * @param network the network model
 * @param maxDepth the longest path explored, in choices; states at that depth are not expanded (the space is then
 *     not exhausted); more than 0
 * @param maxStates the most distinct states to visit before stopping (not exhausted then); more than 0, at most
 *     2<sup>29</sup> (536,870,912)
 * @param maxTime the longest this run of the search may take, in wall-clock time (a search resumed from a
 *     {@link Checkpoints checkpoint} gets it anew); it stops after the batch of states that reaches it, not
 *     exhausted, and saves its checkpoint if it has one; empty for no limit. The one bound whose cut depends on the
 *     machine
 * @param reduction whether to use sleep sets (skips orders of independent choices; every state is still visited)
 * @param lateFaults whether the network's faults are made at the last moment that can matter (datagram only):
 *     losses together, of every message that holds the clock back or, when nothing else is due, of every message
 *     in flight; a copy only as its message is delivered, the copy staying in flight. Every state of the nodes is
 *     still visited, with fewer states of the network around them (see {@link Explorer}). Off by default: new in
 *     December 2026, shown to keep every state of the nodes on the configurations compared so far
 *     (docs/BENCHMARKS.md); it assumes the model's invariant and terminal property read the nodes, not the
 *     messages in flight
 * @param symmetry whether to merge states that differ by a renaming of {@link ExploreModel#symmetricNodes()}
 * @param maxViolations stop after this many violations, more than 0
 * @param messageLifetime the network's maximum message lifetime (as IP's time to live bounds it): time does not pass
 *     beyond it while a message sent that long ago is still in flight, so it is delivered or lost by then; empty for
 *     the model's dedup window ({@code NodeSettings.dedupWindow}), the lifetime the engine's at-most-once promise
 *     assumes
 * @param threads how many threads expand states (1 or more): more is faster on more cores and finds the same result,
 *     but the model's methods are then called on several threads at once, each world on one thread (see
 *     {@link ExploreModel}); and faults planted for the calling thread only are not seen by the others
 */
public record ExploreBounds(int losses, int duplicates, boolean perLink, int crashes, NetworkModel network,
        int maxDepth, long maxStates, Optional<Duration> maxTime, boolean reduction, boolean lateFaults,
        boolean symmetry, int maxViolations, Optional<Duration> messageLifetime, int threads) {

    /**
     * @throws IllegalArgumentException if a bound is negative, or a limit not positive
     * @throws NullPointerException if {@code network} is null
     */
    public ExploreBounds {
        require(losses >= 0, "losses must be 0 or more but was " + losses);
        require(duplicates >= 0, "duplicates must be 0 or more but was " + duplicates);
        require(crashes >= 0, "crashes must be 0 or more but was " + crashes);
        Objects.requireNonNull(network, "network");
        require(maxDepth > 0, "the depth limit must be more than 0 but was " + maxDepth);
        require(maxStates > 0 && maxStates <= StateTable.MAX_STATES, "the state limit must be more than 0 and at"
                + " most " + StateTable.MAX_STATES + " but was " + maxStates);
        Objects.requireNonNull(maxTime, "maxTime");
        maxTime.ifPresent(d -> require(!d.isNegative() && !d.isZero(), "the time limit must be more than 0 but was "
                + d));
        require(maxViolations > 0, "the violation limit must be more than 0 but was " + maxViolations);
        Objects.requireNonNull(messageLifetime, "messageLifetime");
        messageLifetime.ifPresent(d -> require(!d.isNegative(), "the message lifetime must be 0 or more but was "
                + d));
        require(threads >= 1, "threads must be 1 or more but was " + threads);
    }

    /**
     * No faults, datagrams, depth 200, ten million states, no time limit, sleep sets on, late faults and symmetry
     * off, stop at the first violation, one thread.
     */
    public static ExploreBounds defaults() {
        return new ExploreBounds(0, 0, false, 0, NetworkModel.DATAGRAM, 200, 10_000_000, Optional.empty(), true, false,
                false, 1, Optional.empty(), 1);
    }

    /** A copy with {@code losses}. @throws IllegalArgumentException if negative */
    public ExploreBounds withLosses(int n) {
        return new ExploreBounds(n, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with {@code duplicates}. @throws IllegalArgumentException if negative */
    public ExploreBounds withDuplicates(int n) {
        return new ExploreBounds(losses, n, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy whose loss and duplicate bounds count per link ({@code true}) or per path. */
    public ExploreBounds withPerLink(boolean on) {
        return new ExploreBounds(losses, duplicates, on, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with {@code crashes}. @throws IllegalArgumentException if negative */
    public ExploreBounds withCrashes(int n) {
        return new ExploreBounds(losses, duplicates, perLink, n, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with {@code network}. @throws NullPointerException if null */
    public ExploreBounds withNetwork(NetworkModel m) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, m, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with the depth limit {@code n}. @throws IllegalArgumentException if not positive */
    public ExploreBounds withMaxDepth(int n) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, n, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with the state limit {@code n}. @throws IllegalArgumentException if not positive */
    public ExploreBounds withMaxStates(long n) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, n, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy that stops after running {@code d}. @throws IllegalArgumentException if not positive */
    public ExploreBounds withMaxTime(Duration d) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, Optional.of(d),
                reduction, lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with sleep sets on or off. */
    public ExploreBounds withReduction(boolean on) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, on,
                lateFaults, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with late faults on or off (see {@link #lateFaults()}). */
    public ExploreBounds withLateFaults(boolean on) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                on, symmetry, maxViolations, messageLifetime, threads);
    }

    /** A copy with symmetry reduction on or off. */
    public ExploreBounds withSymmetry(boolean on) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, on, maxViolations, messageLifetime, threads);
    }

    /** A copy that stops after {@code n} violations. @throws IllegalArgumentException if not positive */
    public ExploreBounds withMaxViolations(int n) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, n, messageLifetime, threads);
    }

    /** A copy with the maximum message lifetime {@code d}. @throws IllegalArgumentException if negative */
    public ExploreBounds withMessageLifetime(Duration d) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, Optional.of(d), threads);
    }

    /** A copy that expands states on {@code n} threads. @throws IllegalArgumentException if less than 1 */
    public ExploreBounds withThreads(int n) {
        return new ExploreBounds(losses, duplicates, perLink, crashes, network, maxDepth, maxStates, maxTime, reduction,
                lateFaults, symmetry, maxViolations, messageLifetime, n);
    }

    /**
     * The bounds that shape the space, as text: all but the limits a resumed search may change (states, time,
     * violations) and the threads. A {@link Checkpoints checkpoint} resumes only under the same.
     */
    String space() {
        return "losses=" + losses + " duplicates=" + duplicates + " perLink=" + perLink + " crashes=" + crashes
                + " network=" + network + " maxDepth=" + maxDepth + " reduction=" + reduction + " lateFaults="
                + lateFaults + " symmetry=" + symmetry + " lifetime=" + messageLifetime.map(Duration::toString)
                .orElse("dedup window");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
