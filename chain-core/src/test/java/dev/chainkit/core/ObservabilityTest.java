package dev.chainkit.core;

import static dev.chainkit.core.ChainEventType.COMPLETED;
import static dev.chainkit.core.ChainEventType.HANDLED;
import static dev.chainkit.core.ChainEventType.SENT;
import static dev.chainkit.core.ChainEventType.STARTED;
import static dev.chainkit.core.ChainEventType.TOMBSTONE_EXPIRED;
import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.any;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Promise 10: every lifecycle event reaches the listener, and {@link NodeStats} counts them. */
class ObservabilityTest {

    @Test
    void listenerSeesTheWholeLifeOfACompletedChainOnBothSides() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withDedupWindow(Duration.ofSeconds(1)));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(2000);
        completed(h);

        assertEquals(List.of(STARTED, SENT, HANDLED, SENT, HANDLED, COMPLETED), f.aEvents.typesOf(h.id()));
        assertEquals(List.of(HANDLED, SENT, HANDLED, COMPLETED, SENT, TOMBSTONE_EXPIRED), f.bEvents.typesOf(h.id()));
        assertEquals(List.of(0, 0, 1, 2, 3, 2), f.aEvents.of(h.id()).stream().map(ChainEvent::step).toList());
        assertEquals(List.of(0, 0, 20, 20, 40, 40), f.aEvents.of(h.id()).stream()
                .map(e -> Duration.ofNanos(e.timeNs()).toMillis()).map(Long::intValue).toList(),
                "events carry the node's virtual time");
        for (ChainEvent e : f.aEvents.of(h.id())) {
            assertEquals(A, e.node());
            assertEquals(B, e.peer());
            assertEquals(ChainRole.INITIATOR, e.role());
            assertEquals("haggle", e.protocol());
        }
        for (ChainEvent e : f.bEvents.of(h.id())) {
            assertEquals(B, e.node());
            assertEquals(A, e.peer());
            assertEquals(ChainRole.RESPONDER, e.role());
        }
    }

    @Test
    void statsCountExactlyTheEventsTheListenerSaw() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(3)
                .withDedupWindow(Duration.ofSeconds(5)));
        int[] n = {0};
        f.net.drop(e -> ++n[0] % 4 == 0);
        f.net.duplicate(e -> n[0] % 5 == 0);
        f.buy("pen", 1, HaggleFixture.neverDecide());
        for (int i = 0; i < 6; i++) {
            f.buy("item" + i, i + 1);
        }
        f.net.runMillis(50);
        f.b.supersede(Haggle.PROTOCOL, "pen", c -> new Haggle.Offer("pen", 1));
        f.b.onEnvelope(null);
        f.net.inject(new Envelope("haggle", new ChainId(A, 1, 99), 2, A, 1, B, 0, EnvelopeKind.STEP,
                new Haggle.Accept(1)));
        f.net.runMillis(30_000);

        for (ChainNode node : List.of(f.a, f.b)) {
            EventRecorder events = node == f.a ? f.aEvents : f.bEvents;
            NodeStats stats = node.stats();
            for (ChainEventType type : ChainEventType.values()) {
                assertEquals(events.count(type), stats.count(type), node.id() + " " + type);
            }
            long rejects = stats.rejects().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(stats.count(ChainEventType.REJECTED), rejects);
        }
        NodeStats b = f.b.stats();
        assertTrue(b.count(ChainEventType.DUPLICATE_ANSWERED) > 0, b.toString());
        assertTrue(b.count(ChainEventType.BUSY) > 0, b.toString());
        assertEquals(1, b.count(ChainEventType.SUPERSEDED));
        assertEquals(1, b.rejected(RejectReason.NULL_ENVELOPE));
        assertEquals(1, b.rejected(RejectReason.UNKNOWN_CHAIN));
        assertTrue(f.a.stats().count(ChainEventType.RETRANSMITTED) > 0);
    }

    @Test
    void statsReportTheChainsHeldNow() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, HaggleFixture.deferOffer(decision));
        f.net.runMillis(50);
        assertEquals(1, f.a.stats().initiatorChains());
        assertEquals(1, f.b.stats().responderChains());
        assertEquals(0, f.b.stats().tombstones());

        decision.complete(InitiatorAction.reply(new Haggle.Accept(1)));
        f.net.runMillis(50);
        completed(h);
        assertEquals(0, f.a.stats().initiatorChains());
        assertEquals(0, f.b.stats().responderChains());
        assertEquals(1, f.b.stats().tombstones());
    }

    @Test
    void listenerThatThrowsDoesNotDisturbTheChain() {
        TestNetwork net = new TestNetwork();
        List<ChainEvent> seen = new ArrayList<>();
        ChainNode a = net.attach(net.builder(A, 1).settings(SETTINGS).listener(e -> {
            seen.add(e);
            throw new IllegalStateException("listener bug");
        }).build());
        ChainNode b = net.attach(net.builder(B, 1).settings(SETTINGS).build());
        b.register(Haggle.PROTOCOL, new Seller());
        ChainHandle<String> h = a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));
        net.runMillis(100);

        completed(h);
        assertEquals(6, seen.size());
        assertEquals(1, a.stats().count(COMPLETED));
    }

    @Test
    void everyEnvelopeOnTheWireIsReportedAsSentRetransmittedOrDuplicateAnswered() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(e -> e.step() < 2 && f.net.count(any()) % 2 == 1);
        for (int i = 0; i < 5; i++) {
            f.buy("item" + i, 1);
        }
        // A step of a chain b never heard of: b answers it with an engine-made ABORTED.
        f.net.inject(new Envelope("haggle", new ChainId(A, 1, 99), 2, A, 1, B, 0, EnvelopeKind.STEP,
                new Haggle.Accept(1)));
        f.net.runMillis(20_000);
        assertEquals(1, f.net.count(TestNetwork.kind(EnvelopeKind.ABORTED)));

        long reported = 0;
        for (ChainNode node : List.of(f.a, f.b)) {
            NodeStats s = node.stats();
            reported += s.count(SENT) + s.count(ChainEventType.RETRANSMITTED)
                    + s.count(ChainEventType.DUPLICATE_ANSWERED);
        }
        assertEquals(f.net.sentLog().size(), reported);
    }
}
