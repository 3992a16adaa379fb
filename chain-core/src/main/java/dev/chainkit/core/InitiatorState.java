package dev.chainkit.core;

import dev.chainkit.core.time.Cancellable;
import java.util.concurrent.CompletableFuture;

/** The initiator's record of one chain it opened. Confined to the node's thread. Not API. */
final class InitiatorState<M, R> implements InitiatorChain {

    final ChainId id;
    final Protocol<M> protocol;
    final NodeId peer;
    final Object subject;
    final Initiator<M, R> handler;
    final int maxSteps;
    final long startedNs;
    final long deadlineNs;
    final CompletableFuture<Outcome<R>> outcome = new CompletableFuture<>();

    /** The responder's incarnation, learned from its first reply; 0 until then. */
    long peerIncarnation;
    /** The step of the latest message this side sent. */
    int sentStep;
    /** The latest envelope sent, resent on retransmission. */
    Envelope lastSent;
    /** When {@link #lastSent} was first sent, in nanoseconds. */
    long sentAtNs;
    /** The first retransmission delay of the current step, in nanoseconds (adapted to the peer's round trip). */
    long firstDelayNs;
    /** How many times {@link #lastSent} was sent. */
    int attempts;
    /** The step of the latest reply handed to the handler, -1 before the first. */
    int handledReplyStep = -1;
    /** Whether that reply was terminal. */
    boolean replyTerminal;
    /** A deferred decision is pending. */
    boolean deciding;
    /** Bumped on every timer arm and every deferral, so that stale timers and decisions recognise themselves. */
    long epoch;
    Cancellable timer;

    InitiatorState(ChainId id, Protocol<M> protocol, NodeId peer, Object subject, Initiator<M, R> handler,
            int maxSteps, long startedNs, long deadlineNs) {
        this.id = id;
        this.protocol = protocol;
        this.peer = peer;
        this.subject = subject;
        this.handler = handler;
        this.maxSteps = maxSteps;
        this.startedNs = startedNs;
        this.deadlineNs = deadlineNs;
    }

    @Override
    public ChainId id() {
        return id;
    }

    @Override
    public NodeId peer() {
        return peer;
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

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
