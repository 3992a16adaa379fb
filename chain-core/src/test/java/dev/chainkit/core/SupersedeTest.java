package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.neverDecide;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.chain;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.kind;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Promise 6: the responder's supersede and the initiator's supersede-older. */
class SupersedeTest {

    private static final Offer LATEST = new Offer("pen", 999);

    @Test
    void responderSupersedeEndsEveryInFlightChainOnTheSubject() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> pen1 = f.buy("pen", 1, neverDecide());
        ChainHandle<String> pen2 = f.buy("pen", 2, neverDecide());
        ChainHandle<String> ink = f.buy("ink", 1, neverDecide());
        f.net.runMillis(50);
        assertEquals(3, f.b.stats().responderChains());

        List<ChainId> seen = new java.util.ArrayList<>();
        int n = f.b.supersede(Haggle.PROTOCOL, "pen", chain -> {
            seen.add(chain.id());
            return LATEST;
        });
        f.net.runMillis(50);

        assertEquals(2, n);
        assertEquals(List.of(pen1.id(), pen2.id()), seen);
        for (ChainHandle<String> h : List.of(pen1, pen2)) {
            assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.RESPONDER, LATEST), outcome(h));
        }
        assertFalse(ink.outcome().isDone(), "another subject is untouched");
        assertEquals(1, f.b.stats().responderChains());
        assertEquals(2, f.b.stats().count(ChainEventType.SUPERSEDED));
        assertEquals(2, f.a.stats().count(ChainEventType.SUPERSEDED));
        List<Envelope> pushed = f.net.sent(kind(EnvelopeKind.SUPERSEDED));
        assertEquals(2, pushed.size());
        assertTrue(pushed.stream().allMatch(e -> e.step() == 1 && e.payload().equals(LATEST)));
    }

    @Test
    void supersededChainAnswersEveryLaterMessageWithTheSameReply() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Accept.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(25); // the Offer arrived at 20 ms, the Accept was lost
        f.b.supersede(Haggle.PROTOCOL, "pen", chain -> LATEST);
        f.net.runMillis(20);
        assertFalse(h.outcome().isDone(), "the pushed reply is for step 1; the initiator is at step 2");

        f.net.runMillis(200); // the Accept is retransmitted at 120 ms and answered from the tombstone
        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.RESPONDER, LATEST), outcome(h));
        assertEquals(0, f.seller.calls.count(h.id(), 2), "the handler never sees a superseded chain's message");

        Envelope ask = f.net.sent(payload(Ask.class)).get(0);
        f.net.inject(ask);
        f.net.runMillis(1);
        List<Envelope> superseded = f.net.sent(kind(EnvelopeKind.SUPERSEDED));
        assertEquals(List.of(1, 3, 1), superseded.stream().map(Envelope::step).toList());
        assertTrue(superseded.stream().allMatch(e -> e.payload().equals(LATEST)));
        assertEquals(1, f.seller.calls.count(h.id()));
    }

    @Test
    void supersedeIgnoresChainsWithoutASubjectAndOtherProtocols() {
        Protocol<Haggle> noSubject = Protocol.of("plain", Haggle.class, 4);
        HaggleFixture f = new HaggleFixture();
        f.b.register(noSubject, new Seller());
        f.a.start(noSubject, B, new Ask("pen", 1), new Buyer(new Calls(), neverDecide()));
        f.buy("pen", 1, neverDecide());
        f.net.runMillis(50);

        assertEquals(0, f.b.supersede(noSubject, "pen", c -> LATEST));
        assertEquals(1, f.b.supersede(Haggle.PROTOCOL, "pen", c -> LATEST));
        assertEquals(1, f.b.stats().responderChains());
    }

    @Test
    void initiatorSupersedesItsOwnOlderChainsOnTheSameSubject() {
        HaggleFixture f = new HaggleFixture();
        f.net.hold(payload(Offer.class)).times(1);
        ChainHandle<String> older = f.buy("pen", 1);
        ChainHandle<String> otherSubject = f.buy("ink", 1);
        f.net.runMillis(15);

        ChainHandle<String> newer = f.a.start(Haggle.PROTOCOL, B, new Ask("pen", 2), new Buyer(f.buyerCalls), true);

        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.INITIATOR, null), outcome(older),
                "ended at once, before any time passed");
        assertEquals(1, f.a.stats().count(ChainEventType.SUPERSEDED));
        f.net.releaseAll();
        f.net.runMillis(1000);

        assertEquals(0, f.buyerCalls.count(older.id()), "the older chain's late reply is ignored");
        assertTrue(f.aEvents.of(older.id()).stream().anyMatch(e -> e.type() == ChainEventType.STALE_IGNORED));
        assertEquals(0, f.net.count(chain(older.id()).and(payload(Accept.class))));
        completed(newer);
        completed(otherSubject);
    }

    @Test
    void startWithoutSupersedeLeavesOlderChainsAlone() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> older = f.buy("pen", 1);
        ChainHandle<String> newer = f.a.start(Haggle.PROTOCOL, B, new Ask("pen", 2), new Buyer(f.buyerCalls), false);
        f.net.runMillis(100);
        completed(older);
        completed(newer);
    }

    @Test
    void supersedeOlderOnlyTouchesChainsTowardTheSamePeer() {
        HaggleFixture f = new HaggleFixture();
        ChainNode c = f.net.attach(f.net.builder(TestNetwork.C, 1).settings(SETTINGS).build());
        c.register(Haggle.PROTOCOL, new Seller());
        ChainHandle<String> toC = f.a.start(Haggle.PROTOCOL, TestNetwork.C, new Ask("pen", 1),
                new Buyer(f.buyerCalls));
        ChainHandle<String> toB = f.a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(f.buyerCalls), true);
        f.net.runMillis(100);
        completed(toC);
        completed(toB);
    }

    @Test
    void supersedeFromInsideTheResponderHandlerSparesItsOwnChainAndEndsEachChainOnce() {
        // A handler whose message changed the state supersedes the other chains on that subject; its own chain,
        // which is answering already, is spared. Before that, the handler's chain ended twice (a SUPERSEDED, then
        // its own reply) and the per-peer in-flight count went below zero, breaking the busy cap.
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(2));
        AtomicReference<ChainNode> node = new AtomicReference<>(f.b);
        int[] superseded = {-1};
        f.seller.behave((chain, m) -> {
            if (m instanceof Ask a && a.quantity() == 7) {
                superseded[0] = node.get().supersede(Haggle.PROTOCOL, a.item(), c -> LATEST);
            }
            return Seller.standard(chain, m);
        });
        ChainHandle<String> waiting = f.buy("pen", 1, neverDecide());
        f.net.runMillis(15);
        ChainHandle<String> changer = f.buy("pen", 7);
        f.net.runMillis(1000);

        assertEquals(1, superseded[0]);
        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.RESPONDER, LATEST), outcome(waiting));
        completed(changer);
        assertEquals(0, f.net.count(chain(changer.id()).and(kind(EnvelopeKind.SUPERSEDED))));
        long ends = f.bEvents.of(changer.id()).stream()
                .filter(e -> e.type() == ChainEventType.COMPLETED || e.type() == ChainEventType.SUPERSEDED
                        || e.type() == ChainEventType.FAILED).count();
        assertEquals(1, ends, "the chain ended once");
        assertFalse(f.b.hasResponderChains());

        // The cap of 2 still holds: two chains in flight, the third is busy.
        f.buy("ink", 1, neverDecide());
        f.buy("cap", 1, neverDecide());
        ChainHandle<String> third = f.buy("box", 1);
        f.net.runMillis(100);
        assertTrue(outcome(third) instanceof Outcome.Failed<String> fl && fl.reason().startsWith("busy"),
                outcome(third).toString());
    }

    @Test
    void startWithSupersedeFromInsideTheInitiatorHandlerEndsTheOldChainOnce() {
        // Regression: the handler's answer used to be applied to the chain its own start had just superseded:
        // it sent the Accept of an ended chain (so the responder ran step 2 for it) and ended the chain twice.
        HaggleFixture f = new HaggleFixture();
        AtomicReference<ChainHandle<String>> restarted = new AtomicReference<>();
        ChainHandle<String> first = f.buy("pen", 1, (chain, reply) -> {
            if (reply instanceof Offer) {
                restarted.set(f.a.start(Haggle.PROTOCOL, B, new Ask("pen", 2), new Buyer(f.buyerCalls), true));
            }
            return Buyer.standard(chain, reply);
        });
        f.net.runMillis(1000);

        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.INITIATOR, null), outcome(first));
        assertEquals(0, f.net.count(chain(first.id()).and(payload(Accept.class))),
                "the superseded chain sends nothing more");
        assertEquals(1, f.aEvents.of(first.id()).stream()
                .filter(e -> e.type() == ChainEventType.SUPERSEDED || e.type() == ChainEventType.COMPLETED
                        || e.type() == ChainEventType.FAILED).count());
        completed(restarted.get());
    }

    @Test
    void supersedeDuringADeferredDecisionEndsTheChainAndTheLateDecisionIsIgnored() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, HaggleFixture.deferOffer(decision));
        f.net.runMillis(50);
        f.b.supersede(Haggle.PROTOCOL, "pen", c -> LATEST);
        f.net.runMillis(50);
        Outcome<String> superseded = outcome(h);
        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.RESPONDER, LATEST), superseded);

        decision.complete(InitiatorAction.reply(new Accept(10)));
        f.net.runMillis(1000);
        assertSame(superseded, outcome(h));
        assertEquals(0, f.net.count(payload(Accept.class)), "the late decision sends nothing");
        assertEquals(0, f.seller.calls.count(h.id(), 2));
    }

    @Test
    void supersedeWithNothingInFlightReturnsZero() {
        HaggleFixture f = new HaggleFixture();
        completedAfterRun(f, f.buy("pen", 1));
        assertEquals(0, f.b.supersede(Haggle.PROTOCOL, "pen", c -> LATEST));
        assertEquals(0, f.net.count(kind(EnvelopeKind.SUPERSEDED)));
    }

    private static void completedAfterRun(HaggleFixture f, ChainHandle<String> h) {
        f.net.runMillis(100);
        completed(h);
    }
}
