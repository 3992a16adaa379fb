package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link ChainNode#peerReachable}: a link that comes back resends the chains waiting on it at once. */
class PeerReachableTest {

    @Test
    void waitingChainsAreResentAtOnceWhenThePeerIsReachableAgain() {
        HaggleFixture f = new HaggleFixture();
        TestNetwork.Rule down = f.net.drop(payload(Ask.class));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(350); // sent at 0, 100 and 300 ms; the next resend would wait until 700 ms
        assertEquals(3, f.net.count(payload(Ask.class)));

        down.remove();
        assertEquals(1, f.a.peerReachable(B));
        assertEquals(4, f.net.count(payload(Ask.class)), "resent at once, not at 700 ms");
        f.net.runMillis(100);
        assertEquals("receipt " + h.id() + " 10", completed(h));
        assertEquals(3, f.a.stats().count(ChainEventType.RETRANSMITTED));
    }

    @Test
    void chainsToOtherPeersDecidingChainsAndSpentChainsAreLeftToTheirTimers() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> deciding = f.buy("pen", 1, HaggleFixture.deferOffer(new CompletableFuture<>()));
        f.net.runMillis(50);
        f.net.drop(payload(Ask.class));
        ChainHandle<String> spent = f.buy("ink", 1);
        f.net.runMillis(2000); // five attempts sent; the chain gives up at 2300 ms
        int asks = f.net.count(payload(Ask.class));

        assertEquals(0, f.a.peerReachable(B));
        assertEquals(0, f.a.peerReachable(TestNetwork.C));
        assertEquals(asks, f.net.count(payload(Ask.class)));
        assertEquals(1, f.net.count(payload(Offer.class)));
        assertFalse(deciding.outcome().isDone());
        f.net.runMillis(400);
        assertEquals(true, spent.outcome().getNow(null) instanceof Outcome.TimedOut<String>);
    }

    /**
     * Review of peerReachable (issue 10): its resend starts the chain's backoff over, as its documentation says,
     * instead of going back to the backoff the outage grew after one short wait.
     */
    @Test
    void theBackoffStartsOverAfterThePeerIsReachableAgain() {
        NodeSettings tenAttempts = HaggleFixture.SETTINGS.withRetryPolicy(HaggleFixture.POLICY.toBuilder()
                .withMaxAttempts(10).build());
        HaggleFixture f = new HaggleFixture(tenAttempts, HaggleFixture.SETTINGS);
        f.net.drop(payload(Ask.class));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000); // sent at 0, 100, 300 and 700 ms; the next would wait until 1500 ms

        assertEquals(1, f.a.peerReachable(B)); // but the link is still lossy: this resend is lost too
        f.net.runMillis(350);
        List<Long> times = f.net.sentLog().stream().filter(s -> s.envelope().chainId().equals(h.id()))
                .map(s -> s.atNs() / 1_000_000).toList();
        assertEquals(List.of(0L, 100L, 300L, 700L, 1000L, 1100L, 1300L), times, "100 ms, then 200 ms, after it");
    }

    @Test
    void aNewChainAfterTheLinkIsBackDoesNotInheritTheOutagesBackoff() {
        HaggleFixture f = new HaggleFixture();
        TestNetwork.Rule down = f.net.drop(payload(Ask.class));
        f.buy("pen", 1);
        f.net.runMillis(1000); // its timeouts grew the peer's backed-off timeout to 800 ms
        down.remove();
        f.a.peerReachable(B);
        f.net.runMillis(100);

        f.net.drop(payload(Ask.class)).times(1);
        ChainHandle<String> next = f.buy("ink", 1);
        f.net.runMillis(500);
        completed(next);
        List<Long> asks = f.net.sentLog().stream().filter(s -> s.envelope().chainId().equals(next.id())
                && s.envelope().payload() instanceof Ask).map(TestNetwork.Sent::atNs).toList();
        assertEquals(2, asks.size());
        assertTrue(asks.get(1) - asks.get(0) < TestNetwork.ms(200), "retried after the estimate (20 ms round"
                + " trips), floored at the initial delay: " + (asks.get(1) - asks.get(0)) / 1_000_000 + " ms");
    }
}
