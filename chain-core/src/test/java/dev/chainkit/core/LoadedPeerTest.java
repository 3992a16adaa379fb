package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.ms;
import static dev.chainkit.core.TestNetwork.payload;
import static dev.chainkit.core.TestNetwork.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a timeout is not yet a loss. Many chains toward a busy peer that works through its queue are not resent
 * (before: every chain whose reply took longer than the initial delay was, and Karn's rule then kept the slow
 * samples out of the estimate); a silent peer is probed by the oldest waiting chain only; and a lost step is still
 * resent on time.
 */
class LoadedPeerTest {

    /**
     * Makes {@code b} a single server that works through its requests one every {@code serviceMs}, in order, with 1 ms
     * of latency each way: a lossless network whose only delay is b's queue.
     */
    private static void queueAtB(HaggleFixture f, long serviceMs) {
        long[] free = {0};
        f.net.latency(e -> {
            long now = f.net.time.nanoTime();
            if (!e.receiver().equals(B)) {
                return ms(1);
            }
            long at = Math.max(now + ms(1), free[0]);
            free[0] = at + ms(serviceMs);
            return at + ms(serviceMs) - now;
        });
    }

    @Test
    void chainsQueuedAtABusyPeerAreNotResent() {
        HaggleFixture f = new HaggleFixture();
        queueAtB(f, 5);
        List<ChainHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            handles.add(f.buy("item" + i, 1)); // the last one's Ask waits 500 ms in b's queue
        }
        f.net.runMillis(10_000);

        for (ChainHandle<String> h : handles) {
            completed(h);
        }
        assertEquals(0, f.a.stats().count(ChainEventType.RETRANSMITTED),
                "b answered the older requests all along: none of its queue was lost");
    }

    @Test
    void onlyTheOldestChainProbesASilentPeer() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(A));
        List<ChainHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(f.buy("item" + i, 1));
        }
        f.net.runMillis(3_000);

        // Sends of the oldest at 0, 100, 300, 700 and 1500 ms (the policy's five attempts); the others sent once.
        assertEquals(5 + 9, f.net.count(payload(Ask.class)));
        for (ChainHandle<String> h : handles) {
            assertTrue(outcome(h) instanceof Outcome.TimedOut<String> t && t.attempts() == 5, outcome(h).toString());
        }
    }

    @Test
    void chainsHeldBackBehindAProbeResendOnceThePeerAnswersIt() {
        HaggleFixture f = new HaggleFixture();
        TestNetwork.Rule outage = f.net.drop(from(A));
        List<ChainHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(f.buy("item" + i, 1));
        }
        f.net.runMillis(650); // the oldest probed at 100 and 300 ms; its next probe is at 700 ms
        outage.remove();
        f.net.runMillis(1_000);

        for (ChainHandle<String> h : handles) {
            completed(h);
        }
        // The oldest sent at 0, 100, 300 and 700 ms; its probe at 700 ms is answered at 720 ms. Each other chain,
        // sent once at 0 and held back since, is overtaken by that probe and resends once, at its next timer
        // (1500 ms; a transport that knows the link is back says so with peerReachable, and they resend at once).
        assertEquals(4 + 9 + 9, f.net.count(payload(Ask.class).and(step(0))));
    }

    @Test
    void aLostStepIsResentOnTimeWhenALaterOneIsAnswered() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Ask.class)).times(1);
        ChainHandle<String> lost = f.buy("pen", 1);
        ChainHandle<String> later = f.buy("ink", 1);
        f.net.runMillis(1_000);

        completed(later);
        completed(lost);
        List<Long> resends = f.net.sentLog().stream().filter(s -> s.envelope().chainId().equals(lost.id())
                && s.envelope().payload() instanceof Ask).map(TestNetwork.Sent::atNs).toList();
        assertEquals(List.of(0L, ms(100)), resends, "overtaken by the later chain: resent at its first timeout");
    }
}
