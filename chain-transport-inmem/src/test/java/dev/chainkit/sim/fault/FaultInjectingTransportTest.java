package dev.chainkit.sim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainEventType;
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
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.VirtualTime;
import dev.chainkit.runtime.NodeExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault wrapper on plain transports, outside the simulator: on virtual time, and on real threads. */
class FaultInjectingTransportTest {

    sealed interface Msg permits Ask, Answer { }

    record Ask(int n) implements Msg { }

    record Answer(int n) implements Msg { }

    static final Protocol<Msg> ASK = Protocol.of("ask", Msg.class, 2);

    private static final long MS = 1_000_000L;
    private static final NodeId CLIENT = NodeId.of("client");
    private static final NodeId SERVER = NodeId.of("server");
    private static final NodeSettings FIXED = NodeSettings.defaults().withRetryPolicy(RetryPolicy.builder()
            .withInitialDelay(Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(100)).withJitter(0).build());

    /** Two nodes on one virtual clock, each sending through a fault wrapper around a plain delivering transport. */
    private static final class OnVirtualTime {
        final VirtualTime time = new VirtualTime();
        final NetworkFaults faults;
        final Map<NodeId, ChainNode> nodes = new HashMap<>();
        final List<String> decisions = new ArrayList<>();
        final List<Long> handledAtNs = new ArrayList<>();

        OnVirtualTime(NetworkFaults faults) {
            this.faults = faults;
            Transport deliver = e -> time.schedule(0, () -> nodes.get(e.receiver()).onEnvelope(e));
            for (NodeId id : List.of(CLIENT, SERVER)) {
                FaultInjectingTransport wrapped = FaultInjectingTransport.builder(deliver, faults).clock(time)
                        .scheduler(time).random(new SplittableRandom(id.name().hashCode()))
                        .observer((e, d) -> decisions.add(e.messageKind() + " " + d.drop() + " x" + d.copies()))
                        .build();
                nodes.put(id, ChainNode.builder(id, 1).settings(FIXED).clock(time).scheduler(time)
                        .transport(wrapped).build());
            }
            nodes.get(SERVER).register(ASK, (chain, m) -> {
                handledAtNs.add(time.nanoTime());
                return ResponderAction.replyAndTerminate(new Answer(((Ask) m).n() * 2));
            });
        }

        CompletableFuture<Outcome<Integer>> ask(int n) {
            return nodes.get(CLIENT).start(ASK, SERVER, new Ask(n),
                    (chain, reply) -> InitiatorAction.<Msg, Integer>complete(((Answer) reply).n())).outcome();
        }
    }

    @Test
    void rulesDropDelayAndDuplicateInFrontOfAPlainTransport() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLatency(Duration.ofMillis(5)));
        faults.addRule(FaultRule.drop(1, "Ask", CLIENT, SERVER));
        faults.addRule(FaultRule.delay(1, "Answer", SERVER, CLIENT, Duration.ofMillis(300)));
        faults.addRule(FaultRule.duplicate(1, "Ask", CLIENT, SERVER));
        OnVirtualTime net = new OnVirtualTime(faults);
        CompletableFuture<Outcome<Integer>> outcome = net.ask(21);
        net.time.advanceBy(Duration.ofSeconds(1));
        assertEquals(new Outcome.Completed<>(42), outcome.join());
        assertEquals(List.of("Ask RULE x0", "Ask NONE x2", "Answer NONE x1", "Answer NONE x1"), net.decisions,
                "the first ask dropped; its retransmission duplicated; the first answer held 300 ms, so the"
                        + " duplicate's cached answer arrives first");
        assertEquals(List.of(105 * MS), net.handledAtNs, "handled once, when the retransmission arrived");
        assertEquals(1, net.nodes.get(SERVER).stats().count(ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(List.of(), faults.rules());
    }

    @Test
    void aPartitionCutsTheWrappedLinkUntilHeal() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLatency(Duration.ofMillis(5)));
        faults.partition(Set.of(CLIENT), Set.of(SERVER));
        OnVirtualTime net = new OnVirtualTime(faults);
        CompletableFuture<Outcome<Integer>> outcome = net.ask(1);
        net.time.advanceBy(Duration.ofMillis(450));
        assertFalse(outcome.isDone());
        assertTrue(net.decisions.stream().allMatch(d -> d.equals("Ask PARTITION x0")), net.decisions.toString());
        faults.heal();
        net.time.advanceBy(Duration.ofSeconds(1));
        assertEquals(new Outcome.Completed<>(2), outcome.join());
    }

    @Test
    void aCopyHeldForeverIsNeverHandedOverNorScheduled() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable()
                .withLatency(Duration.ofNanos(Long.MAX_VALUE)));
        VirtualTime time = new VirtualTime(1);
        List<Envelope> handedOver = new ArrayList<>();
        FaultInjectingTransport t = FaultInjectingTransport.builder(handedOver::add, faults).clock(time)
                .scheduler(time).random(new SplittableRandom(1)).build();
        t.send(new Envelope("ask", new ChainId(CLIENT, 1, 1), 0, CLIENT, 1, SERVER, 0,
                EnvelopeKind.STEP, new Ask(1)));
        assertFalse(time.hasPendingTasks(), "nothing scheduled for never");
        assertEquals(List.of(), handedOver);
    }

    /**
     * Nodes on two {@link NodeExecutor} threads share one {@link NetworkFaults}, each wrapper drawing from its own
     * seeded generator: random loss and duplication plus a drop rule, and every chain completes with each request
     * handled once; the rule dropped exactly its count. (The seeds fix the draws, not the interleaving of threads.)
     */
    @Test
    @Timeout(60)
    void sharedFaultsInFrontOfNodesOnRealThreads() throws Exception {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable().withLoss(0.2).withDuplicate(0.1)
                .withLatency(Duration.ZERO, Duration.ofMillis(2)));
        faults.addRule(FaultRule.drop(50, "Ask", CLIENT, SERVER));
        Map<NodeId, NodeExecutor> executors = new ConcurrentHashMap<>();
        AtomicLong ruleDrops = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        ChainNode[] client = new ChainNode[1];
        for (NodeId id : List.of(CLIENT, SERVER)) {
            NodeExecutor ex = NodeExecutor.builder("faulty-" + id.name()).build();
            executors.put(id, ex);
        }
        for (NodeId id : List.of(CLIENT, SERVER)) {
            NodeExecutor ex = executors.get(id);
            ex.start(x -> {
                FaultInjectingTransport wrapped = FaultInjectingTransport.builder(
                        e -> executors.get(e.receiver()).deliver(e), faults)
                        .clock(x.clock()).scheduler(x.scheduler()).random(new SplittableRandom(id.name().hashCode()))
                        .observer((e, d) -> {
                            if (d.drop() == FaultDecision.Drop.RULE) {
                                ruleDrops.incrementAndGet();
                            }
                        }).build();
                ChainNode n = ChainNode.builder(id, 1).settings(FIXED).clock(x.clock()).scheduler(x.scheduler())
                        .transport(wrapped).build();
                if (id.equals(SERVER)) {
                    n.register(ASK, (chain, m) -> {
                        handled.incrementAndGet();
                        return ResponderAction.replyAndTerminate(new Answer(((Ask) m).n()));
                    });
                } else {
                    client[0] = n;
                }
                return n;
            });
        }
        int chains = 300;
        List<CompletableFuture<Outcome<Integer>>> outcomes = executors.get(CLIENT).submit(() -> {
            List<CompletableFuture<Outcome<Integer>>> started = new ArrayList<>();
            for (int i = 0; i < chains; i++) {
                started.add(client[0].start(ASK, SERVER, new Ask(i),
                        (chain, reply) -> InitiatorAction.<Msg, Integer>complete(((Answer) reply).n())).outcome());
            }
            return started;
        }).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < chains; i++) {
            assertEquals(new Outcome.Completed<>(i), outcomes.get(i).get(30, TimeUnit.SECONDS));
        }
        assertEquals(chains, handled.get(), "each request handled once despite loss and duplicates");
        assertEquals(50, ruleDrops.get());
        executors.values().forEach(NodeExecutor::close);
    }

    @Test
    void aWrapperNeedsTheNodesClockSchedulerAndRandomSource() {
        NetworkFaults faults = new NetworkFaults(NetworkConfig.reliable());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FaultInjectingTransport.builder(x -> { }, faults).clock(() -> 0).build());
        assertEquals("a fault-injecting transport needs scheduler, random (the node's own, from its builder)",
                e.getMessage());
        assertThrows(NullPointerException.class, () -> FaultInjectingTransport.builder(null, faults));
    }
}
