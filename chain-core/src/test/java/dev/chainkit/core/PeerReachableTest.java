package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
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
}
