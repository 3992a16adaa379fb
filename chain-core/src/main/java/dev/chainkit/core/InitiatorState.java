package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.Cancellable;
import java.util.concurrent.CompletableFuture;

/**
 * The initiator's record of one chain it opened, and the task of its retransmission timer (so that arming a timer
 * allocates no closure). Lean on purpose: it is what an in-flight chain costs (P4 in docs/BENCHMARKS.md). Confined
 * to the node's thread. Not API.
 */
final class InitiatorState<M, R> implements InitiatorChain, Runnable {

    final ChainId id;
    final Protocol<M> protocol;
    final Peer peer;
    final Object subject;
    final Initiator<M, R> handler;
    final int maxSteps;
    final Retransmitter owner;
    /** When the chain started, in nanoseconds; its deadline follows from the retry policy. */
    final long startedNs;
    final CompletableFuture<Outcome<R>> outcome = new CompletableFuture<>();

    /** The responder's incarnation, learned from its first reply; 0 until then. */
    long peerIncarnation;
    /** The step of the latest message this side sent. */
    int sentStep;
    /** The message of {@link #sentStep}; a retransmission sends it again in a new envelope of that step. */
    Object lastMessage;
    /** When {@link #lastMessage} was last sent (first sent, or resent), in nanoseconds. */
    long sentAtNs;
    /** The first retransmission delay of the current step, in nanoseconds (adapted to the peer's round trip). */
    long firstDelayNs;
    /**
     * The attempts at the current step: its sends, plus the timeouts it sat out while an older step probed a silent
     * peer for it ({@link Retransmitter}).
     */
    int attempts;
    /** The step of the latest reply handed to the handler, -1 before the first. */
    int handledReplyStep = -1;
    /** Whether that reply was terminal. */
    boolean replyTerminal;
    /** A deferred decision is pending. */
    boolean deciding;
    /** The current step was sent more than once: its reply gives no round-trip sample (Karn's rule). */
    boolean resent;
    /** Where the current step is in its backoff schedule: 1 after its first send, one more per timeout. */
    byte backoff;
    /** Bumped on every timer arm and every deferral, so that stale timers and decisions recognise themselves. */
    int epoch;
    Cancellable timer;
    /** When {@link #timer} is due, in nanoseconds (valid while it is armed). */
    long timerDueNs;
    /** Where it is in its peer's {@link Outbound} list of chains. */
    int outboundIndex;

    InitiatorState(ChainId id, Protocol<M> protocol, Peer peer, Object subject, Initiator<M, R> handler,
            int maxSteps, Retransmitter owner, long startedNs) {
        this.id = id;
        this.protocol = protocol;
        this.peer = peer;
        this.subject = subject;
        this.handler = handler;
        this.maxSteps = maxSteps;
        this.owner = owner;
        this.startedNs = startedNs;
    }

    /** The retransmission timer fired. */
    @Override
    public void run() {
        owner.onTimer(this);
    }

    @Override
    public ChainId id() {
        return id;
    }

    @Override
    public NodeId peer() {
        return peer.id;
    }

    @Override
    public int step() {
        return handledReplyStep;
    }

    @Override
    public Object subject() {
        return subject;
    }

    @Override
    public boolean terminal() {
        return replyTerminal;
    }

    /**
     * Writes the chain's state (see {@link ChainNode#digest}). Left out: the handler (the application's), the
     * outcome future (the chain is held only until it completes) and the epoch (it only tells a stale timer or
     * decision from the current one).
     */
    void writeState(StateSink sink) {
        sink.putChainId(id).putString(protocol.name()).putNode(peer.id).putValue(subject).putInt(maxSteps);
        sink.putTime(startedNs).putLong(peerIncarnation).putInt(sentStep).putMessage(protocol.name(), lastMessage);
        sink.putTime(sentAtNs).putLong(firstDelayNs).putInt(attempts).putInt(handledReplyStep);
        sink.putBoolean(replyTerminal).putBoolean(deciding).putBoolean(resent).putInt(backoff);
        sink.putBoolean(timer != null);
        if (timer != null) {
            sink.putTime(timerDueNs);
        }
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
