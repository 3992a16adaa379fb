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
        RetryPolicy policy = RetryPolicy.defaults(); // a deadline of 30 s, a max delay of 2 s
        long quick = Duration.ofMillis(300).toNanos();
        assertEquals(Duration.ofSeconds(60 + 32).plusMillis(300).toNanos(),
                MessageBound.quietBoundNs(policy, List.of(new MessageBound.User(quick, 30),
                        new MessageBound.User(0, 30), new MessageBound.User(quick, 0))),
                "30 answers of 300 ms fit in one deadline: one thinking time");
        assertEquals(Duration.ofSeconds(60 + 32).toNanos(), MessageBound.quietBoundNs(policy, List.of()));
    }

    @Test
    void aUserWhoseAnswersOutliveTheirChainsAddsADeadlineAndAThinkingTimePerOp() {
        RetryPolicy policy = RetryPolicy.defaults();
        long slow = Duration.ofSeconds(40).toNanos();
        assertEquals(Duration.ofSeconds(60 + 32 + 3 * (30 + 40)).toNanos(),
                MessageBound.quietBoundNs(policy, List.of(new MessageBound.User(slow, 3),
                        new MessageBound.User(slow, 1), new MessageBound.User(Duration.ofMillis(300).toNanos(), 30))));
        long quick = Duration.ofMillis(300).toNanos(); // 200 answers of 300 ms do not fit in one deadline
        assertEquals(Duration.ofSeconds(60 + 32).toNanos() + 200 * (Duration.ofSeconds(30).toNanos() + quick),
                MessageBound.quietBoundNs(policy, List.of(new MessageBound.User(quick, 200))));
    }

    @Test
    void theCheckHoldsARunToTheBoundOfItsUsersWithTheConfigsMostOps() {
        TournamentSyncCheck check = new TournamentSyncCheck(SweepConfig.defaults());
        for (long seed = 1; seed <= 200; seed++) {
            TournamentSyncCheck run = check.forSeed(seed);
            ClusterShape shape = run.shape(seed);
            assertEquals(MessageBound.quietBoundNs(RetryPolicy.defaults(), shape.clients().stream()
                    .map(c -> new MessageBound.User(c.think().toNanos(), 30)).toList()), run.quietBoundNs());
            assertEquals(shape.horizon().plusNanos(run.quietBoundNs()), run.limit());
        }
    }
}
