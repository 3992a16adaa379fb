package dev.chainkit.core;

import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;

/**
 * The initiator's retransmission: it sends each step of a chain, arms the step's timer, resends on timeout with
 * backoff, and gives up at the attempt limit or the deadline. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One timer per waiting chain, no closure.</b> The chain's state is the timer's task; arming allocates
 *   only the scheduler's handle.</li>
 *   <li><b>The first delay adapts to the round trip</b> measured toward the peer (RFC 6298 with Karn's rule: only
 *   steps sent once give a sample), within the policy's initial and maximum delay, and stretched by
 *   {@code 1 / (1 - jitter)} so that the jitter never cuts it below the estimate ({@link #firstDelayNs}).</li>
 *   <li><b>A timeout is not yet a loss.</b> Independent timers on many chains toward one busy peer resend whatever
 *   waits in its queue: on a loaded but lossless threaded network, 0.6 to 4.7 needless resends per chain at 1024
 *   in flight, and Karn's rule then keeps exactly the slow replies out of the estimate, so it never learns the
 *   queueing delay. So, as QUIC's loss detection does (RFC 9002, sections 6.1 and 6.2; RACK, RFC 8985), a chain
 *   whose timer fires resends only if the peer answered a step sent after this one (it overtook it: this one is
 *   presumably lost), or if the peer has been silent for the whole timeout. While the peer answers older steps
 *   (its queue moves), the chain waits one more timeout from the peer's latest answer, counting no attempt. When
 *   the peer is silent, one chain probes it (the first whose timer fires, usually the oldest); the others sit the
 *   timeout out as an attempt without sending (so the attempt limit and the backoff still bound them), until the
 *   probe's answer shows the peer back and they, overtaken by it, resend. A lost step is still resent within its
 *   timeout: a step sent after it and answered shows the loss, and a peer that went silent is probed.</li>
 *   <li><b>Per-peer lists.</b> The chains toward a peer are kept by its {@link Outbound} record, so that
 *   {@link #peerReachable} costs that peer's chains, not the node's.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Retransmitter {

    /** What the retransmitter needs from the initiator side. */
    interface Chains {
        /** Whether {@code st} is still in flight. */
        boolean holds(InitiatorState<?, ?> st);

        /** Ends {@code st} as timed out, for {@code why}, at {@code nowNs}. */
        void timedOut(InitiatorState<?, ?> st, String why, long nowNs);
    }

    private static final Logger log = Emitter.LOG;

    private final NodeId id;
    private final long incarnation;
    private final RetryPolicy retry;
    private final NanoClock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Emitter out;
    private final Chains chains;

    Retransmitter(NodeId id, long incarnation, RetryPolicy retry, NanoClock clock, Scheduler scheduler,
            RandomGenerator random, Emitter out, Chains chains) {
        this.id = id;
        this.incarnation = incarnation;
        this.retry = retry;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.out = out;
        this.chains = chains;
    }

    /** Sends step {@code step} of {@code st}, {@code message}, for the first time, and waits for its reply. */
    <M> void sendStep(InitiatorState<M, ?> st, int step, M message) {
        st.sentStep = step;
        st.attempts = 1;
        st.backoff = 1;
        st.resent = false;
        st.lastMessage = message;
        out.send(stepEnvelope(st), ChainRole.INITIATOR);
        st.sentAtNs = clock.nanoTime();
        st.firstDelayNs = firstDelayNs(st.peer.outbound);
        armTimer(st, retry.delayNs(1, st.firstDelayNs, random));
    }

    /** The peer answered the step {@code st} waits for (in whatever way): that is progress, and it overtakes. */
    void answered(InitiatorState<?, ?> st) {
        st.peer.outbound.answered(st.sentAtNs);
    }

    /** The reply to the step {@code st} waits for reaches its handler: stops its timer, takes a round-trip sample. */
    void replied(InitiatorState<?, ?> st) {
        st.cancelTimer();
        if (!st.resent) { // Karn's rule: time only steps that were sent once
            st.peer.outbound.rtt.sample(clock.nanoTime() - st.sentAtNs);
        }
    }

    /** The application decides before the next step: no retransmission, but the deadline still runs. */
    void deciding(InitiatorState<?, ?> st) {
        armTimer(st, Long.MAX_VALUE);
    }

    /** {@code st} ended: stops its timer. */
    void ended(InitiatorState<?, ?> st) {
        st.cancelTimer();
    }

    /**
     * A chain's timer fired (called by {@link InitiatorState#run()}). A timer that was cancelled never fires (the
     * {@link Scheduler} contract); one that fires anyway after its chain ended or moved on finds no timer armed, or
     * the chain gone, and does nothing.
     */
    void onTimer(InitiatorState<?, ?> st) {
        if (st.timer == null || !chains.holds(st)) {
            return;
        }
        st.timer = null;
        long now = clock.nanoTime();
        if (st.startedNs + retry.deadlineNs() - now <= 0 || st.deciding || st.attempts >= retry.maxAttempts()) {
            String why = st.deciding ? "the deadline passed while the application was deciding"
                    : st.attempts >= retry.maxAttempts() ? "no answer after " + st.attempts + " attempts"
                    : "the deadline passed after " + st.attempts + " attempts";
            out.warn(st.peer.id, Emitter.Warning.GAVE_UP, 0, "Giving up on chain [{}] at step [{}]: {}", st.id,
                    st.sentStep, why);
            chains.timedOut(st, why, now);
            return;
        }
        Outbound toward = st.peer.outbound;
        long timeout = retry.backoffNs(st.backoff, st.firstDelayNs);
        boolean overtaken = toward.replied && toward.lastAnsweredSendNs - st.sentAtNs > 0;
        if (!overtaken && toward.replied && now - toward.lastReplyNs < timeout) {
            armTimer(st, toward.lastReplyNs + timeout - now); // the peer's queue moves: wait from its latest answer
        } else if (!overtaken && toward.probe != null && toward.probe != st) {
            st.attempts++; // the peer is silent and another chain probes it: sit this timeout out
            nextBackoff(st);
            armTimer(st, retry.delayNs(st.backoff, st.firstDelayNs, random));
        } else {
            if (!overtaken) {
                toward.probe = st; // the peer is silent: this chain probes it for all
            }
            retransmit(st, overtaken ? "overtaken" : "probe");
            nextBackoff(st);
            toward.rtt.backOff(retry.backoffNs(st.backoff, st.firstDelayNs));
            armTimer(st, retry.delayNs(st.backoff, st.firstDelayNs, random));
        }
    }

    private static void nextBackoff(InitiatorState<?, ?> st) {
        if (st.backoff < Byte.MAX_VALUE) {
            st.backoff++;
        }
    }

    /**
     * See {@link ChainNode#peerReachable}: each waiting chain resends now and starts its backoff over, and the
     * backoff the outage built into the round-trip estimate is dropped.
     */
    int peerReachable(Outbound toward) {
        toward.rtt.linkBack();
        List<InitiatorState<?, ?>> waiting = new ArrayList<>();
        for (int i = 0; i < toward.chains; i++) {
            InitiatorState<?, ?> st = toward.chain(i);
            if (st.timer != null && !st.deciding && st.attempts < retry.maxAttempts()) {
                waiting.add(st);
            }
        }
        waiting.sort((x, y) -> Long.compare(x.id.sequence(), y.id.sequence()));
        long now = clock.nanoTime();
        int resent = 0;
        for (InitiatorState<?, ?> st : waiting) {
            if (st.startedNs + retry.deadlineNs() - now > 0) {
                retransmit(st, "peer reachable again");
                st.backoff = 1;
                armTimer(st, retry.delayNs(1, st.firstDelayNs, random));
                resent++;
            }
        }
        return resent;
    }

    /** Resends the latest message of {@code st} as one more attempt. */
    private void retransmit(InitiatorState<?, ?> st, String why) {
        st.attempts++;
        st.resent = true;
        if (log.isDebugEnabled()) {
            log.debug("Retransmitting step [{}] of chain [{}], attempt [{}] ({})", st.sentStep, st.id, st.attempts,
                    why);
        }
        out.resend(stepEnvelope(st));
        st.sentAtNs = clock.nanoTime();
    }

    private void armTimer(InitiatorState<?, ?> st, long delayNs) {
        st.cancelTimer();
        long now = clock.nanoTime();
        long delay = Math.min(delayNs, Math.max(0, st.startedNs + retry.deadlineNs() - now));
        st.epoch++;
        st.timerDueNs = delay > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delay; // saturating: never
        st.timer = scheduler.schedule(delay, st);
    }

    /** The envelope of the initiator's latest step: built again for each retransmission, which is rare. */
    private Envelope stepEnvelope(InitiatorState<?, ?> st) {
        return new Envelope(st.protocol.name(), st.id, st.sentStep, id, incarnation, st.peer.id, st.peerIncarnation,
                EnvelopeKind.STEP, st.lastMessage);
    }

    /**
     * The first retransmission delay toward a peer: its measured timeout within the policy's bounds. The policy's
     * jitter shortens a delay by up to its fraction, and RFC 6298 never fires before the timeout, so the timeout is
     * first stretched by {@code 1 / (1 - jitter)}: even the shortest jittered delay waits it out. Without that,
     * replies slower than the jittered timeout were resent for nothing (about 4% of steps on a 40..160 ms link, P5
     * in docs/BENCHMARKS.md).
     */
    private long firstDelayNs(Outbound toward) {
        long initial = retry.initialDelayNs();
        long timeout = toward.rtt.timeoutNs();
        if (timeout == 0) {
            return initial;
        }
        long stretched = retry.jitter() == 0 ? timeout : (long) Math.ceil(timeout / (1 - retry.jitter()));
        return Math.min(Math.max(stretched, initial), retry.maxDelayNs());
    }
}
