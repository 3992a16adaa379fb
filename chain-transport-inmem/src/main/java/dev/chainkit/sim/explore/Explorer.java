package dev.chainkit.sim.explore;

import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Explores every behaviour of a small {@link ExploreModel} within {@link ExploreBounds}: every order of deliveries,
 * every loss, copy, timer firing and crash point the bounds allow, checking the model's invariant in every state and
 * its terminal property in every terminal state, and reporting livelocks (cycles) and stuck states.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Stateless search with state caching.</b> A node's state lives in Java objects that cannot be copied, so
 *   a state is reached by replaying its path from a fresh {@link World} (as VeriSoft and CHESS do), a path being the
 *   codes of its choices ({@link World#code}), which replay without building the choices of every state passed;
 *   what is kept of a state is its 128-bit fingerprint ({@link Hash128}) of its canonical description
 *   ({@link DigestSink}: every node's engine through {@code ChainNode.digest}, its application through
 *   {@link ExploreModel#digest}, the messages in flight as a multiset, or per link in order under FIFO, the faults
 *   spent and the workload done). Times are written relative to now and chain sequences relative to the next one,
 *   so states that differ only by when they happen, or by how many chains came before, are one: that is what turns
 *   a livelock into a cycle.</li>
 *   <li><b>Breadth first, so shortest first.</b> States are expanded in the order they were found; the path kept
 *   for a state is the first found, a shortest one, so every violation comes with a shortest path to the state
 *   where it shows (minimal counterexamples without shrinking).</li>
 *   <li><b>Time.</b> Deliveries take no time; a {@code timer} choice runs a timer due next (the clock jumps to it).
 *   A message may stay in flight across any number of timer firings, so every ordering of deliveries against
 *   timers is explored, while time only moves when something is due. Timers due at the same instant are a choice
 *   each: which runs first is otherwise decided by the order they were set in, which no state description holds,
 *   so two paths to one described state could differ in it and the search would follow one order only. (It did,
 *   until December 2026: two judges whose retransmissions fell due together were explored in one order.) A timer
 *   due now (the clock already there) changes its node only and commutes with what the other nodes do
 *   ({@link Choice.Type#TIMER_NOW}); one that moves the clock depends on everything. For that, a terminal state
 *   still offers the timers due now (else the delivery that ends a run would disable them).</li>
 *   <li><b>Late faults</b> ({@link ExploreBounds#lateFaults()}, datagrams). A loss changes no node, so moved later
 *   along a path, past every choice it commutes with, it reaches the same states of the nodes; it can move past
 *   everything but a timer that only the loss lets run (a message in flight holds the clock back: the next timer
 *   is due beyond its lifetime) and the end of a run. So losses are made only together, just before time may pass:
 *   all the messages that hold the clock back ({@link Choice.Type#LOSE_BLOCKING}), or all of those in flight when
 *   nothing else is due ({@link Choice.Type#LOSE_IN_FLIGHT}; a run ends, or is stuck, after it). Likewise a copy
 *   moves later until its message is delivered or lost: it is made as the message is delivered, the copy staying
 *   in flight ({@link Choice.Type#DELIVER_COPY}); a copy then lost is no copy, with more of the bound left. Every
 *   state of the nodes a path without late faults reaches, one with them reaches too; what is left out are the
 *   states of the network around them: the same choices in other places. {@link ExploreResult#nodeStates()}
 *   counts the states of the nodes, which agree with and without (tested). That needs descriptions exact in time
 *   too: two states that differ only by when they happen are one, so everything a node holds that it read from
 *   the clock must be written relative to now ({@link dev.chainkit.core.spi.StateSink#putTime}), or the first of
 *   two such states found would stand for both while they go on differently (an op's creation time did). The
 *   choices a late fault stands for are the lines of its path, so a path replays without them.</li>
 *   <li><b>Sleep sets</b> (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems", ch. 5):
 *   choices that commute ({@link Choice#independentOf}) are explored in one order only. Sleep sets prune
 *   transitions, never states: every reachable state is still visited, so safety and terminal checks lose
 *   nothing. With state caching, a state reached again with a sleep set that does not contain its stored one is
 *   expanded again for the difference (the stored set shrinks to the intersection), which keeps the combination
 *   sound. The key of a choice is the 64-bit hash of its canonical description (written like the state's), so
 *   keys compare across paths.</li>
 *   <li><b>Compact, parallel.</b> What is kept per state is its fingerprint, parent, choice, depth and sleep set
 *   in primitive arrays ({@link StateTable}), about 40 bytes a state. The queue is expanded in fixed batches on
 *   {@link ExploreBounds#threads()} threads, each state on worlds of its own ({@link Expansion}); the results are
 *   merged on the calling thread in queue order, so the result does not depend on the number of threads.</li>
 *   <li><b>Long runs</b> save themselves ({@link Checkpoints}) between batches and resume where they were: what
 *   the search keeps is plain arrays, written as they are.</li>
 *   <li><b>Symmetry</b> ({@link Symmetry}): optional, the least description over renamings of symmetric nodes.</li>
 *   <li><b>Terminal states</b> (workload done, nothing in flight, every chain ended, no application timer) are
 *   checked with {@link ExploreModel#terminal}; from them only crashes and the timers due now are explored (what
 *   is left later, forgetting tombstones, is not behaviour). A state with no choice that is not terminal is
 *   stuck.</li>
 *   <li><b>Livelock.</b> After the search, a cycle in the graph of transitions taken is a livelock. A cycle that
 *   only lets time pass while a message waits in flight is not one (the network delivers or loses it eventually):
 *   timer firings taken while messages are in flight are left out of that graph. With sleep sets on, a cycle made
 *   only of pruned transitions can be missed; {@code reduction=false} checks every transition. A loop that keeps
 *   opening chains is no cycle (each round leaves one more tombstone, and time need not pass), so the search goes
 *   on until the depth limit cuts it; then the paths it cut are searched for a state that repeats but for the
 *   history of ended chains ({@link dev.chainkit.core.spi.StateSink#endedChains()}), with one more round made to
 *   confirm it.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; each call runs on the calling thread, and with {@link ExploreBounds#threads()} above
 * 1 on worker threads of its own too, which it stops before it returns.
 */
public final class Explorer {

    /**
     * The engine settings of a model that does not choose: retransmission after 200 ms, doubling, no jitter, at most
     * 3 attempts.
     */
    public static final NodeSettings DEFAULT_SETTINGS = NodeSettings.defaults().withRetryPolicy(RetryPolicy.builder()
            .withInitialDelay(Duration.ofMillis(200)).withMultiplier(2).withJitter(0).withMaxAttempts(3).build());

    private Explorer() {
    }

    /** Told how far a long exploration got; called on the exploring thread. */
    @FunctionalInterface
    public interface Progress {
        /** Tells nothing. */
        Progress NONE = (states, transitions, depth, queued, elapsedMs) -> { };

        /**
         * @param states distinct states so far
         * @param transitions choices made so far
         * @param depth the depth being expanded
         * @param queued states waiting to be expanded
         * @param elapsedMs wall-clock time so far, in milliseconds
         */
        void update(long states, long transitions, int depth, long queued, long elapsedMs);
    }

    /**
     * Explores {@code model} within {@code bounds}.
     *
     * @param progress told how far it got every two seconds, on the calling thread
     * @return what was found
     * @throws IllegalArgumentException if the model is inconsistent (a work item for an unknown node, a state it
     *     cannot describe, a retry policy with jitter)
     * @throws NullPointerException if an argument is null
     */
    public static <A, W> ExploreResult explore(ExploreModel<A, W> model, ExploreBounds bounds, Progress progress) {
        return explore(model, bounds, Optional.empty(), progress);
    }

    /**
     * Explores {@code model} within {@code bounds}, saving the search to a checkpoint as it goes and resuming from
     * it if it exists ({@link Checkpoints}): a long exploration stopped by {@link ExploreBounds#maxTime()}, or killed,
     * goes on where it was when called again.
     *
     * @param checkpoints where and how often to save; empty for none
     * @param progress told how far it got every two seconds, on the calling thread
     * @return what was found, counting the runs it resumed
     * @throws Checkpoints.Unusable if the checkpoint exists but cannot be resumed from (unreadable, damaged, or
     *     written for other bounds or another model); nothing was explored then
     * @throws java.io.UncheckedIOException if a checkpoint cannot be written
     * @throws IllegalArgumentException if the model is inconsistent (as {@link #explore(ExploreModel,
     *     ExploreBounds, Progress)} says)
     * @throws NullPointerException if an argument is null
     */
    public static <A, W> ExploreResult explore(ExploreModel<A, W> model, ExploreBounds bounds,
            Optional<Checkpoints> checkpoints, Progress progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(progress, "progress");
        if (model.settings().retryPolicy().jitter() != 0) {
            throw new IllegalArgumentException("the explorer needs a retry policy without jitter (its random delays"
                    + " are not part of a state), but the model's has jitter "
                    + model.settings().retryPolicy().jitter());
        }
        return new Search<>(model, bounds, checkpoints, progress).run();
    }

    /**
     * Replays {@code path} (the lines of a {@link Violation#path()}) on a fresh world of {@code model}, checking as
     * the explorer does: the invariant after every step, and at the end the terminal property (terminal state), a
     * stuck state, or (when {@code cycleStart} is not -1) that the path returned to the state it had after that many
     * steps, but for the history of ended chains.
     *
     * @return the violation the path shows, or empty
     * @throws IllegalArgumentException if a line names no choice of its state (the path does not belong to this
     *     model and these bounds): a {@link PathReplay.NotAChoice} that says which
     * @see PathReplay
     */
    public static <A, W> Optional<Violation> replay(ExploreModel<A, W> model, ExploreBounds bounds, List<String> path,
            int cycleStart) {
        return new PathReplay<>(model, bounds).play(path, cycleStart);
    }
}
