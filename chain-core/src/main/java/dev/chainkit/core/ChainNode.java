package dev.chainkit.core;

import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain engine of one node: it opens chains as initiator, answers chains as responder, and keeps every
 * promise of the design (architecture.md, "The engine's promises").
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The waiting side owns the timers.</b> Only an initiator awaiting a reply retransmits its latest
 *   message, on its {@link RetryPolicy}; the first delay of each step adapts to the round-trip time measured
 *   toward that peer (RFC 6298 with Karn's rule, within the policy's initial and maximum delay; the jitter never
 *   cuts it below the estimate), so a slow link does not cause spurious resends. The responder keeps no timer per
 *   chain. It answers duplicates from its reply cache (the latest reply of each in-flight chain) and from
 *   tombstones (the terminal reply of each ended chain, kept for the dedup window). One node-wide housekeeping
 *   timer forgets expired tombstones and idle chains. With one side resending and the other only answering,
 *   resends cannot echo.</li>
 *   <li><b>Nothing per chain outlives the chain but its tombstone, and that is not an object.</b> Tombstones live
 *   for the dedup window (32 s by default), the lifetime a generational collector handles worst; the
 *   {@link TombstoneTable} keeps them in arrays, and an ended chain leaves nothing in the {@link IdleQueue}. So at
 *   high rates the collector copies no per-chain objects, and after a burst the memory comes back
 *   (docs/BENCHMARKS.md, P1 and P4).</li>
 *   <li><b>At most once.</b> A step reaches a handler at most once: duplicates of the latest step get the cached
 *   reply, older steps are ignored, a step that skips ahead is a violation and is never applied. After a chain is
 *   forgotten, its late opening is refused ({@link RejectReason#LATE_OPENING}) by a per-peer watermark of
 *   forgotten sequence numbers, so no handler runs twice even after the window (see {@link NodeSettings}).</li>
 *   <li><b>Termination.</b> Each chain has a step bound ({@link Protocol#maxSteps}) and a deadline; attempts per
 *   step are bounded. Exceeding the step bound is a violation that ends the chain.</li>
 *   <li><b>Supersede.</b> {@link #supersede} ends every in-flight responder chain on a subject with a terminal
 *   {@link EnvelopeKind#SUPERSEDED} reply, pushed at once and kept as the tombstone for any later message;
 *   {@link #start(Protocol, NodeId, Object, Initiator, boolean)} can supersede the node's own older chains.</li>
 *   <li><b>Incarnations.</b> Chain ids carry the initiator's incarnation; envelopes carry the sender's, and the
 *   receiver's as the sender knows it. Envelopes to an older incarnation of this node, or from an older
 *   incarnation of a peer whose newer one was seen, are refused. A peer's new incarnation clears what was held
 *   for its old one.</li>
 *   <li><b>Bad input never throws into the transport.</b> {@link #onEnvelope} refuses what it cannot place, with
 *   a {@link RejectReason}, a counter and an event, and changes no state.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Not thread-safe. A node is confined to one thread (its executor): every method, every {@link Scheduler} task,
 * every inbound {@link #onEnvelope} call, every handler and listener call and every outcome completion happens
 * there. {@link Transport#send} is called there too.
 */
public final class ChainNode {

    private static final Logger log = LoggerFactory.getLogger(ChainNode.class);
    private static final Comparator<InitiatorState<?, ?>> IN_START_ORDER =
            Comparator.comparingLong(st -> st.id.sequence());

    private final NodeId id;
    private final long incarnation;
    private final NodeSettings settings;
    private final RetryPolicy retry;
    private final Transport transport;
    private final NanoClock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final ChainListener listener;
    private final boolean listening;

    private final Map<String, Registration<?>> registrations = new HashMap<>();
    /**
     * The chains this node opened that have not ended. A plain {@code HashMap} (8 bytes less per in-flight chain than
     * a linked one, P4 in docs/BENCHMARKS.md); where order matters, chains are taken in the order they started,
     * which is their sequence number's.
     */
    private final Map<ChainId, InitiatorState<?, ?>> initiated = new HashMap<>();
    private final Map<ChainId, ResponderState> responding = new LinkedHashMap<>();
    private final TombstoneTable tombstones = new TombstoneTable();
    private final Map<NodeId, PeerState> peers = new HashMap<>();
    private final Map<NodeId, RttEstimator> roundTrips = new HashMap<>();
    private final IdleQueue idleChecks = new IdleQueue();
    private final TombstoneTable.Expired onTombstoneExpired = this::tombstoneExpired;
    private final Runnable onHousekeeping = this::onHousekeeping;
    private final long[] eventCounts = new long[ChainEventType.values().length];
    private final long[] rejectCounts = new long[RejectReason.values().length];

    /** The responder chain whose handler is running, if any: a supersede from inside that handler spares it. */
    private ResponderState handling;
    private Cancellable housekeeping;
    private long housekeepingAtNs;
    private long nextSequence = 1;
    private boolean closed;

    private ChainNode(Builder b) {
        this.id = b.id;
        this.incarnation = b.incarnation;
        this.settings = b.settings;
        this.retry = b.settings.retryPolicy();
        this.transport = b.transport;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.random = b.random != null ? b.random : new SplittableRandom(31L * b.id.hashCode() + b.incarnation);
        this.listener = b.listener;
        this.listening = b.listener != ChainListener.NONE;
    }

    /**
     * Starts building a node.
     *
     * @param id the node's id
     * @param incarnation the node's incarnation, at least 1; must differ after every restart (a persisted counter
     *     or a boot timestamp)
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code incarnation} is below 1
     */
    public static Builder builder(NodeId id, long incarnation) {
        return new Builder(id, incarnation);
    }

    /** This node's id. */
    public NodeId id() {
        return id;
    }

    /** This node's incarnation. */
    public long incarnation() {
        return incarnation;
    }

    /** This node's settings. */
    public NodeSettings settings() {
        return settings;
    }

    /**
     * Lets this node answer chains of {@code protocol} with {@code responder}.
     *
     * @throws IllegalStateException if a protocol of that name is already registered, or the node is closed
     */
    public <M> void register(Protocol<M> protocol, Responder<M> responder) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(responder, "responder");
        checkOpen();
        if (registrations.putIfAbsent(protocol.name(), new Registration<>(protocol, responder)) != null) {
            throw new IllegalStateException("protocol '" + protocol.name() + "' is already registered on " + id);
        }
    }

    /**
     * Opens a chain toward {@code peer}; same as {@link #start(Protocol, NodeId, Object, Initiator, boolean)} without
     * superseding older chains.
     */
    public <M, R> ChainHandle<R> start(Protocol<M> protocol, NodeId peer, M opening, Initiator<M, R> initiator) {
        return start(protocol, peer, opening, initiator, false);
    }

    /**
     * Opens a chain toward {@code peer} by sending {@code opening} (step 0), and retransmits it until answered.
     *
     * @param protocol the protocol the chain speaks
     * @param peer the responder
     * @param opening the opening message
     * @param initiator this chain's handler for replies
     * @param supersedeOlder when true, this node's older in-flight chains of the same protocol toward the same
     *     peer with an equal, non-null subject end at once with outcome {@link Outcome.Superseded} by
     *     {@link Outcome.SupersededBy#INITIATOR}; their late replies are ignored. Called from inside an older
     *     chain's initiator handler, it ends that chain too, and that handler's answer is dropped
     * @return the chain's id and the future of its outcome
     * @throws IllegalArgumentException if {@code peer} is this node, the opening is not of the protocol's message
     *     type, the protocol's {@link Protocol#validate} refuses it, or its step bound is below 2
     * @throws IllegalStateException if the node is closed
     */
    public <M, R> ChainHandle<R> start(Protocol<M> protocol, NodeId peer, M opening, Initiator<M, R> initiator,
            boolean supersedeOlder) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(opening, "opening");
        Objects.requireNonNull(initiator, "initiator");
        checkOpen();
        if (peer.equals(id)) {
            throw new IllegalArgumentException("node " + id + " cannot open a chain to itself");
        }
        Optional<String> problem = checkPayload(protocol, opening);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("opening message of protocol '" + protocol.name() + "' refused: "
                    + problem.get());
        }
        int maxSteps = protocol.maxSteps(opening);
        if (maxSteps < 2) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' declares " + maxSteps
                    + " steps for " + opening + "; a chain needs at least 2");
        }
        Object subject = protocol.subjectOf(opening);
        if (supersedeOlder && subject != null) {
            supersedeOwn(protocol.name(), peer, subject);
        }
        long now = clock.nanoTime();
        ChainId chainId = new ChainId(id, incarnation, nextSequence++);
        InitiatorState<M, R> st = new InitiatorState<>(chainId, protocol, peer, subject, initiator, maxSteps, this,
                now);
        initiated.put(chainId, st);
        event(ChainEventType.STARTED, ChainRole.INITIATOR, protocol.name(), chainId, 0, peer, "");
        sendStep(st, 0, opening);
        return new ChainHandle<>(chainId, st.outcome);
    }

    /**
     * Supersedes every in-flight chain this node is answering for {@code protocol} on {@code subject}: each gets a
     * terminal {@link EnvelopeKind#SUPERSEDED} reply carrying {@code info}, sent at once and kept as its tombstone,
     * so every later message of those chains gets the same answer. Call it when the state those chains are about
     * changed.
     *
     * <p>Called from inside a responder handler (say, one that just committed a change), it spares that handler's
     * own chain, which is answering already.
     *
     * @param protocol the protocol whose chains to end
     * @param subject the subject (compared with {@link Object#equals}); chains without a subject are never matched
     * @param info makes the protocol data for each chain's reply (for op-log sync: the log's latest ops)
     * @return how many chains were superseded
     * @throws NullPointerException if an argument is null, or {@code info} returns null
     * @throws IllegalArgumentException if {@code info} makes a message the protocol refuses (chains superseded
     *     before it stay superseded)
     * @throws IllegalStateException if the node is closed
     */
    public <M> int supersede(Protocol<M> protocol, Object subject,
            Function<? super ResponderChain, ? extends M> info) {
        return supersede(protocol, subject, chain -> true, info);
    }

    /**
     * Supersedes, as {@link #supersede(Protocol, Object, Function)} does, only those in-flight chains on
     * {@code subject} that {@code which} selects: for a responder whose chains on one subject are in different
     * places, say some holding a state the change made stale and others whose answer is already decided and only
     * deferred until it is durable.
     *
     * @param protocol the protocol whose chains to end
     * @param subject the subject (compared with {@link Object#equals}); chains without a subject are never matched
     * @param which selects the chains to end among those matched; called on this node's thread
     * @param info makes the protocol data for each chain's reply
     * @return how many chains were superseded
     * @throws NullPointerException if an argument is null, or {@code info} returns null
     * @throws IllegalArgumentException if {@code info} makes a message the protocol refuses (chains superseded
     *     before it stay superseded)
     * @throws IllegalStateException if the node is closed
     */
    public <M> int supersede(Protocol<M> protocol, Object subject, Predicate<? super ResponderChain> which,
            Function<? super ResponderChain, ? extends M> info) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(which, "which");
        Objects.requireNonNull(info, "info");
        checkOpen();
        List<ResponderState> matched = new ArrayList<>();
        for (ResponderState rs : responding.values()) {
            if (rs != handling && rs.registration.protocol().name().equals(protocol.name())
                    && subject.equals(rs.subject) && which.test(rs)) {
                matched.add(rs);
            }
        }
        for (ResponderState rs : matched) {
            M payload = Objects.requireNonNull(info.apply(rs), "supersede info for chain " + rs.id);
            Optional<String> problem = checkPayload(protocol, payload);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("supersede info for chain " + rs.id + " is refused by protocol '"
                        + protocol.name() + "': " + problem.get());
            }
            Envelope reply = replyEnvelope(rs.registration.protocol().name(), rs.id, rs.lastStep + 1, rs.peer,
                    EnvelopeKind.SUPERSEDED, payload);
            endResponderChain(rs, reply, ChainEventType.SUPERSEDED);
        }
        return matched.size();
    }

    /**
     * Hands an inbound envelope to the node. Never throws: an envelope the node cannot place is refused with a
     * {@link RejectReason} (event {@link ChainEventType#REJECTED}, counted) and changes no state.
     *
     * <p>Threading: call on the node's thread.
     *
     * @param envelope the envelope as the transport received it; may even be null
     */
    public void onEnvelope(Envelope envelope) {
        if (closed) {
            return;
        }
        try {
            if (envelope == null) {
                reject(null, RejectReason.NULL_ENVELOPE, "null envelope");
            } else if (!envelope.receiver().equals(id)) {
                reject(envelope, RejectReason.WRONG_RECEIVER, "addressed to " + envelope.receiver());
            } else if (envelope.chainId().initiator().equals(id)) {
                onReply(envelope);
            } else {
                onRequest(envelope);
            }
        } catch (RuntimeException e) {
            log.error("Bug while handling [{}] on node [{}]", envelope, id, e);
        }
    }

    /**
     * Tells the node that {@code peer} is reachable again (a transport's link to it came back up): each chain this
     * node opened toward the peer that waits for a reply resends its latest message now, instead of waiting out a
     * backoff that grew while the link was down, and backs off from its first delay again. The resend counts as an
     * attempt, so the attempt limit and the deadline bound a flapping link's resends as they bound any other.
     * Chains whose application is deciding, or that have used up their attempts, are left to their timers.
     *
     * <p>Threading: call on the node's thread.
     *
     * @param peer the peer whose link came back
     * @return how many chains were resent
     * @throws NullPointerException if {@code peer} is null
     */
    public int peerReachable(NodeId peer) {
        Objects.requireNonNull(peer, "peer");
        if (closed) {
            return 0;
        }
        List<InitiatorState<?, ?>> waiting = new ArrayList<>();
        for (InitiatorState<?, ?> st : initiated.values()) {
            if (st.peer.equals(peer) && st.timer != null && !st.deciding && st.attempts < retry.maxAttempts()) {
                waiting.add(st);
            }
        }
        waiting.sort(IN_START_ORDER);
        long now = clock.nanoTime();
        int resent = 0;
        for (InitiatorState<?, ?> st : waiting) {
            if (st.startedNs + retry.deadlineNs() - now > 0) {
                retransmit(st, "peer reachable again");
                armTimer(st, retry.delayNs(1, st.firstDelayNs, random));
                resent++;
            }
        }
        return resent;
    }

    /** A snapshot of this node's counters. */
    public NodeStats stats() {
        return NodeStats.of(eventCounts, rejectCounts, initiated.size(), responding.size(), tombstones.size());
    }

    /** Whether any chain this node opened is still in flight. */
    public boolean hasInitiatorChains() {
        return !initiated.isEmpty();
    }

    /** Whether this node is answering any chain that has not ended. */
    public boolean hasResponderChains() {
        return !responding.isEmpty();
    }

    /**
     * Stops the node in an orderly way: cancels its timers, fails its in-flight chains' outcomes with reason
     * "node closed", and forgets everything. Later envelopes are ignored. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (housekeeping != null) {
            housekeeping.cancel();
        }
        List<InitiatorState<?, ?>> open = new ArrayList<>(initiated.values());
        open.sort(IN_START_ORDER);
        initiated.clear();
        for (InitiatorState<?, ?> st : open) {
            st.cancelTimer();
            completeOutcome(st, new Outcome.Failed<>("node closed"));
        }
        responding.clear();
        tombstones.clear();
        idleChecks.clear();
    }

    // ---------------------------------------------------------------- initiator side

    private <M, R> void sendStep(InitiatorState<M, R> st, int step, M message) {
        st.sentStep = step;
        st.attempts = 1;
        st.lastMessage = message;
        send(stepEnvelope(st), ChainRole.INITIATOR);
        st.sentAtNs = clock.nanoTime();
        st.firstDelayNs = firstDelayNs(st.peer);
        armTimer(st, retry.delayNs(1, st.firstDelayNs, random));
    }

    private void armTimer(InitiatorState<?, ?> st, long delayNs) {
        st.cancelTimer();
        long now = clock.nanoTime();
        long untilDeadline = Math.max(0, st.startedNs + retry.deadlineNs() - now);
        st.epoch++;
        st.timer = scheduler.schedule(Math.min(delayNs, untilDeadline), st);
    }

    /** The envelope of the initiator's latest step: built again for each retransmission, which is rare. */
    private Envelope stepEnvelope(InitiatorState<?, ?> st) {
        return new Envelope(st.protocol.name(), st.id, st.sentStep, id, incarnation, st.peer, st.peerIncarnation,
                EnvelopeKind.STEP, st.lastMessage);
    }

    /**
     * A chain's timer fired (called by {@link InitiatorState#run()}). A timer that was cancelled never fires (the
     * {@link Scheduler} contract); one that fires anyway after its chain ended or moved on finds no timer armed, or
     * the chain gone, and does nothing.
     */
    void onTimer(InitiatorState<?, ?> st) {
        if (closed || st.timer == null || initiated.get(st.id) != st) {
            return;
        }
        st.timer = null;
        long now = clock.nanoTime();
        if (st.startedNs + retry.deadlineNs() - now <= 0 || st.deciding || st.attempts >= retry.maxAttempts()) {
            String why = st.deciding ? "the deadline passed while the application was deciding"
                    : st.attempts >= retry.maxAttempts() ? "no answer after " + st.attempts + " attempts"
                    : "the deadline passed after " + st.attempts + " attempts";
            log.warn("Giving up on chain [{}] at step [{}]: {}", st.id, st.sentStep, why);
            finish(st, new Outcome.TimedOut<>(st.sentStep, st.attempts, now - st.startedNs),
                    ChainEventType.TIMED_OUT, why);
            return;
        }
        retransmit(st, "timer");
        roundTrip(st.peer).backOff(retry.backoffNs(st.attempts, st.firstDelayNs));
        armTimer(st, retry.delayNs(st.attempts, st.firstDelayNs, random));
    }

    /** Resends the latest message of {@code st} as one more attempt. */
    private void retransmit(InitiatorState<?, ?> st, String why) {
        st.attempts++;
        if (log.isDebugEnabled()) {
            log.debug("Retransmitting step [{}] of chain [{}], attempt [{}] ({})", st.sentStep, st.id, st.attempts,
                    why);
        }
        Envelope again = stepEnvelope(st);
        eventCounts[ChainEventType.RETRANSMITTED.ordinal()]++;
        if (listening) {
            emit(ChainEventType.RETRANSMITTED, ChainRole.INITIATOR, st.protocol.name(), st.id, st.sentStep, st.peer,
                    again.messageKind());
        }
        transport.send(again);
    }

    private void onReply(Envelope e) {
        if (e.chainId().incarnation() != incarnation
                || (e.receiverIncarnation() != 0 && e.receiverIncarnation() != incarnation)) {
            reject(e, RejectReason.STALE_RECEIVER, "reply to incarnation " + e.chainId().incarnation()
                    + ", this is " + incarnation);
            return;
        }
        if (e.step() % 2 == 0) {
            reject(e, RejectReason.BAD_STEP, "replies have odd steps");
            return;
        }
        PeerState ps = peers.get(e.sender());
        if (ps != null && e.senderIncarnation() < ps.incarnation) {
            reject(e, RejectReason.STALE_SENDER, "from incarnation " + e.senderIncarnation() + ", newest is "
                    + ps.incarnation);
            return;
        }
        InitiatorState<?, ?> st = initiated.get(e.chainId());
        if (st == null) {
            stale(e, ChainRole.INITIATOR, "chain already ended");
            return;
        }
        if (!st.peer.equals(e.sender())) {
            reject(e, RejectReason.WRONG_SENDER, "chain's peer is " + st.peer);
            return;
        }
        if (!st.protocol.name().equals(e.protocol())) {
            reject(e, RejectReason.UNKNOWN_PROTOCOL, "chain speaks '" + st.protocol.name() + "', not '"
                    + e.protocol() + "'");
            return;
        }
        if (e.kind() == EnvelopeKind.STEP || e.kind() == EnvelopeKind.TERMINAL
                || e.kind() == EnvelopeKind.SUPERSEDED) {
            Optional<String> problem = checkPayload(st.protocol, e.payload());
            if (problem.isPresent()) {
                reject(e, problem.get().startsWith("not a ") ? RejectReason.PAYLOAD_TYPE
                        : RejectReason.PAYLOAD_INVALID, problem.get());
                return;
            }
        }
        boolean engineTerminal = e.kind() == EnvelopeKind.SUPERSEDED || e.kind() == EnvelopeKind.BUSY
                || e.kind() == EnvelopeKind.ABORTED;
        int expected = st.sentStep + 1;
        // Stale before blame: a late copy of this chain's opening can reach the peer's next incarnation, which
        // answers it as new; that answer to an old step is a stale message, not the peer breaking the protocol.
        if (e.step() < expected || (!engineTerminal && (st.deciding || e.step() == st.handledReplyStep))) {
            stale(e, ChainRole.INITIATOR, "expected step " + expected);
            return;
        }
        if (st.peerIncarnation != 0 && e.senderIncarnation() != st.peerIncarnation && !engineTerminal) {
            violation(e, ChainRole.INITIATOR, "reply from incarnation " + e.senderIncarnation()
                    + " in a chain answered by incarnation " + st.peerIncarnation);
            return;
        }
        if (e.step() > expected) {
            violation(e, ChainRole.INITIATOR, "skipped ahead: expected step " + expected);
            return;
        }
        notePeerIncarnation(e.sender(), e.senderIncarnation());
        traceReceived(e);
        switch (e.kind()) {
            case SUPERSEDED -> finish(st, new Outcome.Superseded<>(Outcome.SupersededBy.RESPONDER, e.payload()),
                    ChainEventType.SUPERSEDED, "by responder");
            case BUSY -> finish(st, new Outcome.Failed<>("busy: " + e.sender()
                    + " holds too many chains from this node"), ChainEventType.FAILED, "busy");
            case ABORTED -> finish(st, new Outcome.Failed<>("aborted by " + e.sender() + ": " + e.payload()),
                    ChainEventType.FAILED, "aborted: " + e.payload());
            case STEP, TERMINAL -> handleReply(st, e);
        }
    }

    private <M, R> void handleReply(InitiatorState<M, R> st, Envelope e) {
        st.cancelTimer();
        if (st.attempts == 1) { // Karn's rule: time only steps that were sent once
            roundTrip(st.peer).sample(clock.nanoTime() - st.sentAtNs);
        }
        st.peerIncarnation = e.senderIncarnation();
        st.handledReplyStep = e.step();
        st.replyTerminal = e.terminal();
        event(ChainEventType.HANDLED, ChainRole.INITIATOR, st.protocol.name(), st.id, e.step(), st.peer,
                kindIfListening(e));
        InitiatorAction<M, R> action;
        try {
            action = Objects.requireNonNull(st.handler.onReply(st, st.protocol.messageType().cast(e.payload())),
                    "initiator handler returned null");
        } catch (RuntimeException ex) {
            log.error("Initiator handler failed in chain [{}] at step [{}]", st.id, e.step(), ex);
            if (initiated.get(st.id) == st) {
                finish(st, new Outcome.Failed<>("initiator handler threw " + ex), ChainEventType.FAILED,
                        "handler error");
            }
            return;
        }
        if (initiated.get(st.id) != st) {
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
            int next = st.handledReplyStep + 1;
            if (st.replyTerminal) {
                failViolation(st, next, "handler replied to a terminal message");
            } else if (next + 1 > st.maxSteps - 1) {
                failViolation(st, next, "step " + next + " would need a reply beyond the bound of " + st.maxSteps
                        + " steps");
            } else {
                Optional<String> problem = checkPayload(st.protocol, r.message());
                if (problem.isPresent()) {
                    failViolation(st, next, "handler's reply refused: " + problem.get());
                } else {
                    sendStep(st, next, r.message());
                }
            }
        } else if (action instanceof InitiatorAction.Defer<M, R> d) {
            if (st.replyTerminal) {
                failViolation(st, st.handledReplyStep, "handler deferred after a terminal message");
                return;
            }
            st.deciding = true;
            armTimer(st, Long.MAX_VALUE); // the deadline still runs while the application decides
            int deferEpoch = st.epoch;
            d.decision().whenComplete((next, error) -> {
                if (closed || initiated.get(st.id) != st || !st.deciding || st.epoch != deferEpoch) {
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
        } else {
            throw new IllegalStateException("unknown initiator action " + action);
        }
    }

    /**
     * The first retransmission delay toward {@code peer}: its measured timeout within the policy's bounds. The
     * policy's jitter shortens a delay by up to its fraction, and RFC 6298 never fires before the timeout, so the
     * timeout is first stretched by {@code 1 / (1 - jitter)}: even the shortest jittered delay waits it out. Without
     * that, replies slower than the jittered timeout were resent for nothing (about 4% of steps on a 40..160 ms link,
     * P5 in docs/BENCHMARKS.md).
     */
    private long firstDelayNs(NodeId peer) {
        RttEstimator rtt = roundTrips.get(peer);
        long initial = retry.initialDelay().toNanos();
        if (rtt == null) {
            return initial;
        }
        long timeout = rtt.timeoutNs();
        long stretched = retry.jitter() == 0 ? timeout : (long) Math.ceil(timeout / (1 - retry.jitter()));
        return Math.min(Math.max(stretched, initial), retry.maxDelay().toNanos());
    }

    private RttEstimator roundTrip(NodeId peer) {
        return roundTrips.computeIfAbsent(peer, p -> new RttEstimator());
    }

    private void failViolation(InitiatorState<?, ?> st, int step, String why) {
        countViolation(st.protocol.name(), st.id, step, st.peer, ChainRole.INITIATOR, why);
        finish(st, new Outcome.Failed<>("protocol violation: " + why), ChainEventType.FAILED, why);
    }

    private <R> void finish(InitiatorState<?, R> st, Outcome<R> outcome, ChainEventType type, String detail) {
        initiated.remove(st.id);
        st.cancelTimer();
        st.deciding = false;
        event(type, ChainRole.INITIATOR, st.protocol.name(), st.id, st.sentStep, st.peer, detail);
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

    private void supersedeOwn(String protocolName, NodeId peer, Object subject) {
        List<InitiatorState<?, ?>> older = new ArrayList<>();
        for (InitiatorState<?, ?> st : initiated.values()) {
            if (st.protocol.name().equals(protocolName) && st.peer.equals(peer) && subject.equals(st.subject)) {
                older.add(st);
            }
        }
        older.sort(IN_START_ORDER);
        for (InitiatorState<?, ?> st : older) {
            finish(st, new Outcome.Superseded<>(Outcome.SupersededBy.INITIATOR, null), ChainEventType.SUPERSEDED,
                    "by a newer chain");
        }
    }

    // ---------------------------------------------------------------- responder side

    private void onRequest(Envelope e) {
        ChainId chainId = e.chainId();
        if (!e.sender().equals(chainId.initiator()) || e.senderIncarnation() != chainId.incarnation()) {
            reject(e, RejectReason.WRONG_SENDER, "chain " + chainId + " was opened by " + chainId.initiator()
                    + " incarnation " + chainId.incarnation());
            return;
        }
        if (e.step() % 2 != 0) {
            reject(e, RejectReason.BAD_STEP, "initiators send even steps");
            return;
        }
        if (e.kind() != EnvelopeKind.STEP) {
            reject(e, RejectReason.BAD_KIND, "initiators send STEP envelopes only, got " + e.kind());
            return;
        }
        Registration<?> reg = registrations.get(e.protocol());
        if (reg == null) {
            reject(e, RejectReason.UNKNOWN_PROTOCOL, "no responder for protocol '" + e.protocol() + "'");
            return;
        }
        Optional<String> problem = checkPayload(reg.protocol(), e.payload());
        if (problem.isPresent()) {
            reject(e, problem.get().startsWith("not a ") ? RejectReason.PAYLOAD_TYPE : RejectReason.PAYLOAD_INVALID,
                    problem.get());
            return;
        }
        PeerState ps = peers.get(e.sender());
        if (ps != null && e.senderIncarnation() < ps.incarnation) {
            reject(e, RejectReason.STALE_SENDER, "from incarnation " + e.senderIncarnation() + ", newest is "
                    + ps.incarnation);
            return;
        }
        if (e.receiverIncarnation() != 0 && e.receiverIncarnation() != incarnation) {
            reject(e, RejectReason.STALE_RECEIVER, "addressed to incarnation " + e.receiverIncarnation()
                    + ", this is " + incarnation);
            sendAbort(e, "responder restarted (incarnation " + incarnation + ")");
            return;
        }
        int tomb = tombstones.find(chainId);
        if (tomb >= 0 && !(e.step() == 0 && PlantedFaults.rerunHandlerOnDuplicate())) { // planted: opens it again
            int answered = tombstones.answeredStep(tomb);
            if (e.step() >= answered) {
                duplicate(e, replyEnvelope(tombstones.protocol(tomb), chainId, e.step() + 1, chainId.initiator(),
                        tombstones.kind(tomb), tombstones.payload(tomb)));
            } else {
                stale(e, ChainRole.RESPONDER, "chain ended at step " + answered);
            }
            return;
        }
        ResponderState rs = responding.get(chainId);
        if (rs != null) {
            if (e.step() == rs.lastStep && PlantedFaults.rerunHandlerOnDuplicate()) {
                handleRequest(rs, e); // a planted fault, off unless a test plants it (see PlantedFaults)
            } else if (e.step() == rs.lastStep && rs.deferred) {
                stale(e, ChainRole.RESPONDER, "its answer is deferred");
            } else if (e.step() == rs.lastStep) {
                duplicate(e, rs.cachedReply);
            } else if (e.step() < rs.lastStep) {
                stale(e, ChainRole.RESPONDER, "latest handled step is " + rs.lastStep);
            } else if (e.step() == rs.lastStep + 2 && !rs.deferred) {
                traceReceived(e);
                handleRequest(rs, e);
            } else {
                violation(e, ChainRole.RESPONDER, "skipped ahead: expected step " + (rs.lastStep + 2));
            }
            return;
        }
        if (e.step() != 0) {
            reject(e, RejectReason.UNKNOWN_CHAIN, "no record of chain " + chainId + " at step " + e.step());
            sendAbort(e, "unknown chain: the responder restarted or forgot it");
            return;
        }
        if (ps != null && ps.incarnation == e.senderIncarnation() && chainId.sequence() <= ps.forgottenMaxSequence) {
            reject(e, RejectReason.LATE_OPENING, "chain " + chainId + " is older than forgotten sequence "
                    + ps.forgottenMaxSequence);
            return;
        }
        ps = notePeerIncarnation(e.sender(), e.senderIncarnation());
        traceReceived(e);
        if (ps.inFlight >= settings.maxInFlightPerPeer()) {
            log.warn("Refusing chain [{}]: peer [{}] already has [{}] chains in flight", chainId, e.sender(),
                    ps.inFlight);
            Envelope busy = replyEnvelope(e.protocol(), chainId, 1, e.sender(), EnvelopeKind.BUSY, null);
            eventCounts[ChainEventType.BUSY.ordinal()]++;
            if (listening) {
                emit(ChainEventType.BUSY, ChainRole.RESPONDER, e.protocol(), chainId, 0, e.sender(), "");
            }
            send(busy, ChainRole.RESPONDER);
            entomb(chainId, busy, 0);
            return;
        }
        openResponderChain(reg, e, ps);
    }

    private <M> void openResponderChain(Registration<M> reg, Envelope e, PeerState ps) {
        M opening = reg.protocol().messageType().cast(e.payload());
        ResponderState rs = new ResponderState(e.chainId(), reg, e.sender(), reg.protocol().subjectOf(opening),
                reg.protocol().maxSteps(opening));
        rs.lastStep = -2;
        responding.put(rs.id, rs);
        ps.inFlight++;
        rs.lastActivityNs = clock.nanoTime();
        rs.openedNs = rs.lastActivityNs;
        idleChecks.add(rs, rs.lastActivityNs + settings.responderIdleTimeoutNs());
        scheduleHousekeeping(rs.lastActivityNs + settings.responderIdleTimeoutNs());
        handleRequest(rs, e);
    }

    private void handleRequest(ResponderState rs, Envelope e) {
        rs.lastStep = e.step();
        rs.lastActivityNs = clock.nanoTime();
        String protocol = rs.registration.protocol().name();
        if (e.step() > rs.maxSteps - 2) {
            countViolation(protocol, rs.id, e.step(), rs.peer, ChainRole.RESPONDER,
                    "step " + e.step() + " leaves no room for a reply within " + rs.maxSteps + " steps");
            endResponderChain(rs, replyEnvelope(protocol, rs.id, e.step() + 1, rs.peer, EnvelopeKind.ABORTED,
                    "step limit of " + rs.maxSteps + " exceeded"), ChainEventType.FAILED);
            return;
        }
        event(ChainEventType.HANDLED, ChainRole.RESPONDER, protocol, rs.id, e.step(), rs.peer, kindIfListening(e));
        ResponderAction<?> action;
        handling = rs;
        try {
            action = callResponder(rs.registration, rs, e.payload());
        } catch (RuntimeException ex) {
            log.error("Responder handler failed in chain [{}] at step [{}]", rs.id, e.step(), ex);
            endResponderChain(rs, replyEnvelope(protocol, rs.id, e.step() + 1, rs.peer, EnvelopeKind.ABORTED,
                    "responder handler error"), ChainEventType.FAILED);
            return;
        } finally {
            handling = null;
        }
        answer(rs, e.step(), action);
    }

    /** Sends the handler's answer to step {@code step} of {@code rs}: now, or when a deferred answer completes. */
    private void answer(ResponderState rs, int step, ResponderAction<?> action) {
        String protocol = rs.registration.protocol().name();
        if (action instanceof ResponderAction.Defer<?> d) {
            defer(rs, step, d);
            return;
        }
        Object message = action instanceof ResponderAction.Reply<?> r ? r.message()
                : ((ResponderAction.ReplyAndTerminate<?>) action).message();
        Optional<String> problem = checkPayload(rs.registration.protocol(), message);
        if (problem.isPresent()) {
            log.error("Responder handler of chain [{}] replied with a message its protocol refuses: {}", rs.id,
                    problem.get());
            endResponderChain(rs, replyEnvelope(protocol, rs.id, step + 1, rs.peer, EnvelopeKind.ABORTED,
                    "responder produced an invalid reply"), ChainEventType.FAILED);
            return;
        }
        int replyStep = step + 1;
        if (action instanceof ResponderAction.ReplyAndTerminate<?>) {
            endResponderChain(rs, replyEnvelope(protocol, rs.id, replyStep, rs.peer, EnvelopeKind.TERMINAL,
                    message), ChainEventType.COMPLETED);
        } else if (replyStep >= rs.maxSteps - 1) {
            countViolation(protocol, rs.id, replyStep, rs.peer, ChainRole.RESPONDER,
                    "non-terminal reply at the last step of " + rs.maxSteps);
            endResponderChain(rs, replyEnvelope(protocol, rs.id, replyStep, rs.peer, EnvelopeKind.ABORTED,
                    "step limit of " + rs.maxSteps + " reached without a terminal reply"), ChainEventType.FAILED);
        } else {
            rs.cachedReply = replyEnvelope(protocol, rs.id, replyStep, rs.peer, EnvelopeKind.STEP, message);
            send(rs.cachedReply, ChainRole.RESPONDER);
        }
    }

    /**
     * The handler answers step {@code step} later. Until then the chain holds no cached reply (its duplicates are
     * ignored) and its idle check is due at the chain's deadline, where an unanswered chain is aborted.
     */
    private void defer(ResponderState rs, int step, ResponderAction.Defer<?> d) {
        String protocol = rs.registration.protocol().name();
        rs.deferred = true;
        rs.cachedReply = null;
        event(ChainEventType.DEFERRED, ChainRole.RESPONDER, protocol, rs.id, step, rs.peer, "");
        long due = rs.openedNs + retry.deadlineNs();
        idleChecks.remove(rs);
        idleChecks.add(rs, due);
        scheduleHousekeeping(due);
        d.answer().whenComplete((next, error) -> {
            if (closed || responding.get(rs.id) != rs || !rs.deferred || rs.lastStep != step) {
                event(ChainEventType.LATE_ANSWER_DROPPED, ChainRole.RESPONDER, protocol, rs.id, step, rs.peer,
                        "the chain ended before its deferred answer");
                return;
            }
            rs.deferred = false;
            rs.lastActivityNs = clock.nanoTime();
            idleChecks.remove(rs);
            idleChecks.add(rs, rs.lastActivityNs + settings.responderIdleTimeoutNs());
            scheduleHousekeeping(rs.lastActivityNs + settings.responderIdleTimeoutNs());
            if (error != null || next == null || next instanceof ResponderAction.Defer) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String why = error != null ? "deferred answer failed: " + cause
                        : "deferred answer must be a reply, got " + next;
                log.error("Responder of chain [{}] at step [{}]: {}", rs.id, step, why);
                event(ChainEventType.LATE_ANSWER_DROPPED, ChainRole.RESPONDER, protocol, rs.id, step, rs.peer, why);
                endResponderChain(rs, replyEnvelope(protocol, rs.id, step + 1, rs.peer, EnvelopeKind.ABORTED,
                        "responder's deferred answer failed"), ChainEventType.FAILED);
                return;
            }
            answer(rs, step, next);
        });
    }

    @SuppressWarnings("unchecked")
    private static <M> ResponderAction<?> callResponder(Registration<M> reg, ResponderState rs, Object payload) {
        ResponderAction<M> action = reg.responder().onMessage(rs, (M) payload);
        return Objects.requireNonNull(action, "responder handler returned null");
    }

    private void endResponderChain(ResponderState rs, Envelope terminalReply, ChainEventType type) {
        responding.remove(rs.id);
        idleChecks.remove(rs);
        PeerState ps = peers.get(rs.peer);
        if (ps != null && ps.incarnation == rs.id.incarnation()) {
            ps.inFlight--;
        }
        event(type, ChainRole.RESPONDER, rs.registration.protocol().name(), rs.id, terminalReply.step(), rs.peer,
                kindIfListening(terminalReply));
        send(terminalReply, ChainRole.RESPONDER);
        entomb(rs.id, terminalReply, rs.lastStep);
    }

    /**
     * Keeps what a duplicate needs of {@code terminalReply} (protocol, kind, payload: the reply is rebuilt from them,
     * restamped to the duplicate's step + 1) for the dedup window.
     */
    private void entomb(ChainId chainId, Envelope terminalReply, int answeredStep) {
        long at = clock.nanoTime() + settings.dedupWindowNs();
        tombstones.put(chainId, terminalReply.protocol(), terminalReply.kind(), terminalReply.payload(), answeredStep,
                at);
        scheduleHousekeeping(at);
    }

    private void duplicate(Envelope request, Envelope reply) {
        eventCounts[ChainEventType.DUPLICATE_ANSWERED.ordinal()]++;
        if (listening) {
            emit(ChainEventType.DUPLICATE_ANSWERED, ChainRole.RESPONDER, request.protocol(), request.chainId(),
                    request.step(), request.sender(), reply.messageKind());
        }
        if (log.isTraceEnabled()) {
            log.trace("Answering duplicate [{}] of chain [{}] from cache", request.step(), request.chainId());
        }
        transport.send(reply);
    }

    private void sendAbort(Envelope request, String reason) {
        send(new Envelope(request.protocol(), request.chainId(), request.step() + 1, id, incarnation,
                request.sender(), request.senderIncarnation(), EnvelopeKind.ABORTED, reason), ChainRole.RESPONDER);
    }

    private Envelope replyEnvelope(String protocol, ChainId chainId, int step, NodeId peer, EnvelopeKind kind,
            Object payload) {
        return new Envelope(protocol, chainId, step, id, incarnation, peer, chainId.incarnation(), kind, payload);
    }

    private PeerState notePeerIncarnation(NodeId peer, long peerIncarnation) {
        PeerState ps = peers.get(peer);
        if (ps == null) {
            ps = new PeerState(peerIncarnation);
            peers.put(peer, ps);
        } else if (peerIncarnation > ps.incarnation) {
            log.info("Peer [{}] restarted: incarnation [{}] -> [{}]; forgetting its old chains", peer,
                    ps.incarnation, peerIncarnation);
            ps.incarnation = peerIncarnation;
            ps.inFlight = 0;
            ps.forgottenMaxSequence = 0;
            for (Iterator<ResponderState> it = responding.values().iterator(); it.hasNext(); ) {
                ResponderState rs = it.next();
                if (rs.peer.equals(peer) && rs.id.incarnation() < peerIncarnation) {
                    it.remove();
                    idleChecks.remove(rs);
                }
            }
            tombstones.removeOlderIncarnations(peer, peerIncarnation);
        }
        return ps;
    }

    // ---------------------------------------------------------------- housekeeping

    private void scheduleHousekeeping(long atNs) {
        if (housekeeping != null && housekeepingAtNs - atNs <= 0) {
            return;
        }
        if (housekeeping != null) {
            housekeeping.cancel();
        }
        housekeepingAtNs = atNs;
        housekeeping = scheduler.schedule(Math.max(0, atNs - clock.nanoTime()), onHousekeeping);
    }

    private void onHousekeeping() {
        housekeeping = null;
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        tombstones.expire(now, onTombstoneExpired);
        for (ResponderState rs = idleChecks.pollDue(now); rs != null; rs = idleChecks.pollDue(now)) {
            if (responding.get(rs.id) != rs) {
                continue;
            }
            if (rs.deferred) {
                long deadline = rs.openedNs + retry.deadlineNs();
                if (deadline - now > 0) {
                    idleChecks.add(rs, deadline);
                    continue;
                }
                log.warn("Aborting chain [{}]: its deferred answer to step [{}] was not ready within the deadline",
                        rs.id, rs.lastStep);
                endResponderChain(rs, replyEnvelope(rs.registration.protocol().name(), rs.id, rs.lastStep + 1,
                        rs.peer, EnvelopeKind.ABORTED, "the responder's answer was not ready within the deadline"),
                        ChainEventType.TIMED_OUT);
                continue;
            }
            long idleUntil = rs.lastActivityNs + settings.responderIdleTimeoutNs();
            if (idleUntil - now > 0) {
                idleChecks.add(rs, idleUntil);
                continue;
            }
            responding.remove(rs.id);
            PeerState ps = peers.get(rs.peer);
            if (ps != null && ps.incarnation == rs.id.incarnation()) {
                ps.inFlight--;
            }
            log.debug("Forgetting idle chain [{}] at step [{}]", rs.id, rs.lastStep);
            forget(rs.id, rs.registration.protocol().name(), rs.peer, "idle");
        }
        long next = tombstones.nextExpiryNs();
        long idle = idleChecks.nextDueNs();
        if (idle != Long.MAX_VALUE && (next == Long.MAX_VALUE || idle - next < 0)) {
            next = idle;
        }
        if (next != Long.MAX_VALUE) {
            scheduleHousekeeping(next);
        }
    }

    private void tombstoneExpired(NodeId initiator, long chainIncarnation, long sequence, String protocol) {
        noteForgotten(initiator, chainIncarnation, sequence);
        eventCounts[ChainEventType.TOMBSTONE_EXPIRED.ordinal()]++;
        if (listening) {
            emit(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, protocol,
                    new ChainId(initiator, chainIncarnation, sequence), -1, initiator, "tombstone");
        }
    }

    private void forget(ChainId chainId, String protocol, NodeId peer, String why) {
        noteForgotten(chainId.initiator(), chainId.incarnation(), chainId.sequence());
        event(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, protocol, chainId, -1, peer, why);
    }

    /** Raises the watermark below which late openings of the initiator's incarnation are refused. */
    private void noteForgotten(NodeId initiator, long chainIncarnation, long sequence) {
        PeerState ps = peers.get(initiator);
        if (ps != null && ps.incarnation == chainIncarnation) {
            ps.forgottenMaxSequence = Math.max(ps.forgottenMaxSequence, sequence);
        }
    }

    // ---------------------------------------------------------------- shared helpers

    private static Optional<String> checkPayload(Protocol<?> protocol, Object payload) {
        if (!protocol.messageType().isInstance(payload)) {
            return Optional.of("not a " + protocol.messageType().getSimpleName() + ": "
                    + (payload == null ? "null" : payload.getClass().getName()));
        }
        return validate(protocol, payload);
    }

    @SuppressWarnings("unchecked")
    private static <M> Optional<String> validate(Protocol<M> protocol, Object payload) {
        return protocol.validate((M) payload);
    }

    private void send(Envelope e, ChainRole role) {
        eventCounts[ChainEventType.SENT.ordinal()]++;
        if (listening) {
            emit(ChainEventType.SENT, role, e.protocol(), e.chainId(), e.step(), e.receiver(), e.messageKind());
        }
        if (log.isTraceEnabled()) {
            log.trace("Sending [{}] of chain [{}]", e, e.chainId());
        }
        transport.send(e);
    }

    /** The envelope's message kind for an event's detail; not worked out when no listener will read it. */
    private String kindIfListening(Envelope e) {
        return listening ? e.messageKind() : "";
    }

    private void traceReceived(Envelope e) {
        if (log.isTraceEnabled()) {
            log.trace("Received [{}] of chain [{}]", e, e.chainId());
        }
    }

    private void reject(Envelope e, RejectReason reason, String detail) {
        rejectCounts[reason.ordinal()]++;
        eventCounts[ChainEventType.REJECTED.ordinal()]++;
        if (log.isDebugEnabled()) {
            log.debug("Rejected [{}] of chain [{}]: {} ({})", e, e == null ? null : e.chainId(), reason, detail);
        }
        if (listening) {
            emit(ChainEventType.REJECTED, e != null && e.chainId().initiator().equals(id) ? ChainRole.INITIATOR
                            : ChainRole.RESPONDER, e == null ? null : e.protocol(), e == null ? null : e.chainId(),
                    e == null ? -1 : e.step(), e == null ? null : e.sender(), reason + ": " + detail);
        }
    }

    private void stale(Envelope e, ChainRole role, String detail) {
        eventCounts[ChainEventType.STALE_IGNORED.ordinal()]++;
        if (log.isTraceEnabled()) {
            log.trace("Ignoring stale [{}] of chain [{}]: {}", e, e.chainId(), detail);
        }
        if (listening) {
            emit(ChainEventType.STALE_IGNORED, role, e.protocol(), e.chainId(), e.step(), e.sender(), detail);
        }
    }

    private void violation(Envelope e, ChainRole role, String detail) {
        countViolation(e.protocol(), e.chainId(), e.step(), e.sender(), role, detail);
    }

    private void countViolation(String protocol, ChainId chainId, int step, NodeId peer, ChainRole role,
            String detail) {
        log.warn("Protocol violation in chain [{}] at step [{}] with peer [{}]: {}", chainId, step, peer, detail);
        event(ChainEventType.VIOLATION, role, protocol, chainId, step, peer, detail);
    }

    private void event(ChainEventType type, ChainRole role, String protocol, ChainId chainId, int step, NodeId peer,
            String detail) {
        eventCounts[type.ordinal()]++;
        if (listening) {
            emit(type, role, protocol, chainId, step, peer, detail);
        }
    }

    private void emit(ChainEventType type, ChainRole role, String protocol, ChainId chainId, int step, NodeId peer,
            String detail) {
        try {
            listener.onEvent(new ChainEvent(type, clock.nanoTime(), id, role, protocol, chainId, step, peer, detail));
        } catch (RuntimeException ex) {
            log.error("Chain listener threw on {} of chain [{}]", type, chainId, ex);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("node " + id + " (incarnation " + incarnation + ") is closed");
        }
    }

    @Override
    public String toString() {
        return "ChainNode[" + id + "#" + incarnation + ", initiated=" + initiated.size() + ", responding="
                + responding.size() + ", tombstones=" + tombstones.size() + "]";
    }

    /**
     * Builds a {@link ChainNode}. Transport, clock and scheduler are required; the random source defaults to a
     * generator seeded from the node's id and incarnation, so runs replay. Not thread-safe.
     */
    public static final class Builder {
        private final NodeId id;
        private final long incarnation;
        private NodeSettings settings = NodeSettings.defaults();
        private Transport transport;
        private NanoClock clock;
        private Scheduler scheduler;
        private RandomGenerator random;
        private ChainListener listener = ChainListener.NONE;

        private Builder(NodeId id, long incarnation) {
            this.id = Objects.requireNonNull(id, "id");
            if (incarnation < 1) {
                throw new IllegalArgumentException("incarnation must be at least 1, got " + incarnation);
            }
            this.incarnation = incarnation;
        }

        /** @throws NullPointerException if {@code settings} is null */
        public Builder settings(NodeSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Where this node's envelopes go. @throws NullPointerException if null */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The clock the node reads. @throws NullPointerException if null */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs the node's timers on its thread. @throws NullPointerException if null */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The source of retransmission jitter; seed it to replay runs. @throws NullPointerException if null */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Receives every chain event. @throws NullPointerException if null */
        public Builder listener(ChainListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @throws IllegalStateException if the transport, clock or scheduler was not set
         */
        public ChainNode build() {
            if (transport == null || clock == null || scheduler == null) {
                throw new IllegalStateException("a ChainNode needs a transport, a clock and a scheduler; missing:"
                        + (transport == null ? " transport" : "") + (clock == null ? " clock" : "")
                        + (scheduler == null ? " scheduler" : ""));
            }
            return new ChainNode(this);
        }
    }
}
