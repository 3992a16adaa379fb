package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.neverDecide;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.chain;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.kind;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import org.junit.jupiter.api.Test;

/** Promise 7: envelopes to an old incarnation of this node, or from an old incarnation of a peer, are refused. */
class IncarnationTest {

    @Test
    void stepAddressedToTheResponderOldIncarnationIsRejectedAndTheChainAborted() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Accept.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(25); // the Offer of b#1 arrived, the Accept to b#1 was lost

        // b restarts as incarnation 2; it has never heard of the chain.
        f.b.close();
        EventRecorder events = new EventRecorder();
        Seller seller = new Seller();
        ChainNode b2 = f.net.attach(f.net.builder(B, 2).settings(SETTINGS).listener(events).build());
        b2.register(Haggle.PROTOCOL, seller);
        f.net.runMillis(1000);

        assertEquals(1, b2.stats().rejected(RejectReason.STALE_RECEIVER));
        assertEquals(0, seller.calls.total(), "the new incarnation never runs the old chain's step");
        assertTrue(events.events.stream().anyMatch(e -> e.type() == ChainEventType.REJECTED
                && e.detail().startsWith("STALE_RECEIVER")));
        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("restarted"), o.toString());
        Envelope abort = f.net.sent(kind(EnvelopeKind.ABORTED)).get(0);
        assertEquals(2, abort.senderIncarnation());
        assertEquals(3, abort.step());
    }

    @Test
    void replyAddressedToTheInitiatorOldIncarnationIsRejected() {
        TestNetwork net = new TestNetwork();
        ChainNode a2 = net.attach(net.builder(A, 2).settings(SETTINGS).build());
        ChainId oldChain = new ChainId(A, 1, 1);

        net.inject(new Envelope("haggle", oldChain, 1, B, 1, A, 1, EnvelopeKind.STEP, new Offer("pen", 1)));
        net.runMillis(1);

        assertEquals(1, a2.stats().rejected(RejectReason.STALE_RECEIVER));
        assertEquals(0, net.count(from(A)));
    }

    @Test
    void requestFromAnOldIncarnationOfThePeerIsRejectedOnceANewerOneWasSeen() {
        HaggleFixture f = new HaggleFixture();
        f.net.hold(from(A));
        ChainHandle<String> old = f.buy("pen", 1);
        f.net.runMillis(1);
        f.net.heal();

        // a restarts as incarnation 2 and opens a chain, which b answers.
        f.a.close();
        Calls calls = new Calls();
        ChainNode a2 = f.net.attach(f.net.builder(A, 2).settings(SETTINGS).build());
        ChainHandle<String> fresh = a2.start(Haggle.PROTOCOL, B, new Ask("pen", 2), new Buyer(calls));
        f.net.runMillis(100);
        completed(fresh);
        assertEquals(old.id().sequence(), fresh.id().sequence(), "sequences restart at 1 in a new incarnation");
        assertNotEquals(old.id(), fresh.id());

        // The old incarnation's delayed opening finally arrives.
        assertEquals(1, f.net.releaseAll());
        f.net.runMillis(100);
        assertEquals(1, f.b.stats().rejected(RejectReason.STALE_SENDER));
        assertEquals(0, f.seller.calls.count(old.id()));
        assertEquals(1, f.seller.calls.count(fresh.id(), 0));
    }

    @Test
    void replyFromAnOldIncarnationOfThePeerIsRejectedOnceANewerOneWasSeen() {
        HaggleFixture f = new HaggleFixture();
        f.net.hold(payload(Offer.class)).times(1);
        ChainHandle<String> first = f.buy("pen", 1, neverDecide());
        f.net.runMillis(15);

        f.b.close();
        ChainNode b2 = f.net.attach(f.net.builder(B, 2).settings(SETTINGS).build());
        b2.register(Haggle.PROTOCOL, new Seller());
        ChainHandle<String> second = f.buy("ink", 1);
        f.net.runMillis(200);
        completed(second);
        // b#2 answered the first chain's retransmitted Ask as a new chain: that reply was handled.
        assertEquals(1, f.buyerCalls.count(first.id(), 1));

        f.net.releaseAll(); // b#1's Offer for the first chain, long overtaken
        f.net.runMillis(20);
        assertEquals(1, f.a.stats().rejected(RejectReason.STALE_SENDER));
        assertEquals(1, f.buyerCalls.count(first.id(), 1), "the old incarnation's reply never reached the handler");
    }

    /**
     * Found by the tournament sync's property sweep (seed 67444): a late copy of a chain's opening reached the
     * responder's next incarnation, whose answer to that old step was counted as the peer breaking the protocol.
     */
    @Test
    void anAnswerToAnOldStepFromTheResponderNextIncarnationIsStaleNotAViolation() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Accept.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(25); // b#1 offered, a accepted, the Accept was lost: a waits for step 3 from b#1

        f.b.close();
        ChainNode b2 = f.net.attach(f.net.builder(B, 2).settings(SETTINGS).build());
        b2.register(Haggle.PROTOCOL, new Seller());
        // b#2 met a late copy of the opening and answered it as new: its Offer is step 1, long past.
        f.net.inject(new Envelope("haggle", h.id(), 1, B, 2, A, 1, EnvelopeKind.STEP, new Offer("pen", 1)));
        f.net.runMillis(1000);

        assertEquals(0, f.a.stats().count(ChainEventType.VIOLATION));
        assertEquals(1, f.aEvents.count(ChainEventType.STALE_IGNORED));
        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("restarted"),
                "the retransmitted Accept reached b#2, which aborted the chain: " + o);
    }

    @Test
    void newIncarnationOfAPeerClearsTheChainsHeldForItsOldOne() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(2));
        f.buy("pen", 1, neverDecide());
        f.buy("ink", 1, neverDecide());
        f.net.runMillis(50);
        assertEquals(2, f.b.stats().responderChains());

        f.a.close();
        ChainNode a2 = f.net.attach(f.net.builder(A, 2).settings(SETTINGS).build());
        Calls calls = new Calls();
        ChainHandle<String> h1 = a2.start(Haggle.PROTOCOL, B, new Ask("cap", 1), new Buyer(calls, neverDecide()));
        ChainHandle<String> h2 = a2.start(Haggle.PROTOCOL, B, new Ask("box", 1), new Buyer(calls, neverDecide()));
        f.net.runMillis(50);

        assertEquals(2, f.b.stats().responderChains(), "the old incarnation's two chains are gone");
        assertEquals(0, f.b.stats().count(ChainEventType.BUSY), "and no longer count against the cap");
        assertEquals(1, calls.count(h1.id(), 1));
        assertEquals(1, calls.count(h2.id(), 1));
    }

    @Test
    void chainIdsOfARestartedInitiatorAreNeverConfusedWithOldOnes() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> old = f.buy("pen", 1);
        f.net.runMillis(100);
        completed(old);

        f.a.close();
        Calls calls = new Calls();
        ChainNode a2 = f.net.attach(f.net.builder(A, 2).settings(SETTINGS).build());
        ChainHandle<String> fresh = a2.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(calls));
        f.net.runMillis(100);

        assertEquals(new ChainId(A, 2, 1), fresh.id());
        completed(fresh);
        assertEquals(1, f.seller.calls.count(fresh.id(), 0), "a new chain, not a duplicate of the old tombstone");
        assertEquals(0, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(0, f.net.count(chain(fresh.id()).and(kind(EnvelopeKind.ABORTED))));
    }

    /**
     * Issue 10: a peer's restart cost a scan of every tombstone (4.2 ms per envelope with 1M tombstones). Now the
     * node drops the restarted peer's chains through the peer's own list and leaves its old tombstones to expire:
     * every envelope of the old incarnation is refused before a tombstone is consulted, so none is ever read again.
     */
    @Test
    void aPeersRestartLeavesItsOldTombstonesToExpireInsteadOfSearchingForThem() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withDedupWindow(java.time.Duration.ofSeconds(3)));
        ChainNode c = f.net.attach(f.net.builder(TestNetwork.C, 1).settings(SETTINGS).build());
        for (int i = 0; i < 20; i++) {
            f.buy("item" + i, 1);
            c.start(Haggle.PROTOCOL, B, new Ask("item" + i, 1), new Buyer(new Calls()));
        }
        f.buy("held", 1, neverDecide());
        f.net.runMillis(200);
        assertEquals(40, f.b.stats().tombstones());
        assertEquals(1, f.b.stats().responderChains());
        Envelope oldAccept = f.net.sent(payload(Accept.class)).get(0);

        f.a.close();
        ChainNode a2 = f.net.attach(f.net.builder(A, 2).settings(SETTINGS).build());
        ChainHandle<String> fresh = a2.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));
        f.net.runMillis(100);
        completed(fresh);
        assertEquals(0, f.b.stats().responderChains(), "the old incarnation's chain is dropped");
        assertEquals(41, f.b.stats().tombstones(), "its tombstones stay, unread, until they expire");

        int before = f.seller.calls.total();
        f.net.inject(oldAccept); // a late duplicate of the old incarnation: refused before any tombstone is read
        f.net.runMillis(10);
        assertEquals(1, f.b.stats().rejected(RejectReason.STALE_SENDER));
        assertEquals(before, f.seller.calls.total());
        f.net.runMillis(3_000);
        assertEquals(0, f.b.stats().tombstones());
    }
}
