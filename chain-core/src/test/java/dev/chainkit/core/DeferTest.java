package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.deferOffer;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link InitiatorAction.Defer}: the initiator decides later; no resends meanwhile, the deadline still runs. */
class DeferTest {

    @Test
    void deferredDecisionSendsTheNextStepWhenItArrives() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(5000);
        assertEquals(0, f.net.count(payload(Accept.class)));
        assertFalse(h.outcome().isDone());

        decision.complete(InitiatorAction.reply(new Accept(7)));
        f.net.runMillis(100);
        assertEquals("receipt " + h.id() + " 7", completed(h));
    }

    @Test
    void nothingIsRetransmittedWhileDeciding() {
        HaggleFixture f = new HaggleFixture();
        f.buy("pen", 1, deferOffer(new CompletableFuture<>()));
        f.net.runMillis(9000);

        assertEquals(1, f.net.count(payload(Ask.class)));
        assertEquals(0, f.a.stats().count(ChainEventType.RETRANSMITTED));
    }

    @Test
    void duplicateReplyWhileDecidingDoesNotCallTheHandlerAgain() {
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(payload(Offer.class));
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(100);
        assertEquals(1, f.buyerCalls.count(h.id(), 1));

        decision.complete(InitiatorAction.reply(new Accept(7)));
        f.net.runMillis(100);
        completed(h);
        assertEquals(1, f.buyerCalls.count(h.id(), 1));
    }

    @Test
    void deadlineRunsWhileDecidingAndALateDecisionIsIgnored() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(9999);
        assertFalse(h.outcome().isDone());
        f.net.runMillis(1);

        Outcome<String> timedOut = outcome(h);
        assertTrue(timedOut instanceof Outcome.TimedOut<String> t && t.elapsedNs() == TestNetwork.ms(10_000),
                timedOut.toString());
        decision.complete(InitiatorAction.reply(new Accept(7)));
        f.net.runMillis(1000);
        assertSame(timedOut, outcome(h));
        assertEquals(0, f.net.count(payload(Accept.class)));
    }

    @Test
    void failedDecisionFailsTheChain() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(100);
        decision.completeExceptionally(new IllegalStateException("the user walked away"));

        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("the user walked away"),
                o.toString());
        assertFalse(f.a.hasInitiatorChains());
    }

    @Test
    void decisionThatDefersAgainFailsTheChain() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(100);
        decision.complete(InitiatorAction.defer(new CompletableFuture<>()));

        assertTrue(outcome(h) instanceof Outcome.Failed<String>);
    }

    @Test
    void alreadyCompletedDecisionActsAtOnce() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 1,
                deferOffer(CompletableFuture.completedFuture(InitiatorAction.reply(new Accept(3)))));
        f.net.runMillis(100);
        assertEquals("receipt " + h.id() + " 3", completed(h));
        assertEquals(1, f.net.count(from(TestNetwork.A).and(payload(Accept.class))));
    }

    /** A decision completed on another thread than the node's is refused before it touches the chain. */
    @Test
    void aDecisionCompletedOnAnotherThreadIsRefused() throws InterruptedException {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<InitiatorAction<Haggle, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(50);

        Thread other = new Thread(() -> decision.complete(InitiatorAction.reply(new Accept(7))), "not-the-node");
        other.start();
        other.join(10_000);
        f.net.runMillis(20_000);
        assertEquals(0, f.net.count(payload(Accept.class)), "the decision from another thread was not applied");
        assertTrue(outcome(h) instanceof Outcome.TimedOut<String>, outcome(h).toString());
    }
}
