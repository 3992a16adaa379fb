package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The explorer on the engine alone: a chain of three steps and its terminal between a client and a server.
 *
 * <p>The default suite exhausts the configuration over datagrams (two losses, one copy, one crash, three
 * attempts per step, messages delivered or lost within 300 ms: 3,882 states, under two seconds); with
 * {@code -Dchainkit.explore.full=true} (the {@code explore} profile) FIFO gets two disconnects and three attempts
 * too. Figures are in docs/BENCHMARKS.md.
 */
class HandshakeExploreTest {

    private static final boolean FULL = Boolean.getBoolean("chainkit.explore.full");

    @Test
    void theEngineAloneExhaustsWithoutViolationOverDatagrams() {
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(2).withDuplicates(1).withCrashes(1)
                .withMessageLifetime(java.time.Duration.ofMillis(300));
        ExploreResult r = Explorer.explore(new Handshake(1, false, 3), bounds, Explorer.Progress.NONE);
        System.out.println("handshake datagram " + bounds + ": " + r);
        assertEquals(List.of(), r.violations());
        assertTrue(r.exhausted(), r.toString());
        assertTrue(r.terminalStates() > 0, r.toString());
    }

    @Test
    void theEngineAloneExhaustsWithoutViolationOverFifo() {
        ExploreBounds bounds = ExploreBounds.defaults().withNetwork(NetworkModel.FIFO).withLosses(FULL ? 2 : 1)
                .withCrashes(1);
        ExploreResult r = Explorer.explore(new Handshake(1, false, FULL ? 3 : 2), bounds, Explorer.Progress.NONE);
        System.out.println("handshake fifo " + bounds + ": " + r);
        assertEquals(List.of(), r.violations());
        assertTrue(r.exhausted(), r.toString());
    }

    @Test
    void sleepSetsVisitEveryStateWithFewerTransitions() {
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(1);
        Handshake model = new Handshake(2, false, 1);
        ExploreResult full = Explorer.explore(model, bounds.withReduction(false), Explorer.Progress.NONE);
        ExploreResult reduced = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        assertEquals(full.states(), reduced.states(), "sleep sets prune transitions, never states");
        assertTrue(reduced.transitions() < full.transitions(), full + " vs " + reduced);
        assertTrue(full.exhausted() && reduced.exhausted());
    }

    @Test
    void twoThreadsFindExactlyWhatOneFinds() {
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(1);
        Handshake model = new Handshake(2, false, 1);
        ExploreResult one = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        ExploreResult two = Explorer.explore(model, bounds.withThreads(2), Explorer.Progress.NONE);
        assertEquals(List.of(one.states(), one.transitions(), (long) one.depth(), one.terminalStates()),
                List.of(two.states(), two.transitions(), (long) two.depth(), two.terminalStates()));
        assertTrue(one.ok() && two.ok(), one + " vs " + two);
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("explorer-")),
                "the worker threads are gone");
    }

    @Test
    void perLinkBoundsAllowAFaultOnEachLinkOfOnePath() {
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(1);
        Handshake model = new Handshake(2, false, 1);
        ExploreResult perPath = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        ExploreResult perLink = Explorer.explore(model, bounds.withPerLink(true), Explorer.Progress.NONE);
        assertTrue(perPath.ok() && perLink.ok(), perPath + " vs " + perLink);
        assertTrue(perLink.states() > perPath.states(), "a loss on each of the two links is more: " + perPath
                + " vs " + perLink);
    }

    @Test
    void symmetryMergesStatesThatDifferByARenamingOfClients() {
        ExploreBounds bounds = ExploreBounds.defaults();
        ExploreResult plain = Explorer.explore(new Handshake(2, true, 1), bounds, Explorer.Progress.NONE);
        ExploreResult symmetric = Explorer.explore(new Handshake(2, true, 1), bounds.withSymmetry(true),
                Explorer.Progress.NONE);
        assertTrue(symmetric.states() < plain.states(), plain + " vs " + symmetric);
        assertTrue(symmetric.ok() && plain.ok());
    }

    @Test
    void aMessageDelayedBeyondTheLifetimeTheEngineAssumesIsFoundWithAShortestPath() {
        // Without a bound on message lifetime, a step delayed past the responder's memory of the chain and of its
        // peer runs the handler again: the engine's at-most-once assumes the network's lifetime is at most the
        // dedup window, and the explorer finds the shortest way to break it when that assumption is lifted.
        ExploreBounds bounds = ExploreBounds.defaults().withCrashes(1).withMessageLifetime(java.time.Duration
                .ofDays(1));
        ExploreResult r = Explorer.explore(new Handshake(1, false, 2), bounds, Explorer.Progress.NONE);
        assertFalse(r.violations().isEmpty(), r.toString());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.INVARIANT, v.kind());
        assertTrue(v.message().contains("ran its handler 2 times"), v.message());
        assertEquals("c1: open", v.path().get(0));
        assertEquals(Optional.of(v.kind()), Explorer.replay(new Handshake(1, false, 2), bounds, v.path(), -1)
                .map(Violation::kind), "the path replays to the same violation");
        ExploreResult shorter = Explorer.explore(new Handshake(1, false, 2), bounds.withMaxDepth(v.path().size() - 1),
                Explorer.Progress.NONE);
        assertEquals(List.of(), shorter.violations(), "no shorter path breaks it");
    }
}
