package dev.chainkit.examples.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.ExploreResult;
import dev.chainkit.sim.explore.Explorer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The explorer's state descriptions of the op-log sync are sound enough to trust "exhausted": sleep sets prune
 * transitions and never states, so a search with them and one without visit exactly as many states. They did not
 * when describing a judge's state took an op number from its store (describing changed the state, so op ids
 * depended on how often a state had been described): 1,709 states against 1,722 for this configuration. Late faults
 * ({@link ExploreBounds#lateFaults()}) leave out states of the network, never a state of the nodes; which needs the
 * descriptions exact in time: with an op's creation time left out of them, the search with late faults reached 12
 * states of the nodes more than the one without (the first found of two states merged stood for both).
 */
class OplogExploreSoundnessTest {

    @Test
    void searchesWithAndWithoutSleepSetsVisitTheSameStates() {
        ExploreBounds bounds = ExploreBounds.defaults().withCrashes(1).withMessageLifetime(Duration.ofMillis(300));
        Searches r = withAndWithoutSleepSets(new OplogExploreModel(1, 1), bounds);
        assertEquals(r.full().terminalStates(), r.reduced().terminalStates());
        assertTrue(r.reduced().transitions() < r.full().transitions(), r.toString());
    }

    /**
     * Two judges' timers due at the same instant as deliveries to the others: a timer due now changes its node only,
     * so the search fires it in one order against what other nodes do (it took every order while a timer counted as
     * depending on everything: 27,261 transitions against 28,814 without sleep sets). The same states, and no more
     * than three quarters of the transitions.
     */
    @Test
    void timersDueNowCommuteWithWhatOtherNodesDo() {
        ExploreBounds bounds = ExploreBounds.defaults().withMessageLifetime(Duration.ofMillis(100)).withThreads(2);
        Searches r = withAndWithoutSleepSets(new OplogExploreModel(2, 1), bounds);
        assertTrue(r.reduced().transitions() * 4 <= r.full().transitions() * 3, r.toString());
    }

    /** A search with sleep sets and one without. */
    private record Searches(ExploreResult reduced, ExploreResult full) {
    }

    /** Explores with sleep sets, then without: both clean, the same states. */
    private static Searches withAndWithoutSleepSets(OplogExploreModel model, ExploreBounds bounds) {
        ExploreResult reduced = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        ExploreResult full = Explorer.explore(model, bounds.withReduction(false), Explorer.Progress.NONE);
        System.out.println("reduced " + reduced + "\nfull " + full);
        assertTrue(reduced.ok() && full.ok(), reduced + " vs " + full);
        assertEquals(full.states(), reduced.states(), "sleep sets prune transitions, never states");
        return new Searches(reduced, full);
    }

    @Test
    void lateFaultsVisitEveryStateOfTheNodes() {
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(1).withDuplicates(1).withCrashes(1)
                .withMessageLifetime(Duration.ofMillis(300)).withThreads(2);
        OplogExploreModel model = new OplogExploreModel(1, 1);
        ExploreResult late = Explorer.explore(model, bounds.withLateFaults(true), Explorer.Progress.NONE);
        ExploreResult every = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        System.out.println("late faults " + late + "\nevery fault " + every);
        assertTrue(late.ok() && every.ok(), late + " vs " + every);
        assertEquals(every.nodeStates(), late.nodeStates(), "the same states of the nodes");
        assertTrue(late.states() < every.states(), "fewer states of the network around them: " + late + " vs "
                + every);
    }
}
