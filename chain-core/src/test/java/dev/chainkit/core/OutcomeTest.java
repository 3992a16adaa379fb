package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Promise 8: each chain's future completes once with a sealed {@link Outcome}; handler failures end chains. */
class OutcomeTest {

    @Test
    void completedCarriesTheHandlerResult() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 4);
        f.net.runMillis(100);
        assertEquals(new Outcome.Completed<>("receipt " + h.id() + " 40"), outcome(h));
        assertEquals(1, f.a.stats().count(ChainEventType.COMPLETED));
        assertEquals(1, f.b.stats().count(ChainEventType.COMPLETED));
    }

    @Test
    void handlerFailEndsTheChainWithItsReason() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 1, (c, m) -> InitiatorAction.fail("too expensive"));
        f.net.runMillis(100);
        assertEquals(new Outcome.Failed<String>("too expensive"), outcome(h));
        assertEquals(0, f.net.count(payload(Accept.class)));
        assertEquals(1, f.a.stats().count(ChainEventType.FAILED));
    }

    @Test
    void initiatorHandlerThatThrowsFailsTheChain() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 1, (c, m) -> {
            throw new IllegalStateException("buyer bug");
        });
        f.net.runMillis(100);
        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("buyer bug"), o.toString());
    }

    @Test
    void responderHandlerThatThrowsAbortsTheChain() {
        HaggleFixture f = new HaggleFixture();
        f.seller.behave((c, m) -> {
            throw new IllegalStateException("seller bug");
        });
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(100);
        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("responder handler error"),
                o.toString());
        assertEquals(1, f.b.stats().tombstones(), "the abort is kept for duplicates like any terminal reply");
    }

    @Test
    void responderReplyRefusedByTheProtocolAbortsTheChain() {
        HaggleFixture f = new HaggleFixture();
        f.seller.behave((c, m) -> ResponderAction.reply(new Ask("pen", 0)));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(100);
        assertTrue(outcome(h) instanceof Outcome.Failed<String>);
        assertEquals(0, f.net.count(payload(Ask.class).and(TestNetwork.from(B))), "the invalid reply never left");
    }

    @Test
    void handlerReplyingToATerminalMessageIsAViolation() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 1, (c, m) -> InitiatorAction.reply(new Accept(1)));
        f.net.runMillis(100);
        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<String> fl && fl.reason().contains("terminal"), o.toString());
        assertEquals(1, f.a.stats().count(ChainEventType.VIOLATION));
    }

    @Test
    void closeFailsInFlightChainsAndIgnoresLaterEnvelopes() {
        HaggleFixture f = new HaggleFixture();
        f.net.hold(payload(Offer.class));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(15);
        f.a.close();
        f.a.close();

        assertEquals(new Outcome.Failed<String>("node closed", FailureCause.NODE_CLOSED), outcome(h));
        f.net.releaseAll();
        f.net.runMillis(1000);
        assertEquals(0, f.buyerCalls.total());
        assertEquals(1, f.net.count(payload(Ask.class)), "no timer survives close");
        assertThrows(IllegalStateException.class, () -> f.buy("ink", 1));
    }

    @Test
    void outcomeCompletesOnlyOnce() {
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(TestNetwork.any());
        int[] completions = {0};
        ChainHandle<String> h = f.buy("pen", 1);
        h.outcome().thenRun(() -> completions[0]++);
        f.net.runMillis(1000);
        completed(h);
        assertEquals(1, completions[0]);
    }

    @Test
    void startRefusesBadArguments() {
        HaggleFixture f = new HaggleFixture();
        Calls calls = new Calls();
        assertThrows(IllegalArgumentException.class,
                () -> f.a.start(Haggle.PROTOCOL, A, new Ask("pen", 1), new Buyer(calls)), "to itself");
        assertThrows(IllegalArgumentException.class,
                () -> f.a.start(Haggle.PROTOCOL, B, new Ask("pen", 0), new Buyer(calls)), "refused by validate");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Protocol<Object> raw = (Protocol) Haggle.PROTOCOL;
        assertThrows(IllegalArgumentException.class,
                () -> f.a.start(raw, B, "not a haggle", (c, m) -> InitiatorAction.complete(null)), "wrong type");
        assertThrows(NullPointerException.class, () -> f.a.start(Haggle.PROTOCOL, B, null, new Buyer(calls)));
        assertThrows(IllegalStateException.class, () -> f.b.register(Haggle.PROTOCOL, new Seller()),
                "registered twice");
        assertFalse(f.a.hasInitiatorChains(), "a refused start leaves nothing behind");
        assertEquals(0, f.net.sentLog().size());
    }

    @Test
    void deferredOutcomeCallbacksSeeTheFinalOutcome() {
        HaggleFixture f = new HaggleFixture();
        CompletableFuture<String> seen = new CompletableFuture<>();
        ChainHandle<String> h = f.buy("pen", 2);
        h.outcome().thenAccept(o -> seen.complete(o.toString()));
        f.net.runMillis(100);
        assertEquals(outcome(h).toString(), seen.getNow("none"));
    }
}
