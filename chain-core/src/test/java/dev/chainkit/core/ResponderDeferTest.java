package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.kind;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link ResponderAction.Defer}: the responder answers later, e.g. once a store commit is durable. */
class ResponderDeferTest {

    /** A seller that defers its answer to the Ask until {@code answer} completes; the Accept is answered at once. */
    private static HaggleFixture deferringSeller(CompletableFuture<ResponderAction<Haggle>> answer) {
        HaggleFixture f = new HaggleFixture();
        f.seller.behave((chain, message) -> message instanceof Ask
                ? ResponderAction.defer(answer) : Seller.standard(chain, message));
        return f;
    }

    @Test
    void deferredAnswerIsSentWhenItCompletes() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);
        assertEquals(0, f.net.count(payload(Offer.class)), "no reply before the answer is ready");
        assertEquals(1, f.b.stats().count(ChainEventType.DEFERRED));

        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(100);
        assertEquals("receipt " + h.id() + " 7", completed(h));
    }

    @Test
    void duplicatesWhileDeferredNeitherRerunTheHandlerNorGetAReply() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000); // the Ask is retransmitted at 100, 300 and 700 ms
        assertEquals(4, f.net.count(payload(Ask.class)));
        assertEquals(1, f.seller.calls.count(h.id(), 0), "the handler ran once");
        assertEquals(0, f.net.count(from(TestNetwork.B)), "the responder sent nothing while deferred");
        assertEquals(3, f.b.stats().count(ChainEventType.STALE_IGNORED));

        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(100);
        completed(h);
        assertEquals(1, f.seller.calls.count(h.id(), 0));
    }

    @Test
    void duplicateAfterTheDeferredAnswerGetsTheCachedReply() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        f.net.drop(payload(Offer.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);
        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(1000); // the Offer was lost; the Ask's retransmission gets it from the reply cache
        assertEquals("receipt " + h.id() + " 7", completed(h));
        assertEquals(2, f.net.count(payload(Offer.class)));
        assertEquals(1, f.seller.calls.count(h.id(), 0));
        assertEquals(1, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));
    }

    @Test
    void supersedeEndsADeferredChainAndItsLateAnswerIsDroppedAndCounted() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);
        assertEquals(1, f.b.supersede(Haggle.PROTOCOL, "pen", chain -> new Offer("pen", 999)));
        f.net.runMillis(50);
        assertEquals(new Outcome.Superseded<String>(Outcome.SupersededBy.RESPONDER, new Offer("pen", 999)),
                outcome(h));

        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(100);
        assertEquals(1, f.b.stats().count(ChainEventType.LATE_ANSWER_DROPPED));
        assertEquals(0, f.net.count(payload(Offer.class).and(kind(EnvelopeKind.STEP))),
                "the late answer was never sent");
        assertEquals(0, f.b.stats().responderChains());
    }

    @Test
    void aSelectiveSupersedeSparesTheChainsItDoesNotSelect() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);
        assertEquals(0, f.b.supersede(Haggle.PROTOCOL, "pen", chain -> !chain.id().equals(h.id()),
                chain -> new Offer("pen", 999)));
        assertEquals(1, f.b.stats().responderChains(), "the deferred chain is still in flight");

        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(100);
        assertEquals("receipt " + h.id() + " 7", completed(h));
        assertEquals(0, f.b.stats().count(ChainEventType.LATE_ANSWER_DROPPED));
    }

    @Test
    void deadlineAbortsAnUnansweredDeferredChain() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = new HaggleFixture(HaggleFixture.SETTINGS, HaggleFixture.SETTINGS.withRetryPolicy(
                HaggleFixture.POLICY.toBuilder().withDeadline(java.time.Duration.ofMillis(1000)).build()));
        f.seller.behave((chain, message) -> ResponderAction.defer(answer));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(900);
        assertEquals(1, f.b.stats().responderChains(), "still deferred before the deadline");
        assertEquals(0, f.net.count(kind(EnvelopeKind.ABORTED)));

        f.net.runMillis(200);
        assertEquals(0, f.b.stats().responderChains());
        assertEquals(1, f.b.stats().count(ChainEventType.TIMED_OUT));
        assertEquals(1, f.net.count(kind(EnvelopeKind.ABORTED)));
        assertTrue(outcome(h) instanceof Outcome.Failed<String> failed && failed.reason().contains("not ready"),
                outcome(h).toString());

        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        assertEquals(1, f.b.stats().count(ChainEventType.LATE_ANSWER_DROPPED));
    }

    @Test
    void failedDeferredAnswerAbortsTheChain() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);
        answer.completeExceptionally(new IllegalStateException("disk full"));
        f.net.runMillis(50);
        assertTrue(outcome(h) instanceof Outcome.Failed<String> failed
                && failed.reason().contains("deferred answer failed"), outcome(h).toString());
        assertEquals(1, f.b.stats().count(ChainEventType.LATE_ANSWER_DROPPED));
        assertEquals(0, f.b.stats().responderChains());
    }

    @Test
    void answerCompletedAfterCloseIsIgnored() {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = deferringSeller(answer);
        f.buy("pen", 1);
        f.net.runMillis(50);
        f.b.close();
        answer.complete(ResponderAction.reply(new Offer("pen", 7)));
        f.net.runMillis(50);
        assertEquals(0, f.net.count(from(TestNetwork.B)));
        assertFalse(f.b.hasResponderChains());
    }

    /**
     * Review of the deferred answer (issue 10): the answer must complete on the node's thread; one that completes
     * on another would race the node on its own state. It is refused before it touches anything, and the chain
     * ends at its deadline as if it never came.
     */
    @Test
    void anAnswerCompletedOnAnotherThreadIsRefusedAndTheChainEndsAtItsDeadline() throws InterruptedException {
        CompletableFuture<ResponderAction<Haggle>> answer = new CompletableFuture<>();
        HaggleFixture f = new HaggleFixture(HaggleFixture.SETTINGS, HaggleFixture.SETTINGS.withRetryPolicy(
                HaggleFixture.POLICY.toBuilder().withDeadline(java.time.Duration.ofMillis(1000)).build()));
        f.seller.behave((chain, message) -> ResponderAction.defer(answer));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(50);

        Thread other = new Thread(() -> answer.complete(ResponderAction.reply(new Offer("pen", 7))), "not-the-node");
        other.start();
        other.join(10_000);
        f.net.runMillis(100);
        assertEquals(0, f.net.count(payload(Offer.class)), "the answer from another thread was not sent");
        assertEquals(1, f.b.stats().responderChains());

        f.net.runMillis(1000);
        assertEquals(0, f.b.stats().responderChains());
        assertTrue(outcome(h) instanceof Outcome.Failed<String> failed
                && failed.cause() == FailureCause.ANSWER_NOT_READY, outcome(h).toString());
    }
}
