package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainkit.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBoundTest {

    @Test
    void eachChainMaySendTwiceItsInitiatorStepsTimesTheAttemptsPlusOnePlusTheNetworksCopies() {
        RetryPolicy policy = RetryPolicy.defaults(); // 16 attempts per step
        // a forward (2 steps: 1 initiator step), a sync of 3 ops (8 steps: 4 initiator steps), 5 copies
        assertEquals((2 * 16 * 1 + 1) + (2 * 16 * 4 + 1) + 5, MessageBound.messages(policy, List.of(2, 8), 5));
        assertEquals(0, MessageBound.messages(policy, List.of(), 0));
        RetryPolicy once = RetryPolicy.builder().withMaxAttempts(1).build();
        assertEquals(3, MessageBound.messages(once, List.of(2), 0), "a request, its reply and a supersede");
    }

    @Test
    void refusesImpossibleInput() {
        assertThrows(IllegalArgumentException.class, () -> MessageBound.messages(RetryPolicy.defaults(),
                List.of(1), 0));
        assertThrows(IllegalArgumentException.class, () -> MessageBound.messages(RetryPolicy.defaults(),
                List.of(2), -1));
    }

    @Test
    void quietComesWithinTwoDeadlinesTheLongestForwardBackoffAndTheThinkingTime() {
        assertEquals(Duration.ofSeconds(60 + 32).plusMillis(300).toNanos(),
                MessageBound.quietBoundNs(RetryPolicy.defaults(), Duration.ofMillis(300).toNanos()));
        assertEquals(MessageBound.quietBoundNs(RetryPolicy.defaults(), Duration.ofMillis(300).toNanos()),
                TournamentSyncCheck.quietBoundNs());
    }
}
