package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.POLICY;
import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.ms;
import static dev.chainkit.core.TestNetwork.payload;
import static dev.chainkit.core.TestNetwork.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Promise 3: the side awaiting a reply retransmits on its policy and gives up; the responder keeps no timers. */
class RetransmissionTest {

    @Test
    void completesWithoutRetransmissionOnAQuietNetwork() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = f.buy("pen", 3);
        f.net.runMillis(1000);

        assertEquals("receipt " + h.id() + " 30", completed(h));
        assertEquals(4, f.net.count(TestNetwork.chain(h.id())), "Ask, Offer, Accept, Done");
        assertEquals(0, f.a.stats().count(ChainEventType.RETRANSMITTED));
    }

    @Test
    void resendsUntilReplyArrives() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(A).and(step(0))).times(2);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000);

        completed(h);
        List<TestNetwork.Sent> asks = f.net.sentLog().stream()
                .filter(s -> s.envelope().payload() instanceof Ask).toList();
        assertEquals(List.of(0L, ms(100), ms(300)), asks.stream().map(TestNetwork.Sent::atNs).toList(),
                "sent at 0, then after 100 ms, then after 200 ms more");
        assertTrue(asks.stream().allMatch(s -> s.envelope().equals(asks.get(0).envelope())),
                "a retransmission is the same envelope");
        assertEquals(2, f.a.stats().count(ChainEventType.RETRANSMITTED));
        assertEquals(1, f.seller.calls.count(h.id(), 0));
    }

    @Test
    void resendsTheLatestStepNotTheOpening() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Accept.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000);

        completed(h);
        assertEquals(1, f.net.count(payload(Ask.class)));
        assertEquals(2, f.net.count(payload(Accept.class)));
        assertEquals(1, f.seller.calls.count(h.id(), 2));
    }

    @Test
    void stopsResendingOnceTheReplyArrived() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(A).and(step(0))).times(1);
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(60_000);

        completed(h);
        assertEquals(2, f.net.count(payload(Ask.class)));
        assertEquals(1, f.net.count(payload(Accept.class)));
        assertEquals(1, f.a.stats().count(ChainEventType.RETRANSMITTED));
        assertFalse(f.a.hasInitiatorChains());
    }

    @Test
    void givesUpAfterMaxAttempts() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(A));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(2299);
        assertFalse(h.outcome().isDone(), "the fifth send still waits its 800 ms");

        f.net.runMillis(1);
        assertEquals(new Outcome.TimedOut<String>(0, 5, ms(2300)), outcome(h));
        assertEquals(POLICY.maxAttempts(), f.net.count(payload(Ask.class)));
        assertEquals(1, f.a.stats().count(ChainEventType.TIMED_OUT));
        assertEquals(1, f.aEvents.count(ChainEventType.TIMED_OUT));

        f.net.runMillis(60_000);
        assertEquals(POLICY.maxAttempts(), f.net.count(payload(Ask.class)), "nothing is sent after giving up");
        assertFalse(f.a.hasInitiatorChains());
    }

    @Test
    void givesUpAtTheChainDeadline() {
        RetryPolicy policy = POLICY.toBuilder().withMaxAttempts(100).withDeadline(Duration.ofSeconds(1)).build();
        HaggleFixture f = new HaggleFixture(SETTINGS.withRetryPolicy(policy), SETTINGS);
        f.net.drop(from(A));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(999);
        assertFalse(h.outcome().isDone());

        f.net.runMillis(1);
        assertEquals(new Outcome.TimedOut<String>(0, 4, ms(1000)), outcome(h),
                "sends at 0, 100, 300 and 700 ms; the next would fall after the deadline");
        f.net.runMillis(60_000);
        assertEquals(4, f.net.count(payload(Ask.class)));
    }

    @Test
    void deadlineCoversTheWholeChainNotEachStep() {
        RetryPolicy policy = POLICY.toBuilder().withMaxAttempts(100).withDeadline(Duration.ofSeconds(1)).build();
        HaggleFixture f = new HaggleFixture(SETTINGS.withRetryPolicy(policy), SETTINGS);
        f.net.drop(payload(Accept.class));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(1000);

        Outcome<String> o = outcome(h);
        assertTrue(o instanceof Outcome.TimedOut<String> t && t.step() == 2 && t.elapsedNs() == ms(1000),
                "the Accept, first sent at 20 ms, times out at the chain's deadline: " + o);
    }

    @Test
    void responderNeverResendsOnItsOwn() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(B));
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(60_000);

        assertTrue(outcome(h) instanceof Outcome.TimedOut<String>);
        int asksDelivered = f.net.delivered(payload(Ask.class)).size();
        assertEquals(5, asksDelivered);
        assertEquals(asksDelivered, f.net.count(from(B)), "exactly one answer per request received, no more");
        assertEquals(1, f.seller.calls.count(h.id(), 0));
        assertEquals(4, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(0, f.b.stats().count(ChainEventType.RETRANSMITTED));
    }

    @Test
    void responderStaysSilentWhenTheInitiatorVanishes() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(payload(Offer.class));
        f.buy("pen", 1);
        f.net.runMillis(15);
        f.net.detach(A);
        f.a.close();
        f.net.runMillis(120_000);

        assertEquals(1, f.net.count(from(B)), "the responder answered once and never again");
        assertFalse(f.b.hasResponderChains(), "the idle chain was forgotten");
    }

    @Test
    void sameSeedGivesSameRetransmissionSchedule() {
        assertEquals(retransmissionTimes(42), retransmissionTimes(42));
        assertNotEquals(retransmissionTimes(42), retransmissionTimes(43));
    }

    @Test
    void defaultRandomIsSeededFromTheNodeIdAndIncarnation() {
        assertEquals(retransmissionTimes(null, 1), retransmissionTimes(null, 1));
        assertNotEquals(retransmissionTimes(null, 1), retransmissionTimes(null, 2));
    }

    private static List<Long> retransmissionTimes(long seed) {
        return retransmissionTimes(new SplittableRandom(seed), 1);
    }

    /** Times at which a jittered chain sends its unanswered opening; a null random keeps the node's default. */
    private static List<Long> retransmissionTimes(SplittableRandom random, long incarnation) {
        RetryPolicy jittered = POLICY.toBuilder().withJitter(0.5).withMaxAttempts(8).build();
        TestNetwork net = new TestNetwork();
        ChainNode.Builder builder = net.builder(A, incarnation).settings(SETTINGS.withRetryPolicy(jittered));
        if (random != null) {
            builder.random(random);
        }
        ChainNode a = net.attach(builder.build());
        net.drop(from(A));
        a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));
        net.runMillis(60_000);
        List<Long> times = net.sentLog().stream().map(TestNetwork.Sent::atNs).toList();
        assertEquals(8, times.size());
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            long unjittered = Math.min(ms(100) << (i - 1), ms(800));
            assertTrue(gap <= unjittered && gap >= unjittered / 2, "gap " + i + " = " + gap + " ns");
        }
        return times;
    }

    @Test
    void theFirstDelayAdaptsToTheRoundTripOfASlowLink() {
        HaggleFixture f = new HaggleFixture();
        f.net.latency(Duration.ofMillis(150)); // 300 ms round trip, three times the initial delay
        for (int i = 0; i < 6; i++) {
            completed(runOne(f));
        }
        long before = f.a.stats().count(ChainEventType.RETRANSMITTED);
        for (int i = 0; i < 4; i++) {
            completed(runOne(f));
        }

        assertTrue(before > 0, "the first chains resend before any round trip is known");
        assertEquals(before, f.a.stats().count(ChainEventType.RETRANSMITTED),
                "once the round trip is learned (RFC 6298), later chains on the same link do not resend");
    }

    /**
     * Issue 10 frees idle peer records; a peer this node measured keeps its record, and so its round trip, for ten
     * dedup windows: a chain now and then toward a slow link does not start from the initial delay each time.
     */
    @Test
    void theRoundTripOfAPeerContactedNowAndThenIsKept() {
        HaggleFixture f = new HaggleFixture();
        f.net.latency(Duration.ofMillis(150)); // 300 ms round trip, three times the initial delay
        for (int i = 0; i < 6; i++) {
            completed(runOne(f));
        }
        long before = f.a.stats().count(ChainEventType.RETRANSMITTED);
        f.net.run(f.a.settings().dedupWindow().multipliedBy(3)); // idle for three windows: nothing held, peer kept
        assertEquals(1, f.a.stats().peers(), "a still knows b");

        completed(runOne(f));
        assertEquals(before, f.a.stats().count(ChainEventType.RETRANSMITTED), "the learned round trip still holds");
        f.net.run(f.a.settings().dedupWindow().multipliedBy(PeerTable.KEEP_MEASURED + 1));
        assertEquals(0, f.a.stats().peers(), "after ten windows of silence the record goes too");
    }

    @Test
    void aRetransmittedStepGivesNoSampleAndTheDelayNeverDropsBelowTheInitialDelay() {
        HaggleFixture f = new HaggleFixture();
        f.net.drop(from(A).and(step(0))).times(1);
        f.net.latency(Duration.ofMillis(150));
        ChainHandle<String> first = runOne(f);   // the Ask is resent at 100 ms: Karn's rule takes no sample from it
        completed(first);
        List<Long> firstAsks = asks(f, first);
        f.net.latency(Duration.ofMillis(1));
        f.net.drop(from(A).and(step(0))).times(1);
        ChainHandle<String> second = runOne(f);

        completed(second);
        assertEquals(ms(100), firstAsks.get(1) - firstAsks.get(0), "no estimate yet: the initial delay");
        List<Long> secondAsks = asks(f, second);
        assertEquals(2, secondAsks.size());
        assertTrue(secondAsks.get(1) - secondAsks.get(0) > ms(300),
                "the first chain's clean Accept sample (300 ms) sets the timeout, not the resent Ask's reply");
    }

    private static List<Long> asks(HaggleFixture f, ChainHandle<String> h) {
        return f.net.sentLog().stream().filter(s -> s.envelope().chainId().equals(h.id()))
                .filter(s -> s.envelope().payload() instanceof Ask).map(TestNetwork.Sent::atNs).toList();
    }

    private static ChainHandle<String> runOne(HaggleFixture f) {
        ChainHandle<String> h = f.buy("pen", 1);
        f.net.runMillis(5_000);
        return h;
    }
}
