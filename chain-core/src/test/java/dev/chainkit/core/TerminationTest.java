package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.deferOffer;
import static dev.chainkit.core.HaggleFixture.neverDecide;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.chain;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.kind;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Promise 5: tombstones answer late duplicates then expire; step bounds; the per-peer busy cap. */
class TerminationTest {

    private static final NodeSettings SHORT_WINDOW = SETTINGS.withDedupWindow(Duration.ofSeconds(3));

    @Test
    void tombstoneAnswersALateDuplicateAndThenExpires() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SHORT_WINDOW);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(100);
        completed(h);
        Envelope accept = f.net.sent(payload(Accept.class)).get(0);
        Envelope done = f.net.sent(payload(Done.class)).get(0);
        assertEquals(1, f.b.stats().tombstones());

        f.net.runMillis(2000);
        f.net.inject(accept);
        f.net.runMillis(1);
        List<Envelope> dones = f.net.sent(payload(Done.class));
        assertEquals(List.of(done, done), dones, "the late duplicate gets the same terminal reply");
        assertEquals(1, f.seller.calls.count(h.id(), 2), "without calling the handler");
        assertEquals(1, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));

        f.net.runMillis(1000);
        assertEquals(0, f.b.stats().tombstones(), "forgotten 3 s after the chain ended");
        assertEquals(1, f.bEvents.count(ChainEventType.TOMBSTONE_EXPIRED));

        f.net.inject(accept);
        f.net.runMillis(1);
        assertEquals(1, f.seller.calls.count(h.id(), 2), "still handled once");
        assertEquals(1, f.b.stats().rejected(RejectReason.UNKNOWN_CHAIN));
        assertEquals(EnvelopeKind.ABORTED, f.net.sent(from(B)).get(f.net.count(from(B)) - 1).kind(),
                "a forgotten chain's later step gets an ABORTED answer, not a re-run");
    }

    @Test
    void lateOpeningOfAForgottenChainIsRefusedAndNotRerun() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SHORT_WINDOW);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(100);
        completed(h);
        Envelope ask = f.net.sent(payload(Ask.class)).get(0);
        f.net.runMillis(3000);
        assertEquals(0, f.b.stats().tombstones());
        int sentByB = f.net.count(from(B));

        f.net.inject(ask);
        f.net.runMillis(1);

        assertEquals(1, f.seller.calls.count(h.id(), 0));
        assertEquals(1, f.b.stats().rejected(RejectReason.LATE_OPENING));
        assertFalse(f.b.hasResponderChains());
        // Issue 10: the refusal is answered (once; the initiator, long done with the chain, ignores it), so that an
        // initiator that reused its incarnation learns at once why its new chain goes nowhere.
        assertEquals(sentByB + 1, f.net.count(from(B)));
        Envelope answer = f.net.sent(from(B)).get(sentByB);
        assertEquals(FailureCause.LATE_OPENING, ((Abort) answer.payload()).cause());
        f.net.runMillis(20);
        assertEquals(1, f.aEvents.count(ChainEventType.STALE_IGNORED));
        assertEquals(sentByB + 1, f.net.count(from(B)), "and nothing answers the answer");
    }

    @Test
    void lateOpeningOfAnOlderNeverSeenChainIsRefusedOnceANewerOneWasForgotten() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SHORT_WINDOW);
        f.net.hold(chain(new ChainId(A, 1, 1)));
        ChainHandle<String> first = f.buy("pen", 1);
        ChainHandle<String> second = f.buy("ink", 1);
        f.net.runMillis(3500);
        completed(second);
        assertTrue(outcome(first) instanceof Outcome.TimedOut<String>);

        f.net.releaseAll();
        f.net.runMillis(100);

        assertEquals(0, f.seller.calls.count(first.id()), "its initiator gave up long ago");
        assertEquals(5, f.b.stats().rejected(RejectReason.LATE_OPENING));
    }

    @Test
    void opensTheNextChainAfterOthersWereForgotten() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SHORT_WINDOW);
        completedAfter(f, f.buy("pen", 1));
        f.net.runMillis(5000);
        ChainHandle<String> next = f.buy("pen", 2);
        f.net.runMillis(100);
        completed(next);
        assertEquals(0, f.b.stats().rejected(RejectReason.LATE_OPENING));
    }

    @Test
    void responderEndsAChainThatExceedsItsDeclaredSteps() {
        HaggleFixture f = new HaggleFixture();
        f.seller.behave((c, m) -> ResponderAction.reply(new Offer("more", 1))); // never terminal
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000);

        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("step limit of 4"), o.toString());
        assertEquals(1, f.b.stats().count(ChainEventType.VIOLATION));
        Envelope last = f.net.sent(from(B)).get(1);
        assertEquals(3, last.step());
        assertEquals(EnvelopeKind.ABORTED, last.kind());
        assertEquals(0, f.net.count(payload(Offer.class).and(TestNetwork.step(3))), "the over-long reply never left");
        assertFalse(f.b.hasResponderChains());
    }

    @Test
    void initiatorFailsAChainWhoseReplyWouldExceedItsDeclaredSteps() {
        TestNetwork net = new TestNetwork();
        EventRecorder events = new EventRecorder();
        Calls calls = new Calls();
        ChainNode a = net.attach(net.builder(A, 1).settings(SETTINGS).listener(events).build());
        ChainHandle<String> h = a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(calls));
        // A misbehaving responder (nothing is attached as b): offers at step 1 and offers again at step 3.
        net.inject(new Envelope("haggle", h.id(), 1, B, 1, A, 1, EnvelopeKind.STEP, new Offer("pen", 1)));
        net.runMillis(1);
        net.inject(new Envelope("haggle", h.id(), 3, B, 1, A, 1, EnvelopeKind.STEP, new Offer("pen", 2)));
        net.runMillis(1);

        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().startsWith("protocol violation"),
                o.toString());
        assertEquals(1, a.stats().count(ChainEventType.VIOLATION));
        assertEquals(0, net.count(TestNetwork.step(4)), "step 4 is never sent");
        assertFalse(a.hasInitiatorChains());
    }

    @Test
    void busyCapAnswersTheExcessWithATerminalBusy() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(2));
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h1 = f.buy("pen", 1, deferOffer(decision));
        ChainHandle<String> h2 = f.buy("ink", 1, neverDecide());
        ChainHandle<String> h3 = f.buy("cap", 1);
        f.net.runMillis(100);

        Outcome<String> o = outcome(h3);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().startsWith("busy"), o.toString());
        assertEquals(0, f.seller.calls.count(h3.id()));
        assertEquals(1, f.b.stats().count(ChainEventType.BUSY));
        List<Envelope> busy = f.net.sent(kind(EnvelopeKind.BUSY));
        assertEquals(1, busy.size());
        assertEquals(h3.id(), busy.get(0).chainId());
        assertEquals(1, busy.get(0).step());
        assertEquals(2, f.b.stats().responderChains());
        assertFalse(h1.outcome().isDone() || h2.outcome().isDone());

        // Once a chain ends, the cap has room again.
        decision.complete(InitiatorAction.reply(new Accept(10)));
        f.net.runMillis(100);
        completed(h1);
        ChainHandle<String> h4 = f.buy("pen", 2);
        f.net.runMillis(100);
        completed(h4);
    }

    @Test
    void busyCapCountsEachPeerSeparately() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(1));
        ChainNode c = f.net.attach(f.net.builder(TestNetwork.C, 1).settings(SETTINGS).build());
        f.buy("pen", 1, neverDecide());
        ChainHandle<String> fromC = c.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));
        f.net.runMillis(100);

        completed(fromC);
        assertEquals(0, f.b.stats().count(ChainEventType.BUSY));
    }

    @Test
    void busyReplyIsKeptAndAnswersRetransmissions() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SETTINGS.withMaxInFlightPerPeer(1));
        f.buy("pen", 1, neverDecide());
        f.net.drop(kind(EnvelopeKind.BUSY)).times(2);
        ChainHandle<String> h = f.buy("ink", 1);
        f.net.runMillis(1000);

        assertTrue(outcome(h) instanceof Outcome.Failed<String>);
        assertEquals(3, f.net.count(chain(h.id()).and(payload(Ask.class))));
        assertEquals(3, f.net.count(kind(EnvelopeKind.BUSY)));
        assertEquals(1, f.b.stats().count(ChainEventType.BUSY), "refused once, then answered from the tombstone");
        assertEquals(0, f.seller.calls.count(h.id()));
    }

    @Test
    void idleResponderChainIsForgottenWhenItsInitiatorVanishes() {
        HaggleFixture f = new HaggleFixture(SETTINGS,
                SETTINGS.withResponderIdleTimeout(Duration.ofSeconds(1)).withMaxInFlightPerPeer(1));
        f.net.drop(payload(Offer.class));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(15);
        assertTrue(f.b.hasResponderChains());

        f.net.runMillis(1000);
        assertFalse(f.b.hasResponderChains());
        assertEquals(1, f.bEvents.count(ChainEventType.TOMBSTONE_EXPIRED));
        assertTrue(f.bEvents.events.stream().anyMatch(e -> e.type() == ChainEventType.TOMBSTONE_EXPIRED
                && e.detail().equals("idle") && e.chainId().equals(h.id())));
        assertEquals(1, f.seller.calls.count(h.id(), 0));
    }

    @Test
    void everyChainEndsAndTheResponderForgetsItUnderHeavyFaults() {
        HaggleFixture f = new HaggleFixture(SETTINGS, SHORT_WINDOW);
        int[] n = {0};
        f.net.drop(e -> n[0]++ % 3 == 0);          // every third envelope is lost
        f.net.duplicate(e -> n[0] % 4 == 0);       // and some of the others are duplicated
        f.net.latency(e -> TestNetwork.ms(5 + (e.hashCode() & 0x3f)));
        List<ChainHandle<String>> handles = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handles.add(f.buy("item" + i, i + 1));
        }
        f.net.runMillis(120_000);

        for (ChainHandle<String> h : handles) {
            assertTrue(h.outcome().isDone(), "chain " + h.id() + " never ended");
        }
        assertTrue(f.seller.calls.eachAtMostOnce() && f.buyerCalls.eachAtMostOnce());
        assertFalse(f.a.hasInitiatorChains());
        assertFalse(f.b.hasResponderChains());
        assertEquals(0, f.b.stats().tombstones());
        assertFalse(f.net.time.hasPendingTasks(), "no timer is left behind");
    }

    private static void completedAfter(HaggleFixture f, ChainHandle<String> h) {
        f.net.runMillis(100);
        completed(h);
    }
}
