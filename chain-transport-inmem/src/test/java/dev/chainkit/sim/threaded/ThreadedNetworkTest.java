package dev.chainkit.sim.threaded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.NodeStats;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.SimNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThreadedNetworkTest {

    /** Three steps: Count(n) -> Count(n+1) -> Count(n+2) (terminal). */
    record Count(int n) { }

    static final Protocol<Count> COUNTING = Protocol.of("counting", Count.class, 4);

    /** A node that answers counting chains and opens them; all state confined to its thread. */
    static final class Peer {
        final ChainNode node;
        final Set<ChainId> handledOpenings = new HashSet<>();
        int handledSteps;
        int duplicateHandling;
        final List<CompletableFuture<Outcome<Integer>>> outcomes = new ArrayList<>();

        Peer(NodeContext ctx) {
            this.node = ctx.node();
            node.register(COUNTING, (chain, m) -> {
                handledSteps++;
                if (chain.step() == 0 && !handledOpenings.add(chain.id())) {
                    duplicateHandling++;
                }
                Count next = new Count(m.n() + 1);
                return chain.step() == 0 ? ResponderAction.reply(next) : ResponderAction.replyAndTerminate(next);
            });
        }

        void open(NodeId peer, int n) {
            outcomes.add(node.start(COUNTING, peer, new Count(n), (chain, reply) -> chain.terminal()
                    ? InitiatorAction.<Count, Integer>complete(reply.n())
                    : InitiatorAction.<Count, Integer>reply(new Count(reply.n() + 1))).outcome());
        }
    }

    private static final NodeSettings PATIENT = NodeSettings.defaults().withRetryPolicy(
            RetryPolicy.builder().withInitialDelay(Duration.ofSeconds(2)).withMaxDelay(Duration.ofSeconds(5))
                    .withDeadline(Duration.ofSeconds(50)).build()).withMaxInFlightPerPeer(1_000_000);

    @Test
    void concurrentChainsFromBothSidesCompleteWithEveryStepHandledOnce() throws Exception {
        int perBatch = 2_000;
        int batches = 10;
        ThreadedNetwork net = ThreadedNetwork.builder().settings(PATIENT).build();
        SimNode<Peer> a = net.addNode("a", Peer::new);
        SimNode<Peer> b = net.addNode("b", Peer::new);
        // Chains are opened from both node threads and from several producer threads' tasks at once.
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < batches / 2; i++) {
                    net.execute(a.id(), () -> { for (int k = 0; k < perBatch / 4; k++) a.app().open(b.id(), k); });
                    net.execute(b.id(), () -> { for (int k = 0; k < perBatch / 4; k++) b.app().open(a.id(), k); });
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread p : producers) {
            p.join();
        }
        int expectedPerSide = 4 * (batches / 2) * (perBatch / 4);
        for (SimNode<Peer> n : List.of(a, b)) {
            List<CompletableFuture<Outcome<Integer>>> outcomes = net.submit(n.id(), () -> List.copyOf(n.app().outcomes))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(expectedPerSide, outcomes.size());
            for (CompletableFuture<Outcome<Integer>> f : outcomes) {
                assertInstanceOf(Outcome.Completed.class, f.get(30, TimeUnit.SECONDS));
            }
        }
        for (SimNode<Peer> n : List.of(a, b)) {
            int[] handled = net.submit(n.id(), () -> new int[] {n.app().handledOpenings.size(), n.app().handledSteps,
                    n.app().duplicateHandling}).get(30, TimeUnit.SECONDS);
            assertEquals(expectedPerSide, handled[0], "every chain opened on " + n.id() + "'s peer reached it");
            assertEquals(2 * expectedPerSide, handled[1], "two responder steps per chain, each handled once");
            assertEquals(0, handled[2]);
            NodeStats stats = net.submit(n.id(), () -> n.chainNode().stats()).get(30, TimeUnit.SECONDS);
            assertEquals(0, stats.count(ChainEventType.REJECTED) + stats.count(ChainEventType.VIOLATION));
            assertEquals(0, stats.initiatorChains());
        }
        net.close();
        assertEquals(0, net.undeliverable());
        assertFalse(a.isUp());
        assertTrue(threadsNamed("chainkit-a", "chainkit-b").isEmpty(), "node threads ended");
    }

    @Test
    void closeDrainsFailsOpenChainsAndJoinsThreads() throws Exception {
        ThreadedNetwork net = ThreadedNetwork.builder().settings(PATIENT).build();
        SimNode<Peer> a = net.addNode("closing", Peer::new);
        net.addNode("silent", ctx -> { // answers nothing: its answer never comes
            ctx.node().register(COUNTING, (chain, m) -> ResponderAction.defer(new CompletableFuture<>()));
            return null;
        });
        CompletableFuture<Outcome<Integer>> outcome = net.submit(a.id(), () -> {
            a.app().open(NodeId.of("silent"), 1);
            return a.app().outcomes.get(0);
        }).get(10, TimeUnit.SECONDS);
        net.close();
        Outcome<Integer> o = outcome.get(10, TimeUnit.SECONDS);
        assertInstanceOf(Outcome.Failed.class, o);
        assertEquals("node closed", ((Outcome.Failed<Integer>) o).reason());
        assertTrue(threadsNamed("chainkit-closing", "chainkit-silent").isEmpty());
        assertThrows(IllegalStateException.class, () -> net.execute(a.id(), () -> { }));
        net.close();
    }

    @Test
    void badCallsFailFast() {
        try (ThreadedNetwork net = ThreadedNetwork.builder().build()) {
            net.addNode("x", ctx -> null);
            assertThrows(IllegalArgumentException.class, () -> net.addNode("x", ctx -> null));
            assertThrows(IllegalArgumentException.class, () -> net.execute(NodeId.of("nobody"), () -> { }));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.addNode("b", ctx -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals("boom", e.getCause().getMessage());
            assertThrows(IllegalArgumentException.class, () -> ThreadedNetwork.builder().timerTick(Duration.ZERO));
        }
    }

    /**
     * Producers submit and execute tasks on a node while the network closes, round after round. Once
     * {@code close()} has returned, every task the network accepted has run and every accepted future is complete;
     * every other call threw. Bounded: 100 rounds, at most 20,000 calls per producer and round; the verdict is the
     * books balancing, whatever the interleaving.
     */
    @Test
    void submitAndExecuteRacingCloseNeverLoseAnAcceptedTask() throws Exception {
        int producers = 3;
        for (int round = 0; round < 100; round++) {
            ThreadedNetwork net = ThreadedNetwork.builder().build();
            SimNode<Object> n = net.addNode("racer", ctx -> null);
            AtomicLong ran = new AtomicLong();
            AtomicLong calls = new AtomicLong();
            long[] executed = new long[producers];
            List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int me = p;
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                futures.add(mine);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        calls.incrementAndGet();
                        try {
                            if (i % 2 == 0) {
                                mine.add(net.submit(n.id(), ran::incrementAndGet));
                            } else {
                                net.execute(n.id(), ran::incrementAndGet);
                                executed[me]++;
                            }
                        } catch (IllegalStateException refused) {
                            return;
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (calls.get() < 200 + 37L * round % 1000 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            net.close();
            for (Thread t : threads) {
                t.join();
            }
            long accepted = 0;
            for (int p = 0; p < producers; p++) {
                accepted += executed[p] + futures.get(p).size();
                for (CompletableFuture<Long> f : futures.get(p)) {
                    assertTrue(f.isDone(), "round " + round + ": an accepted task's future never completed");
                }
            }
            assertEquals(accepted, ran.get(), "round " + round + ": every accepted task ran");
        }
    }

    /** Closing the network from a node's own thread (here: an outcome callback) returns at once, no self-join. */
    @Test
    void closeFromANodesOwnThreadReturnsAtOnceAndStopsEveryNode() throws Exception {
        ThreadedNetwork net = ThreadedNetwork.builder().settings(PATIENT).build();
        SimNode<Peer> a = net.addNode("self-a", Peer::new);
        SimNode<Peer> b = net.addNode("self-b", Peer::new);
        CompletableFuture<String> closedOn = new CompletableFuture<>();
        net.execute(a.id(), () -> {
            a.app().open(b.id(), 1);
            // Attached on a's thread before b's answer can be handled there: the callback runs on a's thread.
            a.app().outcomes.get(0).thenRun(() -> {
                net.close();
                closedOn.complete(Thread.currentThread().getName());
            });
        });
        assertEquals("chainkit-self-a", closedOn.get(5, TimeUnit.SECONDS), "closed in a's outcome callback");
        assertFalse(a.isUp());
        assertFalse(b.isUp());
        assertThrows(IllegalStateException.class, () -> net.execute(b.id(), () -> { }));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threadsNamed("chainkit-self-a", "chainkit-self-b").isEmpty() && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        assertTrue(threadsNamed("chainkit-self-a", "chainkit-self-b").isEmpty(), "both node threads ended");
        net.close();
    }

    /** A close timeout too long for a {@code long} of nanoseconds means no limit (it used to overflow). */
    @Test
    void aCloseTimeoutTooLongForTheClockMeansNoLimit() throws Exception {
        ThreadedNetwork net = ThreadedNetwork.builder().closeTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build();
        SimNode<Object> n = net.addNode("slow", ctx -> null);
        CountDownLatch release = new CountDownLatch(1);
        net.execute(n.id(), () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread releaser = new Thread(() -> {
            while (n.isUp()) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        releaser.start();
        net.close();
        releaser.join();
        assertTrue(threadsNamed("chainkit-slow").isEmpty());
    }

    private static List<String> threadsNamed(String... names) {
        Set<String> wanted = Set.of(names);
        List<String> alive = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (wanted.contains(t.getName()) && t.isAlive()) {
                alive.add(t.getName());
            }
        }
        return alive;
    }
}
