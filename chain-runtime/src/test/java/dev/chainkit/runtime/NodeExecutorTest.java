package dev.chainkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NodeExecutorTest {

    sealed interface Msg permits Ask, Answer { }

    record Ask(int n) implements Msg { }

    record Answer(int n) implements Msg { }

    static final Protocol<Msg> ASK = Protocol.of("ask", Msg.class, 2);

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    /** A node on {@code executor} whose envelopes go to the executors in {@code routes}. */
    private static ChainNode node(NodeExecutor executor, NodeId id, Map<NodeId, NodeExecutor> routes) {
        Transport transport = e -> routes.get(e.receiver()).deliver(e);
        return ChainNode.builder(id, 1).clock(executor.clock()).scheduler(executor.scheduler()).transport(transport)
                .build();
    }

    private static NodeExecutor started(String name, Transport transport) {
        NodeExecutor ex = NodeExecutor.builder(name).build();
        ex.start(x -> ChainNode.builder(NodeId.of(name), 1).clock(x.clock()).scheduler(x.scheduler())
                .transport(transport).build());
        return ex;
    }

    @Test
    void runsTheNodeItsTasksAndItsTimersOnItsOwnThread() throws Exception {
        Map<NodeId, NodeExecutor> routes = new ConcurrentHashMap<>();
        NodeExecutor a = NodeExecutor.builder("exec-a").build();
        NodeExecutor b = NodeExecutor.builder("exec-b").build();
        routes.put(A, a);
        routes.put(B, b);
        List<String> threads = new ArrayList<>();
        ChainNode[] nodes = new ChainNode[2];
        a.start(ex -> nodes[0] = node(ex, A, routes));
        b.start(ex -> {
            nodes[1] = node(ex, B, routes);
            nodes[1].register(ASK, (chain, m) -> {
                threads.add(Thread.currentThread().getName());
                return ResponderAction.replyAndTerminate(new Answer(((Ask) m).n() + 1));
            });
            return nodes[1];
        });
        CompletableFuture<Outcome<Integer>> outcome = a.submit(() -> nodes[0].start(ASK, B, new Ask(41),
                (chain, reply) -> InitiatorAction.<Msg, Integer>complete(((Answer) reply).n())).outcome()).get();
        assertEquals(new Outcome.Completed<>(42), outcome.get(10, TimeUnit.SECONDS));
        CompletableFuture<String> timer = new CompletableFuture<>();
        a.execute(() -> a.scheduler().schedule(TimeUnit.MILLISECONDS.toNanos(5),
                () -> timer.complete(Thread.currentThread().getName())));
        assertEquals("exec-a", timer.get(10, TimeUnit.SECONDS));
        assertEquals("exec-b", b.submit(() -> String.join(",", threads)).get(10, TimeUnit.SECONDS));
        a.close();
        b.close();
        assertTrue(a.isTerminated() && b.isTerminated());
    }

    /**
     * Producers hammer {@code submit} and {@code execute} while the executor closes, round after round: every task
     * the executor accepted must have run (and its future completed) once {@code close()} has returned, and every
     * other one must have been refused by an exception. Bounded: 150 rounds, at most 20,000 tasks per producer and
     * round. The verdict does not depend on timing: any interleaving must balance the books.
     */
    @Test
    void everyAcceptedTaskRunsAndEveryOtherIsRefusedWhenCloseRaces() throws Exception {
        int rounds = 150;
        int producers = 3;
        int maxPerProducer = 20_000;
        long refusedInAll = 0;
        for (int round = 0; round < rounds; round++) {
            NodeExecutor ex = started("racer-" + round, e -> { });
            AtomicLong ran = new AtomicLong();
            AtomicLong offered = new AtomicLong();
            long[] acceptedPlain = new long[producers];
            long[] refused = new long[producers];
            List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int me = p;
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                futures.add(mine);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < maxPerProducer; i++) {
                        offered.incrementAndGet();
                        try {
                            if (i % 2 == 0) {
                                mine.add(ex.submit(ran::incrementAndGet));
                            } else {
                                ex.execute(ran::incrementAndGet);
                                acceptedPlain[me]++;
                            }
                        } catch (RejectedExecutionException e) {
                            refused[me]++;
                            return;
                        }
                    }
                }, "producer-" + p));
            }
            threads.forEach(Thread::start);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (offered.get() < 200 + 37L * round % 1000 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            ex.close();
            for (Thread t : threads) {
                t.join();
            }
            long accepted = 0;
            for (int p = 0; p < producers; p++) {
                accepted += acceptedPlain[p] + futures.get(p).size();
                refusedInAll += refused[p];
                for (CompletableFuture<Long> f : futures.get(p)) {
                    assertTrue(f.isDone(), "round " + round + ": an accepted task's future never completed");
                }
            }
            assertEquals(accepted, ran.get(), "round " + round + ": every accepted task ran, and only those");
        }
        assertTrue(refusedInAll > 0, "the producers met the close");
    }

    @Test
    void closeOnItsOwnThreadReturnsAtOnceAndTheLoopStopsAfterWhatItHadAccepted() throws Exception {
        NodeExecutor ex = started("self-closer", e -> { });
        CompletableFuture<String> queuedBefore = new CompletableFuture<>();
        CompletableFuture<String> result = ex.submit(() -> {
            ex.execute(() -> queuedBefore.complete("ran"));
            ex.close();
            assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
            return "closed from " + Thread.currentThread().getName();
        });
        assertEquals("closed from self-closer", result.get(5, TimeUnit.SECONDS));
        assertEquals("ran", queuedBefore.get(5, TimeUnit.SECONDS), "a task accepted before the close still runs");
        ex.termination().get(5, TimeUnit.SECONDS);
        assertTrue(ex.awaitTermination(Duration.ofSeconds(5)));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
    }

    @Test
    void closeFailsTheNodesOpenChainsOnItsThread() throws Exception {
        NodeExecutor ex = NodeExecutor.builder("closing").build();
        ChainNode[] node = new ChainNode[1];
        ex.start(x -> node[0] = ChainNode.builder(A, 1).clock(x.clock()).scheduler(x.scheduler())
                .transport(e -> { }).build());
        CompletableFuture<Outcome<Integer>> outcome = ex.submit(() -> node[0].start(ASK, B, new Ask(1),
                (chain, reply) -> InitiatorAction.<Msg, Integer>complete(0)).outcome()).get();
        CompletableFuture<String> failedOn = outcome.thenApply(o -> Thread.currentThread().getName());
        ex.close();
        assertInstanceOf(Outcome.Failed.class, outcome.getNow(null));
        assertEquals("node closed", ((Outcome.Failed<Integer>) outcome.getNow(null)).reason());
        assertEquals("closing", failedOn.getNow(null));
    }

    @Test
    void tasksAreRefusedBeforeTheStartAndTheExecutorStartsOnce() {
        NodeExecutor ex = NodeExecutor.builder("once").build();
        RejectedExecutionException early = assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertTrue(early.getMessage().contains("not started yet"), early.getMessage());
        ex.start(x -> node(x, A, Map.of()));
        assertThrows(IllegalStateException.class, () -> ex.start(x -> node(x, A, Map.of())));
        ex.close();
        ex.close();
        NodeExecutor never = NodeExecutor.builder("never").build();
        never.close();
        assertTrue(never.isTerminated());
        assertThrows(IllegalStateException.class, () -> never.start(x -> node(x, A, Map.of())));
    }

    @Test
    void aSetupMayHandOverTasksThatRunOnceTheNodeIsUp() throws Exception {
        NodeExecutor ex = NodeExecutor.builder("handing-over").build();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> submitted = new CompletableFuture<>();
        ex.start(x -> {
            x.execute(() -> order.add("task"));
            x.submit(() -> "answer").whenComplete((v, e) -> submitted.complete(v));
            order.add("setup");
            return node(x, A, Map.of());
        });
        assertEquals("answer", submitted.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("setup", "task"), order);
        ex.close();
    }

    @Test
    void tasksHandedOverByASetupThatFailsNeverRunAndTheirFuturesFail() {
        NodeExecutor ex = NodeExecutor.builder("failing-setup").build();
        List<CompletableFuture<String>> futures = new ArrayList<>();
        assertThrows(RuntimeException.class, () -> ex.start(x -> {
            futures.add(x.submit(() -> "never"));
            throw new IllegalStateException("no node today");
        }));
        assertEquals(1, futures.size());
        ExecutionException e = assertThrows(ExecutionException.class, () -> futures.get(0).get(10, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertTrue(ex.isTerminated());
    }

    @Test
    void aFailingSetupEndsTheExecutorAndItsQueuedEnvelopesAreUndelivered() {
        List<Envelope> undelivered = new ArrayList<>();
        NodeExecutor ex = NodeExecutor.builder("broken").undelivered(undelivered::add).build();
        Envelope early = opening(1);
        assertTrue(ex.deliver(early), "envelopes queue up before the start");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.start(x -> {
            throw new IllegalArgumentException("boom");
        }));
        assertEquals("boom", e.getCause().getMessage());
        assertTrue(ex.termination().isDone());
        assertEquals(List.of(early), undelivered);
        assertFalse(ex.deliver(opening(2)), "an ended executor refuses envelopes");
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
    }

    /**
     * Senders hand openings to a responder while its executor closes: each envelope is handled by the node,
     * refused ({@code deliver} false), or handed to the undelivered handler; none is lost in between. Bounded: 400
     * rounds of at most 3,000 envelopes for each of 3 senders.
     */
    @Test
    void everyAcceptedEnvelopeIsHandledOrUndeliveredWhenCloseRaces() throws Exception {
        for (int round = 0; round < 400; round++) {
            AtomicLong handled = new AtomicLong();
            AtomicLong undelivered = new AtomicLong();
            NodeExecutor ex = NodeExecutor.builder("responder-" + round).undelivered(e -> undelivered.incrementAndGet())
                    .build();
            ex.start(x -> {
                ChainNode n = ChainNode.builder(B, 1).clock(x.clock()).scheduler(x.scheduler()).transport(e -> { })
                        .settings(NodeSettings.defaults().withMaxInFlightPerPeer(1_000_000))
                        .build();
                n.register(ASK, (chain, m) -> {
                    handled.incrementAndGet();
                    return ResponderAction.replyAndTerminate(new Answer(0));
                });
                return n;
            });
            int senders = 3;
            long[] accepted = new long[senders];
            List<Thread> threads = new ArrayList<>();
            AtomicLong offered = new AtomicLong();
            for (int s = 0; s < senders; s++) {
                int me = s;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 3_000; i++) {
                        offered.incrementAndGet();
                        if (!ex.deliver(opening(me * 1_000_000L + i + 1))) {
                            return;
                        }
                        accepted[me]++;
                    }
                }));
            }
            threads.forEach(Thread::start);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (offered.get() < 300 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            ex.close();
            for (Thread t : threads) {
                t.join();
            }
            long sum = accepted[0] + accepted[1] + accepted[2];
            assertEquals(sum, handled.get() + undelivered.get(), "round " + round + ": handled " + handled
                    + ", undelivered " + undelivered + ", accepted " + sum);
        }
    }

    @Test
    void timersAndWaitingBelongToTheRightThreads() throws Exception {
        NodeExecutor ex = started("owner", e -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ex.scheduler().schedule(1, () -> { }));
        assertTrue(e.getMessage().contains("timers belong to the executor's thread"), e.getMessage());
        CountDownLatch fired = new CountDownLatch(1);
        ex.execute(() -> ex.scheduler().schedule(0, fired::countDown));
        assertTrue(fired.await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> selfWait = ex.submit(() -> ex.awaitTermination(Duration.ZERO));
        ExecutionException waited = assertThrows(ExecutionException.class, () -> selfWait.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, waited.getCause(), "the executor cannot wait for itself");
        ex.close();
    }

    /** Timeouts too long for a {@code long} of nanoseconds mean no limit, not an overflow into the past. */
    @Test
    void timeoutsTooLongForTheClockMeanNoLimit() throws Exception {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        NodeExecutor ex = NodeExecutor.builder("patient").closeTimeout(forever).timerTick(forever).build();
        ex.start(x -> node(x, A, Map.of()));
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return ex.awaitTermination(forever);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(waited.isDone(), "a running executor is waited for");
        ex.close();
        assertTrue(waited.get(10, TimeUnit.SECONDS));
        assertTrue(ex.awaitTermination(forever));
    }

    @Test
    void badSettingsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> NodeExecutor.builder(" "));
        assertThrows(IllegalArgumentException.class, () -> NodeExecutor.builder("x").timerTick(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> NodeExecutor.builder("x").closeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> NodeExecutor.builder("x").idle(-1, 0));
        NodeExecutor ex = NodeExecutor.builder("null-node").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.start(x -> null));
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertTrue(ex.termination().isDone());
    }

    /** An opening of an {@link #ASK} chain from {@code a} to {@code b} with sequence {@code sequence}. */
    private static Envelope opening(long sequence) {
        return new Envelope(ASK.name(), new ChainId(A, 1, sequence), 0, A, 1, B, 0, EnvelopeKind.STEP,
                new Ask((int) sequence));
    }
}
