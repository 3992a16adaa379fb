package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;

/**
 * The initiator side of a node: it opens chains, places each reply, calls the chain's {@link Initiator} at most once
 * per reply step, and completes the chain's outcome; its {@link Retransmitter} sends the steps and owns the timers.
 * Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Placing a reply</b> is a sequence of short checks, each refusing with a typed {@link Problem}: where it
 *   is addressed, who sent it, whether it belongs to the chain, then whether it is stale (an old step, or the
 *   application is deciding) before whether it breaks the protocol: a late copy of a chain's opening can reach the
 *   peer's next incarnation, whose answer to that old step is stale, not a violation.</li>
 *   <li><b>Engine-made terminals</b> (superseded, busy, aborted) end a chain at any step without reaching its
 *   handler; they become its {@link Outcome} directly.</li>
 *   <li><b>A deferred decision</b> ({@link InitiatorAction.Defer}) leaves the chain without a retransmission timer
 *   but with its deadline armed; a decision that comes after the chain ended is ignored, and one completed on
 *   another thread than the node's is refused and logged as the bug it is, before it touches anything.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class InitiatorSide implements Retransmitter.Chains {

    private static final Logger log = Emitter.LOG;

    private final NodeId id;
    private final long incarnation;
    private final NanoClock clock;
    private final Emitter out;
    private final PeerTable peers;
    private final Retransmitter retransmitter;
    private final InitiatorTable chains = new InitiatorTable();
    private long nextSequence = 1;
    private boolean closed;

    InitiatorSide(NodeId id, long incarnation, RetryPolicy retry, NanoClock clock, Scheduler scheduler,
            RandomGenerator random, Emitter out, PeerTable peers) {
        this.id = id;
        this.incarnation = incarnation;
        this.clock = clock;
        this.out = out;
        this.peers = peers;
        this.retransmitter = new Retransmitter(id, incarnation, retry, clock, scheduler, random, out, this);
    }

    int chains() {
        return chains.size();
    }

    // ---------------------------------------------------------------- opening a chain

    /** See {@link ChainNode#start(Protocol, NodeId, Object, Initiator, boolean)}; arguments are checked there. */
    <M, R> ChainHandle<R> start(Protocol<M> protocol, NodeId peerId, M opening, Initiator<M, R> initiator,
            boolean supersedeOlder) {
        Problem problem = Problem.ofPayload(protocol, opening);
        if (problem != null) {
            throw new IllegalArgumentException("opening message of protocol '" + protocol.name() + "' refused: "
                    + problem.detail());
        }
        int maxSteps = protocol.maxSteps(opening);
        if (maxSteps < 2) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' declares " + maxSteps
                    + " steps for " + opening + "; a chain needs at least 2");
        }
        Object subject = protocol.subjectOf(opening);
        if (supersedeOlder && subject != null) {
            supersedeOwn(protocol.name(), peerId, subject);
        }
        long now = clock.nanoTime();
        Peer peer = peers.getOrAdd(peerId, now);
        if (peer.outbound == null) {
            peer.outbound = new Outbound();
        }
        ChainId chainId = new ChainId(id, incarnation, nextSequence++);
        InitiatorState<M, R> st = new InitiatorState<>(chainId, protocol, peer, subject, initiator, maxSteps,
                retransmitter, now);
        chains.add(st);
        peer.outbound.add(st);
        out.event(ChainEventType.STARTED, ChainRole.INITIATOR, protocol.name(), chainId, 0, peerId, "");
        retransmitter.sendStep(st, 0, opening);
        return new ChainHandle<>(chainId, st.outcome);
    }

    private void supersedeOwn(String protocolName, NodeId peer, Object subject) {
        for (InitiatorState<?, ?> st : chains.select(st -> st.protocol.name().equals(protocolName)
                && st.peer.id.equals(peer) && subject.equals(st.subject))) {
            finish(st, new Outcome.Superseded<>(Outcome.SupersededBy.INITIATOR, null), ChainEventType.SUPERSEDED,
                    "by a newer chain");
        }
    }

    /** See {@link ChainNode#peerReachable}. */
    int peerReachable(NodeId peerId) {
        Peer peer = peers.find(peerId);
        return closed || peer == null || peer.outbound == null ? 0 : retransmitter.peerReachable(peer.outbound);
    }

    @Override
    public boolean holds(InitiatorState<?, ?> st) {
        return chains.get(st.id.sequence()) == st;
    }

    @Override
    public void timedOut(InitiatorState<?, ?> st, String why, long nowNs) {
        finish(st, new Outcome.TimedOut<>(st.sentStep, st.attempts, nowNs - st.startedNs), ChainEventType.TIMED_OUT,
                why);
    }

    // ---------------------------------------------------------------- placing a reply

    /** Places a reply (an envelope of a chain this node opened), in short steps. */
    void onReply(Envelope e) {
        Problem problem = addressProblem(e);
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        InitiatorState<?, ?> st = chains.get(e.chainId().sequence());
        Peer from = st != null && st.peer.id.equals(e.sender()) ? st.peer : peers.find(e.sender());
        if (from != null && e.senderIncarnation() < from.incarnation) {
            out.reject(e, RejectReason.STALE_SENDER, "from incarnation " + e.senderIncarnation() + ", newest is "
                    + from.incarnation);
            return;
        }
        if (from != null && from.outbound != null) {
            from.outbound.heard(clock.nanoTime()); // even a stale reply shows the peer's queue moving
        }
        if (st == null) {
            out.stale(e, ChainRole.INITIATOR, "chain already ended");
            return;
        }
        problem = chainProblem(st, e);
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        if (isStale(st, e)) {
            out.stale(e, ChainRole.INITIATOR, "expected step " + (st.sentStep + 1));
            return;
        }
        String violation = violation(st, e);
        if (violation != null) {
            out.violation(e.protocol(), e.chainId(), e.step(), e.sender(), ChainRole.INITIATOR, violation);
            return;
        }
        accept(st, e);
    }

    /** A reply that answers the step {@code st} waits for: an engine-made terminal ends it, a message is handled. */
    private void accept(InitiatorState<?, ?> st, Envelope e) {
        peers.noteIncarnation(st.peer, e.senderIncarnation());
        retransmitter.answered(st);
        if (log.isTraceEnabled()) {
            log.trace("Received [{}] of chain [{}]", e, e.chainId());
        }
        switch (e.kind()) {
            case SUPERSEDED -> finish(st, new Outcome.Superseded<>(Outcome.SupersededBy.RESPONDER, e.payload()),
                    ChainEventType.SUPERSEDED, "by responder");
            case BUSY -> finish(st, new Outcome.Failed<>("busy: " + e.sender() + " holds too many chains",
                    FailureCause.BUSY), ChainEventType.FAILED, "busy");
            case ABORTED -> {
                Abort abort = (Abort) e.payload();
                finish(st, new Outcome.Failed<>("aborted by " + e.sender() + ": " + abort.detail(), abort.cause()),
                        ChainEventType.FAILED, "aborted: " + abort);
            }
            case STEP, TERMINAL -> handleReply(st, e);
        }
    }

    /** What is wrong with where a reply is addressed: this node's old incarnation, or an even step. */
    private Problem addressProblem(Envelope e) {
        if (e.chainId().incarnation() != incarnation
                || (e.receiverIncarnation() != 0 && e.receiverIncarnation() != incarnation)) {
            return new Problem(RejectReason.STALE_RECEIVER, "reply to incarnation " + e.chainId().incarnation()
                    + ", this is " + incarnation);
        }
        if (e.step() % 2 == 0) {
            return new Problem(RejectReason.BAD_STEP, "replies have odd steps");
        }
        return null;
    }

    /** What is wrong with a reply for this chain: another sender, another protocol, a refused payload. */
    private static Problem chainProblem(InitiatorState<?, ?> st, Envelope e) {
        if (!st.peer.id.equals(e.sender())) {
            return new Problem(RejectReason.WRONG_SENDER, "chain's peer is " + st.peer.id);
        }
        if (!st.protocol.name().equals(e.protocol())) {
            return new Problem(RejectReason.UNKNOWN_PROTOCOL, "chain speaks '" + st.protocol.name() + "', not '"
                    + e.protocol() + "'");
        }
        boolean carriesMessage = e.kind() == EnvelopeKind.STEP || e.kind() == EnvelopeKind.TERMINAL
                || e.kind() == EnvelopeKind.SUPERSEDED;
        return carriesMessage ? Problem.ofPayload(st.protocol, e.payload()) : null;
    }

    /**
     * Whether the reply is for a step already answered, or comes while the application decides. Stale before
     * blame: a late copy of this chain's opening can reach the peer's next incarnation, which answers it as new;
     * that answer to an old step is a stale message, not the peer breaking the protocol.
     */
    private static boolean isStale(InitiatorState<?, ?> st, Envelope e) {
        return e.step() < st.sentStep + 1
                || (!isEngineTerminal(e) && (st.deciding || e.step() == st.handledReplyStep));
    }

    /** How the reply breaks the protocol, or null: another incarnation mid-chain, or a step that skips ahead. */
    private static String violation(InitiatorState<?, ?> st, Envelope e) {
        if (st.peerIncarnation != 0 && e.senderIncarnation() != st.peerIncarnation && !isEngineTerminal(e)) {
            return "reply from incarnation " + e.senderIncarnation() + " in a chain answered by incarnation "
                    + st.peerIncarnation;
        }
        if (e.step() > st.sentStep + 1) {
            return "skipped ahead: expected step " + (st.sentStep + 1);
        }
        return null;
    }

    /** Superseded, busy and aborted replies are made by the engine and end a chain at any step. */
    private static boolean isEngineTerminal(Envelope e) {
        return e.kind() == EnvelopeKind.SUPERSEDED || e.kind() == EnvelopeKind.BUSY
                || e.kind() == EnvelopeKind.ABORTED;
    }

    private <M, R> void handleReply(InitiatorState<M, R> st, Envelope e) {
        retransmitter.replied(st);
        st.peerIncarnation = e.senderIncarnation();
        st.handledReplyStep = e.step();
        st.replyTerminal = e.terminal();
        out.event(ChainEventType.HANDLED, ChainRole.INITIATOR, st.protocol.name(), st.id, e.step(), st.peer.id,
                out.kindIfListening(e));
        InitiatorAction<M, R> action;
        try {
            action = Objects.requireNonNull(st.handler.onReply(st, st.protocol.messageType().cast(e.payload())),
                    "initiator handler returned null");
        } catch (RuntimeException ex) {
            log.error("Initiator handler failed in chain [{}] at step [{}]", st.id, e.step(), ex);
            if (holds(st)) {
                finish(st, new Outcome.Failed<>("initiator handler threw " + ex), ChainEventType.FAILED,
                        "handler error");
            }
            return;
        }
        if (!holds(st)) {
            // The handler called back into the node and that ended this very chain (a start with supersedeOlder
            // on the same subject, or close): it already has its outcome, so the handler's answer is dropped.
            log.debug("Chain [{}] ended while its handler ran; dropping its answer to step [{}]", st.id, e.step());
            return;
        }
        apply(st, action);
    }

    private <M, R> void apply(InitiatorState<M, R> st, InitiatorAction<M, R> action) {
        if (action instanceof InitiatorAction.Complete<M, R> c) {
            finish(st, new Outcome.Completed<>(c.result()), ChainEventType.COMPLETED, "");
        } else if (action instanceof InitiatorAction.Fail<M, R> f) {
            finish(st, new Outcome.Failed<>(f.reason()), ChainEventType.FAILED, f.reason());
        } else if (action instanceof InitiatorAction.Reply<M, R> r) {
            sendNext(st, r.message());
        } else if (action instanceof InitiatorAction.Defer<M, R> d) {
            defer(st, d);
        } else {
            throw new IllegalStateException("unknown initiator action " + action);
        }
    }

    private <M, R> void sendNext(InitiatorState<M, R> st, M message) {
        int next = st.handledReplyStep + 1;
        if (st.replyTerminal) {
            failViolation(st, next, "handler replied to a terminal message");
        } else if (next + 1 > st.maxSteps - 1) {
            failViolation(st, next, "step " + next + " would need a reply beyond the bound of " + st.maxSteps
                    + " steps");
        } else {
            Problem problem = Problem.ofPayload(st.protocol, message);
            if (problem != null) {
                failViolation(st, next, "handler's reply refused: " + problem.detail());
            } else {
                retransmitter.sendStep(st, next, message);
            }
        }
    }

    private <M, R> void defer(InitiatorState<M, R> st, InitiatorAction.Defer<M, R> d) {
        if (st.replyTerminal) {
            failViolation(st, st.handledReplyStep, "handler deferred after a terminal message");
            return;
        }
        st.deciding = true;
        retransmitter.deciding(st);
        int deferEpoch = st.epoch;
        Thread nodeThread = Thread.currentThread();
        d.decision().whenComplete((next, error) -> {
            if (Thread.currentThread() != nodeThread) {
                log.error("The deferred decision of chain [{}] completed on thread [{}], not on its node's thread"
                        + " [{}]; it is dropped (complete it on the node's thread)", st.id,
                        Thread.currentThread().getName(), nodeThread.getName());
                return;
            }
            if (closed || !holds(st) || !st.deciding || st.epoch != deferEpoch) {
                return;
            }
            st.deciding = false;
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                finish(st, new Outcome.Failed<>("deferred decision failed: " + cause), ChainEventType.FAILED,
                        "decision failed");
            } else if (next == null || next instanceof InitiatorAction.Defer) {
                finish(st, new Outcome.Failed<>("deferred decision must be reply, complete or fail, got "
                        + next), ChainEventType.FAILED, "bad decision");
            } else {
                apply(st, next);
            }
        });
    }

    // ---------------------------------------------------------------- ending

    private void failViolation(InitiatorState<?, ?> st, int step, String why) {
        out.violation(st.protocol.name(), st.id, step, st.peer.id, ChainRole.INITIATOR, why);
        finish(st, new Outcome.Failed<>("protocol violation: " + why, FailureCause.PROTOCOL_VIOLATION),
                ChainEventType.FAILED, why);
    }

    private <R> void finish(InitiatorState<?, R> st, Outcome<R> outcome, ChainEventType type, String detail) {
        chains.remove(st);
        retransmitter.ended(st);
        st.deciding = false;
        st.peer.outbound.remove(st);
        peers.released(st.peer, clock.nanoTime());
        out.event(type, ChainRole.INITIATOR, st.protocol.name(), st.id, st.sentStep, st.peer.id, detail);
        completeOutcome(st, outcome);
    }

    @SuppressWarnings("unchecked")
    private static <R> void completeOutcome(InitiatorState<?, R> st, Outcome<?> outcome) {
        try {
            st.outcome.complete((Outcome<R>) outcome);
        } catch (RuntimeException e) {
            log.error("An outcome callback of chain [{}] threw", st.id, e);
        }
    }

    /** How many chains this side opened (the last sequence it used). */
    long chainsOpened() {
        return nextSequence - 1;
    }

    /** See {@link ChainNode#digest}: the chains in flight, in the order they started. */
    void digest(StateSink sink) {
        List<InitiatorState<?, ?>> open = chains.select(st -> true);
        sink.putInt(open.size());
        for (InitiatorState<?, ?> st : open) {
            st.writeState(sink);
        }
    }

    /** Fails every chain in flight with "node closed", in the order they started, and forgets them. */
    void close() {
        closed = true;
        List<InitiatorState<?, ?>> open = chains.select(st -> true);
        chains.clear();
        for (InitiatorState<?, ?> st : open) {
            st.cancelTimer();
            completeOutcome(st, new Outcome.Failed<>("node closed", FailureCause.NODE_CLOSED));
        }
    }
}
