package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Promise 3's policy: an immutable, validated backoff schedule with a cap, jitter, attempts and a deadline. */
class RetryPolicyTest {

    /** A jitter-free policy never draws; this generator fails the test if it does. */
    private static final RandomGenerator NO_RANDOM = () -> {
        throw new AssertionError("a policy without jitter must not draw random numbers");
    };

    private static RetryPolicy.Builder base() {
        return RetryPolicy.builder().withInitialDelay(Duration.ofMillis(100)).withMultiplier(2)
                .withMaxDelay(Duration.ofSeconds(1)).withJitter(0).withMaxAttempts(6)
                .withDeadline(Duration.ofSeconds(30));
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofMillis(100), p.initialDelay());
        assertEquals(2.0, p.multiplier());
        assertEquals(Duration.ofSeconds(2), p.maxDelay());
        assertEquals(0.2, p.jitter());
        assertEquals(16, p.maxAttempts());
        assertEquals(Duration.ofSeconds(30), p.deadline());
        assertEquals(p, RetryPolicy.builder().build());
    }

    @Test
    void builderRefusesBadValues() {
        RetryPolicy.Builder b = RetryPolicy.builder();
        assertThrows(IllegalArgumentException.class, () -> b.withInitialDelay(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.withInitialDelay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.withMultiplier(0.99));
        assertThrows(IllegalArgumentException.class, () -> b.withMultiplier(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.withMultiplier(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> b.withMaxDelay(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.withJitter(-0.1));
        assertThrows(IllegalArgumentException.class, () -> b.withJitter(1.0));
        assertThrows(IllegalArgumentException.class, () -> b.withJitter(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> b.withDeadline(Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> RetryPolicy.builder()
                .withInitialDelay(Duration.ofSeconds(3)).withMaxDelay(Duration.ofSeconds(2)).build());
        assertEquals(RetryPolicy.defaults(), b.build(), "refused values leave the builder unchanged");
    }

    @Test
    void delaysGrowByTheMultiplierUpToTheCap() {
        RetryPolicy p = base().build();
        long[] delays = IntStream.rangeClosed(1, 7).mapToLong(n -> p.delayNs(n, NO_RANDOM)).toArray();
        assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000), ms(1000)),
                Arrays.stream(delays).boxed().toList());
        assertEquals(ms(1000), p.delayNs(Integer.MAX_VALUE, NO_RANDOM), "no overflow for huge attempts");
        assertThrows(IllegalArgumentException.class, () -> p.delayNs(0, NO_RANDOM));
    }

    @Test
    void jitterOnlyShortensAndNeverExceedsTheMaxDelay() {
        RetryPolicy p = base().withJitter(0.25).build();
        SplittableRandom random = new SplittableRandom(1);
        boolean shortened = false;
        for (int i = 0; i < 10_000; i++) {
            int attempt = 1 + i % 8;
            long unjittered = Math.min(ms(100) << (attempt - 1), ms(1000));
            long d = p.delayNs(attempt, random);
            assertTrue(d <= unjittered && d <= ms(1000), "delay " + d + " for attempt " + attempt);
            assertTrue(d >= unjittered * 3 / 4, "jitter takes at most 25 %: " + d);
            shortened |= d < unjittered;
        }
        assertTrue(shortened);
    }

    @Test
    void sameSeedGivesTheSameJitterSchedule() {
        RetryPolicy p = base().withJitter(0.5).build();
        SplittableRandom r1 = new SplittableRandom(99);
        SplittableRandom r2 = new SplittableRandom(99);
        SplittableRandom r3 = new SplittableRandom(100);
        long[] s1 = IntStream.rangeClosed(1, 20).mapToLong(n -> p.delayNs(n, r1)).toArray();
        long[] s2 = IntStream.rangeClosed(1, 20).mapToLong(n -> p.delayNs(n, r2)).toArray();
        long[] s3 = IntStream.rangeClosed(1, 20).mapToLong(n -> p.delayNs(n, r3)).toArray();
        assertEquals(Arrays.toString(s1), Arrays.toString(s2));
        assertNotEquals(Arrays.toString(s1), Arrays.toString(s3));
    }

    @Test
    void retransmissionSpanSumsTheDelaysAndIsBoundedByTheDeadline() {
        assertEquals(ms(100 + 200 + 400 + 800 + 1000 + 1000), base().build().retransmissionSpanNs());
        assertEquals(ms(2000), base().withDeadline(Duration.ofSeconds(2)).build().retransmissionSpanNs());
        assertEquals(ms(100), base().withMaxAttempts(1).build().retransmissionSpanNs());
        assertEquals(ms(30_000), base().withMaxAttempts(Integer.MAX_VALUE).build().retransmissionSpanNs());
    }

    @Test
    void policyIsImmutableAndToBuilderCopies() {
        RetryPolicy p = base().build();
        RetryPolicy q = p.toBuilder().withMaxAttempts(9).build();
        assertEquals(6, p.maxAttempts());
        assertEquals(9, q.maxAttempts());
        assertEquals(p, p.toBuilder().build());
        assertEquals(p.hashCode(), p.toBuilder().build().hashCode());
        assertNotEquals(p, q);
    }

    @Test
    void nodeSettingsDeriveTheDedupWindowFromThePolicy() {
        RetryPolicy p = base().build();
        NodeSettings s = NodeSettings.defaults().withRetryPolicy(p);
        assertTrue(s.dedupWindowNs() >= p.deadlineNs(), "a window of at least the deadline keeps dedup forever");
        assertEquals(p.deadlineNs() + p.maxDelay().toNanos(), s.dedupWindowNs());
        assertEquals(s.dedupWindowNs(), s.responderIdleTimeoutNs());
        assertEquals(Duration.ofSeconds(5), s.withDedupWindow(Duration.ofSeconds(5)).dedupWindow());
        assertThrows(IllegalArgumentException.class, () -> s.withDedupWindow(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withResponderIdleTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> s.withMaxInFlightPerPeer(0));
    }

    /**
     * Issue 10: durations beyond what nanoseconds can hold (292 years) saturate and mean never, where they used to
     * throw an ArithmeticException or wrap the dedup window into the past.
     */
    @Test
    void aDeadlineBeyondNanosecondsMeansNeverAndTheChainKeepsRetrying() {
        RetryPolicy forever = RetryPolicy.builder().withDeadline(Duration.ofDays(200_000)).withMaxAttempts(1000)
                .withJitter(0).build();
        assertEquals(Long.MAX_VALUE, forever.deadlineNs());
        assertEquals(Long.MAX_VALUE, NodeSettings.defaults().withRetryPolicy(forever).dedupWindowNs());
        assertEquals(Long.MAX_VALUE, NodeSettings.defaults().withDedupWindow(Duration.ofDays(200_000))
                .dedupWindowNs());

        TestNetwork net = new TestNetwork();
        ChainNode a = net.attach(net.builder(TestNetwork.A, 1)
                .settings(NodeSettings.defaults().withRetryPolicy(forever)).build());
        net.drop(TestNetwork.from(TestNetwork.A));
        ChainHandle<String> h = a.start(Haggle.PROTOCOL, TestNetwork.B, new Haggle.Ask("pen", 1),
                new Buyer(new Calls()));
        net.runMillis(60_000);
        assertFalse(h.outcome().isDone(), "the deadline never passes");
        // sends at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s, then every 2 s up to 60 s
        assertEquals(6 + 28, net.count(TestNetwork.from(TestNetwork.A)));
    }
}
