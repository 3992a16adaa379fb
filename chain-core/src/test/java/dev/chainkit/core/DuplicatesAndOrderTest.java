package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.any;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Promises 2 and 4: each step reaches its handler at most once; old steps are ignored; skipping ahead is refused. */
class DuplicatesAndOrderTest {

    @Test
    void duplicateRequestRunsTheHandlerOnceAndGetsTheSameReply() {
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(payload(Ask.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 2);
        f.net.runMillis(1000);

        completed(h);
        assertEquals(1, f.seller.calls.count(h.id(), 0));
        List<Envelope> offers = f.net.sent(payload(Offer.class));
        assertEquals(2, offers.size(), "the first from the handler, the second from the reply cache");
        assertEquals(offers.get(0), offers.get(1));
        assertEquals(1, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(1, f.buyerCalls.count(h.id(), 1), "the initiator ignores the duplicated Offer");
        assertEquals(1, f.a.stats().count(ChainEventType.STALE_IGNORED));
    }

    @Test
    void retransmittedRequestIsAnsweredFromTheReplyCache() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Offer.class)).times(2);
        ChainHandle<String> h = f.buy("pen", 2);
        f.net.runMillis(1000);

        completed(h);
        assertEquals(3, f.net.delivered(payload(Ask.class)).size());
        assertEquals(1, f.seller.calls.count(h.id(), 0));
        assertEquals(2, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(2, f.b.stats().count(ChainEventType.HANDLED), "HANDLED for steps 0 and 2 only");
    }

    @Test
    void duplicateTerminalReplyIsIgnoredByTheInitiator() {
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(payload(Done.class));
        ChainHandle<String> h = f.buy("pen", 2);
        f.net.runMillis(1000);

        completed(h);
        assertEquals(1, f.buyerCalls.count(h.id(), 3));
        assertEquals(1, f.a.stats().count(ChainEventType.COMPLETED));
        assertEquals(1, f.aEvents.count(ChainEventType.STALE_IGNORED));
    }

    @Test
    void olderStepIsIgnoredByTheResponder() {
        HaggleFixture f = new HaggleFixture();
        f.net.hold(payload(Accept.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 2);
        f.net.runMillis(25);
        Envelope ask = f.net.sent(payload(Ask.class)).get(0);
        f.net.releaseAll();
        f.net.runMillis(10);
        assertEquals(2, f.seller.calls.count(h.id()), "Ask and Accept handled, the chain is in its tombstone");

        f.net.inject(ask);
        f.net.runMillis(1);

        assertEquals(1, f.seller.calls.count(h.id(), 0));
        assertEquals(1, f.b.stats().count(ChainEventType.STALE_IGNORED));
        assertEquals(0, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED), "nothing is sent for an old step");
    }

    @Test
    void olderStepOfAnInFlightChainIsIgnored() {
        // The seller answers Accept with a non-terminal message only if it is allowed more steps; use 6.
        Protocol<Haggle> sixSteps = new ForwardingProtocol(Haggle.PROTOCOL, 6);
        TestNetwork net = new TestNetwork();
        Seller seller = new Seller().behave((c, m) -> m instanceof Ask a
                ? ResponderAction.reply(new Offer(a.item(), 1)) : ResponderAction.reply(new Offer("again", 2)));
        ChainNode b = net.attach(net.builder(B, 1).build());
        b.register(sixSteps, seller);
        ChainId id = new ChainId(A, 1, 1);
        Envelope ask = new Envelope("haggle", id, 0, A, 1, B, 0, EnvelopeKind.STEP, new Ask("pen", 1));
        net.inject(ask);
        net.inject(new Envelope("haggle", id, 2, A, 1, B, 1, EnvelopeKind.STEP, new Accept(1)));
        net.runMillis(1);
        net.inject(ask);
        net.runMillis(1);

        assertEquals(1, seller.calls.count(id, 0));
        assertEquals(1, seller.calls.count(id, 2));
        assertEquals(1, b.stats().count(ChainEventType.STALE_IGNORED));
        assertEquals(2, net.count(from(B)), "no answer to the old step");
    }

    @Test
    void stepThatSkipsAheadIsAViolationAndIsNeverApplied() {
        Protocol<Haggle> sixSteps = new ForwardingProtocol(Haggle.PROTOCOL, 6);
        TestNetwork net = new TestNetwork();
        EventRecorder events = new EventRecorder();
        Seller seller = new Seller();
        ChainNode b = net.attach(net.builder(B, 1).listener(events).build());
        b.register(sixSteps, seller);
        ChainId id = new ChainId(A, 1, 1);
        net.inject(new Envelope("haggle", id, 0, A, 1, B, 0, EnvelopeKind.STEP, new Ask("pen", 1)));
        net.runMillis(1);
        Envelope offer = net.sent(any()).get(0);

        net.inject(new Envelope("haggle", id, 4, A, 1, B, 1, EnvelopeKind.STEP, new Accept(1)));
        net.runMillis(1);

        assertEquals(0, seller.calls.count(id, 4));
        assertEquals(1, b.stats().count(ChainEventType.VIOLATION));
        assertEquals(1, events.count(ChainEventType.VIOLATION));
        assertEquals(1, net.count(from(B)), "nothing answered the skipping step");
        assertTrue(b.hasResponderChains(), "the chain is untouched");

        // The chain still accepts its real next step, and its latest step is still 0.
        net.inject(new Envelope("haggle", id, 0, A, 1, B, 0, EnvelopeKind.STEP, new Ask("pen", 1)));
        net.runMillis(1);
        assertEquals(offer, net.sent(any()).get(1), "a duplicate of step 0 still gets the cached reply");
        net.inject(new Envelope("haggle", id, 2, A, 1, B, 1, EnvelopeKind.STEP, new Accept(10)));
        net.runMillis(1);
        assertEquals(1, seller.calls.count(id, 2));
        assertFalse(b.hasResponderChains());
    }

    @Test
    void replyThatSkipsAheadIsAViolationAndIsNeverApplied() {
        TestNetwork net = new TestNetwork();
        Calls calls = new Calls();
        ChainNode a = net.attach(net.builder(A, 1).settings(HaggleFixture.SETTINGS).build());
        ChainHandle<String> h = a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(calls));

        net.inject(new Envelope("haggle", h.id(), 3, B, 1, A, 1, EnvelopeKind.TERMINAL, new Done("forged")));
        net.runMillis(1);

        assertEquals(0, calls.total());
        assertEquals(1, a.stats().count(ChainEventType.VIOLATION));
        assertFalse(h.outcome().isDone());

        net.inject(new Envelope("haggle", h.id(), 1, B, 1, A, 1, EnvelopeKind.STEP, new Offer("pen", 10)));
        net.runMillis(1);
        assertEquals(1, calls.count(h.id(), 1), "the real next step is still accepted");
    }

    @Test
    void reorderedDeliveryStillHandlesEveryStepOnce() {
        HaggleFixture f = new HaggleFixture();
        // Hold the first Offer of every chain, so that retransmitted Asks and cached Offers overtake it.
        f.net.hold(payload(Offer.class)).times(3);
        ChainHandle<String> h1 = f.buy("pen", 1);
        ChainHandle<String> h2 = f.buy("ink", 2);
        ChainHandle<String> h3 = f.buy("cap", 3);
        f.net.runMillis(250);
        assertEquals(3, f.net.held().size());
        f.net.releaseAll();
        f.net.runMillis(1000);

        for (ChainHandle<String> h : List.of(h1, h2, h3)) {
            completed(h);
            assertEquals(1, f.seller.calls.count(h.id(), 0));
            assertEquals(1, f.seller.calls.count(h.id(), 2));
            assertEquals(1, f.buyerCalls.count(h.id(), 1));
            assertEquals(1, f.buyerCalls.count(h.id(), 3));
        }
        assertTrue(f.seller.calls.eachAtMostOnce() && f.buyerCalls.eachAtMostOnce());
    }

    @Test
    void duplicatingEveryEnvelopeStillHandlesEveryStepOnce() {
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(any());
        ChainHandle<String> h1 = f.buy("pen", 1);
        ChainHandle<String> h2 = f.buy("pen", 2);
        f.net.runMillis(1000);

        completed(h1);
        completed(h2);
        assertEquals(4, f.seller.calls.total());
        assertEquals(4, f.buyerCalls.total());
        assertTrue(f.seller.calls.eachAtMostOnce() && f.buyerCalls.eachAtMostOnce());
    }

    /** A protocol like {@code delegate} with another step bound. */
    record ForwardingProtocol(Protocol<Haggle> delegate, int steps) implements Protocol<Haggle> {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Class<Haggle> messageType() {
            return delegate.messageType();
        }

        @Override
        public int maxSteps(Haggle opening) {
            return steps;
        }

        @Override
        public Object subjectOf(Haggle opening) {
            return delegate.subjectOf(opening);
        }
    }
}
