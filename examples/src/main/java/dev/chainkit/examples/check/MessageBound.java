package dev.chainkit.examples.check;

import dev.chainkit.core.RetryPolicy;
import dev.chainkit.oplog.sync.OplogServer;
import java.util.Collection;
import java.util.Objects;

/**
 * The bounds that make "the sync always terminates" a number that a run can be checked against: how many
 * messages a run may send, given its chains, the retransmission policy and the faults; how many chains it may
 * open, given its ops and the faults; and how soon after the last fault it must be quiet.
 *
 * <h2>Messages</h2>
 * With {@code A} = {@link RetryPolicy#maxAttempts()} (the most times one step is sent, the first send included),
 * {@code M(c)} = the step bound the protocol declares for chain {@code c}'s opening message
 * ({@code 2n + 2} for a sync carrying {@code n} ops, {@code 2} for a forward), and {@code D} = the copies the
 * network duplicated:
 * <pre>
 *   messages sent  &lt;=  sum over chains c of ( 2 * A * ceil(M(c) / 2) + 1 )  +  D
 * </pre>
 * Why: the initiator sends the even steps, {@code ceil(M/2)} of them, each at most {@code A} times. The
 * responder keeps no timers: it sends at most one message per initiator message that reaches it (the handler's
 * reply, the cached reply to a duplicate, a tombstone's answer, an abort for a chain it does not know or a busy
 * refusal), so at most {@code A * ceil(M/2)} plus one per network copy, plus one unsolicited terminal when the
 * chain is superseded. Nothing else sends.
 *
 * <h2>Chains</h2>
 * With {@code K} clients, {@code L} ops in the final log after the genesis op, and per client {@code c}:
 * {@code U(c)} ops its user made and {@code R(c)} restarts (fault counts), and the chains that ended by a fault
 * (failed, timed out, or abandoned by a crash):
 * <pre>
 *   syncs(c)                &lt;=  U(c) + R(c) + superseded(c) + failed(c) + timedOut(c) + forwards(c)
 *   superseded (all)        &lt;=  K * L
 *   forwards(c)             &lt;=  L - ops(c) + forwards to c that did not complete
 *   conflict rounds(sync)   &lt;=  n, the ops it carried
 *   steps(chain)            &lt;=  M(chain)
 * </pre>
 * A client opens a sync only for a cause, each cause at most once: a batch of its user's ops, a restart (the
 * catch-up sync), the end of a chain that was superseded, failed or timed out (the retry), or a forward it had to
 * defer or could not place (the catch-up). The server supersedes at most one sync per client per change of its
 * log, and its log changes at most {@code L} times. A completed forward to {@code c} moves {@code c}'s persisted
 * cursor past every op it carried, and {@code c}'s own syncs move it past {@code c}'s ops, so completed forwards to
 * {@code c} carry disjoint, non-empty sets of other nodes' ops; every other forward to {@code c} is a
 * retransmission after a fault. A conflict decision drops at least the problematic op, so a sync of {@code n}
 * ops has at most {@code n} conflict rounds and {@code 2n + 2} steps (the seed's termination argument).
 *
 * <h2>Quiet</h2>
 * Once the last fault is over (the schedule's horizon: random faults calm, partitions healed, crashed nodes
 * restarted), the run is quiet within {@link #quietBoundNs(RetryPolicy, Collection)}:
 * <pre>
 *   2 * deadline  +  maxDelay * 2^4  +  max over clients c of thinking(c)
 *
 *   thinking(c)  =  0                         if U(c) = 0
 *                   T(c)                      if U(c) * T(c) &lt;= deadline
 *                   U(c) * (deadline + T(c))  otherwise
 * </pre>
 * with {@code T(c)} the thinking time of {@code c}'s user and {@code U(c)} the ops it made. A chain in flight at
 * the horizon ends within its {@code deadline}; a forward that failed is tried again after at most
 * {@code maxDelay * 2^4} (the server's backoff is capped there, however long the outage was); that chain and
 * whatever it causes run on a calm, healed network and end within another {@code deadline}. A user is asked about
 * a conflict at most once per op it made (every answer drops at least the op in question, and an answer that comes
 * after its chain ended still counts), so: a user whose answers all fit in one deadline answers within the chain
 * that asked, and adds at most one thinking time; any other user may see every one of its chains end while it
 * thinks, and then each conflict costs at most a deadline (the sync that asks it, which asks within its deadline)
 * plus the thinking time, one after the other. Clients think in parallel: a sync superseded by another client's
 * answer starts again at once. With the default policy and a user who thinks 300 ms: 60 s + 32 s + 0.3 s.
 *
 * <p>Thread safety: stateless.
 */
public final class MessageBound {

    private MessageBound() {
    }

    /**
     * The most messages a run with these chains may send (see the class comment).
     *
     * @param policy the retransmission policy of every node
     * @param declaredSteps each chain's declared step bound {@code M(c)}, at least 2 each
     * @param duplicatedCopies the extra copies the network made
     * @return the bound
     * @throws IllegalArgumentException if a step bound is below 2 or {@code duplicatedCopies} is negative
     */
    public static long messages(RetryPolicy policy, Collection<Integer> declaredSteps, long duplicatedCopies) {
        Objects.requireNonNull(policy, "policy");
        if (duplicatedCopies < 0) {
            throw new IllegalArgumentException("duplicated copies must be 0 or more, got " + duplicatedCopies);
        }
        long attempts = policy.maxAttempts();
        long bound = duplicatedCopies;
        for (int m : declaredSteps) {
            if (m < 2) {
                throw new IllegalArgumentException("a chain declares at least 2 steps, got " + m);
            }
            long initiatorSteps = (m + 1) / 2;
            bound += 2 * attempts * initiatorSteps + 1;
        }
        return bound;
    }

    /**
     * A client's user as the quiet bound sees it.
     *
     * @param thinkNs how long the user thinks about a conflict, in nanoseconds, 0 or more
     * @param ops how many ops the user made (the most conflicts it can be asked about), 0 or more
     */
    public record User(long thinkNs, long ops) {

        /** @throws IllegalArgumentException if a value is negative */
        public User {
            if (thinkNs < 0 || ops < 0) {
                throw new IllegalArgumentException("thinking time and ops must be 0 or more, got " + thinkNs
                        + "ns and " + ops);
            }
        }
    }

    /**
     * How long after the last fault a run must be quiet, in nanoseconds: {@code 2 * deadline + maxDelay * 2^4 +}
     * the longest any user may spend answering conflicts (see the class comment).
     *
     * @param policy the retransmission policy of every node
     * @param users every client's user
     */
    public static long quietBoundNs(RetryPolicy policy, Collection<User> users) {
        Objects.requireNonNull(policy, "policy");
        long thinking = 0;
        for (User u : users) {
            thinking = Math.max(thinking, thinkingNs(policy, u));
        }
        return 2 * policy.deadlineNs() + (policy.maxDelay().toNanos() << OplogServer.FORWARD_BACKOFF_DOUBLINGS)
                + thinking;
    }

    /** The longest {@code user} may spend answering conflicts after the last fault (see the class comment). */
    static long thinkingNs(RetryPolicy policy, User user) {
        if (user.ops() == 0 || user.thinkNs() == 0) {
            return 0;
        }
        long deadline = policy.deadlineNs();
        if (user.thinkNs() <= deadline / user.ops()) {
            return user.thinkNs();
        }
        return Math.multiplyExact(user.ops(), deadline + user.thinkNs());
    }
}
