package dev.chainkit.oplog.sync;

import dev.chainkit.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a client's user answers conflicts ({@link SyncMessage.OpProcessor}), and how long the user takes.
 *
 * <p>The same policy resolves conflicts found locally, when the client rebases its pending ops on ops it learned
 * from the server; those are answered at once, without thinking time.
 *
 * <p>Thread safety: implementations are called on the client's node thread only.
 *
 * @param <P> the domain's op payload type
 */
public interface DecisionPolicy<P> {

    /**
     * The user's answer to {@code conflict}, at once. Must drop at least the problematic op. Also answers the
     * conflicts a client finds locally, when it rebases its pending ops on ops it learned from the server.
     */
    Decision decide(SyncMessage.OpProcessor<P> conflict);

    /**
     * How long the user takes to answer a conflict the server reported; zero by default. No sync starts while the
     * user thinks. A think time longer than the sync chain's deadline ends that chain as timed out; the answer is
     * then applied to the still-pending ops when it comes, so the user is asked once either way.
     */
    default Duration thinkTime() {
        return Duration.ZERO;
    }

    /**
     * The user's answer to a conflict the server reported, as a stage the client waits on without blocking its
     * thread: by default {@link #decide} after {@link #thinkTime()} on the client's scheduler (at once when it is
     * zero). A policy that asks a person overrides this and completes the stage <b>on the client's node thread</b>
     * once the person has answered (for instance through the node runtime's executor). A stage that completes
     * exceptionally, or with a decision that keeps the problematic op, counts as skip.
     *
     * @param conflict the conflict
     * @param scheduler the client's scheduler (runs on its node thread)
     * @return the answer, later
     */
    default CompletionStage<Decision> decideLater(SyncMessage.OpProcessor<P> conflict, Scheduler scheduler) {
        long thinkNs = thinkTime().toNanos();
        if (thinkNs == 0) {
            return CompletableFuture.completedFuture(decide(conflict));
        }
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        scheduler.schedule(thinkNs, () -> answer.complete(decide(conflict)));
        return answer;
    }

    /** Drops only the problematic op. */
    static <P> DecisionPolicy<P> skip() {
        return of(Decision::skip, Duration.ZERO);
    }

    /** Drops the problematic op and the rest of the ops that sync carries ({@link Decision#purge}). */
    static <P> DecisionPolicy<P> purge() {
        return of(Decision::purge, Duration.ZERO);
    }

    /**
     * A policy from a function and a thinking time.
     *
     * @param decide the user's answer
     * @param thinkTime how long the user takes, zero or more
     * @throws IllegalArgumentException if {@code thinkTime} is negative
     */
    static <P> DecisionPolicy<P> of(Function<SyncMessage.OpProcessor<P>, Decision> decide, Duration thinkTime) {
        Objects.requireNonNull(decide, "decide");
        Objects.requireNonNull(thinkTime, "thinkTime");
        if (thinkTime.isNegative()) {
            throw new IllegalArgumentException("thinkTime must be zero or more, got " + thinkTime);
        }
        return new DecisionPolicy<>() {
            @Override
            public Decision decide(SyncMessage.OpProcessor<P> conflict) {
                return decide.apply(conflict);
            }

            @Override
            public Duration thinkTime() {
                return thinkTime;
            }
        };
    }
}
