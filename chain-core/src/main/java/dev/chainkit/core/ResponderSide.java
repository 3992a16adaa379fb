package dev.chainkit.core;

import dev.chainkit.core.time.NanoClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The responder side of a node: it places each inbound request (a duplicate, an old step, the next step of a chain
 * in flight, or an opening), calls the protocol's {@link Responder} at most once per step, and keeps the reply
 * cache and the tombstones. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>No timer per chain.</b> The initiator resends; this side only answers. A duplicate of the latest step
 *   gets the cached reply, a duplicate of an ended chain gets its tombstone's terminal reply (rebuilt, restamped to
 *   the duplicate's step + 1), an older step is ignored, a step that skips ahead is a violation. What must be
 *   forgotten on time (tombstones, idle chains) is queued for the node's {@link Housekeeping}.</li>
 *   <li><b>At most once, forever.</b> A forgotten chain's late opening is refused by the peer's watermark of
 *   forgotten sequences ({@link Peer#forgottenUpTo}), so no handler runs twice for one chain even after the dedup
 *   window.</li>
 *   <li><b>Refusals cost no memory per chain.</b> An opening beyond the per-peer or the node-wide cap gets a
 *   terminal busy reply and leaves only the peer's refusal watermark ({@link Peer#refusedUpTo}): a later copy of a
 *   refused opening, or of any older never-seen one, is answered busy again. Before, each refusal kept a
 *   tombstone: one peer opening a million chains left 995,904 of them (+61 MB) for the window.</li>
 *   <li><b>A deferred answer</b> ({@link ResponderAction.Defer}) leaves the chain in flight with no cached reply:
 *   its duplicates are ignored, {@link #supersede} still ends it, and its idle check moves to the chain's deadline,
 *   where it is aborted. An answer that comes after the chain ended is dropped and counted.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class ResponderSide {

    private static final Logger log = Emitter.LOG;

    private final NodeId id;
    private final long incarnation;
    private final NodeSettings settings;
    private final NanoClock clock;
    private final SecretHash secret;
    private final Emitter out;
    private final PeerTable peers;
    private final LongConsumer wakeAt;

    private final Map<String, Registration<?>> registrations = new HashMap<>();
    private final ResponderTable chains = new ResponderTable();
    private final TombstoneTable tombstones = new TombstoneTable();
    private final IdleQueue idleChecks = new IdleQueue();
    private final TombstoneTable.Expired onTombstoneExpired = this::tombstoneExpired;
    /** The responder chain whose handler is running, if any: a supersede from inside that handler spares it. */
    private ResponderState handling;
    private boolean closed;

    ResponderSide(NodeId id, long incarnation, NodeSettings settings, NanoClock clock,
            SecretHash secret, Emitter out, PeerTable peers, LongConsumer wakeAt) {
        this.id = id;
        this.incarnation = incarnation;
        this.settings = settings;
        this.clock = clock;
        this.secret = secret;
        this.out = out;
        this.peers = peers;
        this.wakeAt = wakeAt;
    }

    /** @throws IllegalStateException if a protocol of that name is already registered */
    <M> void register(Protocol<M> protocol, Responder<M> responder) {
        if (registrations.putIfAbsent(protocol.name(), new Registration<>(protocol, responder)) != null) {
            throw new IllegalStateException("protocol '" + protocol.name() + "' is already registered on " + id);
        }
    }

    int chains() {
        return chains.size();
    }

    int tombstones() {
        return tombstones.size();
    }

    // ---------------------------------------------------------------- placing a request

    /** Places a request (an envelope of a chain another node opened), in short steps. */
    void onRequest(Envelope e) {
        Problem problem = shapeProblem(e);
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        Registration<?> reg = registrations.get(e.protocol());
        if (reg == null) {
            out.reject(e, RejectReason.UNKNOWN_PROTOCOL, "no responder for protocol '" + e.protocol() + "'");
            return;
        }
        problem = Problem.ofPayload(reg.protocol(), e.payload());
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        Peer peer = peers.find(e.sender());
        if (peer != null && e.senderIncarnation() < peer.incarnation) {
            out.reject(e, RejectReason.STALE_SENDER, "from incarnation " + e.senderIncarnation() + ", newest is "
                    + peer.incarnation);
            return;
        }
        if (e.receiverIncarnation() != 0 && e.receiverIncarnation() != incarnation) {
            out.reject(e, RejectReason.STALE_RECEIVER, "addressed to incarnation " + e.receiverIncarnation()
                    + ", this is " + incarnation);
            sendAbort(e, "responder restarted (incarnation " + incarnation + ")");
            return;
        }
        ChainId chainId = e.chainId();
        int h = peer == null ? 0 : TombstoneTable.hash(secret, peer, chainId.incarnation(), chainId.sequence());
        if (peer != null && answerFromTombstone(e, peer, h)) {
            return;
        }
        ResponderState rs = peer == null ? null
                : chains.find(peer, chainId.incarnation(), chainId.sequence(), h);
        if (rs != null) {
            continueChain(rs, e);
        } else if (e.step() != 0) {
            out.reject(e, RejectReason.UNKNOWN_CHAIN, "no record of chain " + chainId + " at step " + e.step());
            sendAbort(e, "unknown chain: the responder restarted or forgot it");
        } else {
            open(reg, e, peer);
        }
    }

    /** What is wrong with a request's shape whatever this node holds: its sender, step parity and kind. */
    private static Problem shapeProblem(Envelope e) {
        ChainId chainId = e.chainId();
        if (!e.sender().equals(chainId.initiator()) || e.senderIncarnation() != chainId.incarnation()) {
            return new Problem(RejectReason.WRONG_SENDER, "chain " + chainId + " was opened by "
                    + chainId.initiator() + " incarnation " + chainId.incarnation());
        }
        if (e.step() % 2 != 0) {
            return new Problem(RejectReason.BAD_STEP, "initiators send even steps");
        }
        if (e.kind() != EnvelopeKind.STEP) {
            return new Problem(RejectReason.BAD_KIND, "initiators send STEP envelopes only, got " + e.kind());
        }
        return null;
    }

    /** Answers a request of an ended chain from its tombstone; whether there was one. */
    private boolean answerFromTombstone(Envelope e, Peer peer, int h) {
        ChainId chainId = e.chainId();
        int tomb = tombstones.find(peer, chainId.incarnation(), chainId.sequence(), h);
        if (tomb < 0 || (e.step() == 0 && PlantedFaults.rerunHandlerOnDuplicate())) { // planted: opens it again
            return false;
        }
        int answered = tombstones.answeredStep(tomb);
        if (e.step() >= answered) {
            out.duplicate(e, replyEnvelope(tombstones.protocol(tomb), chainId, e.step() + 1, chainId.initiator(),
                    tombstones.kind(tomb), tombstones.payload(tomb)));
        } else {
            out.stale(e, ChainRole.RESPONDER, "chain ended at step " + answered);
        }
        return true;
    }

    /** A request of a chain in flight: a duplicate, an old step, the next step, or one that skips ahead. */
    private void continueChain(ResponderState rs, Envelope e) {
        if (e.step() == rs.lastStep && PlantedFaults.rerunHandlerOnDuplicate()) {
            handleRequest(rs, e); // a planted fault, off unless a test plants it (see PlantedFaults)
        } else if (e.step() == rs.lastStep && rs.deferred) {
            out.stale(e, ChainRole.RESPONDER, "its answer is deferred");
        } else if (e.step() == rs.lastStep) {
            out.duplicate(e, rs.cachedReply);
        } else if (e.step() < rs.lastStep) {
            out.stale(e, ChainRole.RESPONDER, "latest handled step is " + rs.lastStep);
        } else if (e.step() == rs.lastStep + 2 && !rs.deferred) {
            traceReceived(e);
            handleRequest(rs, e);
        } else {
            out.violation(e.protocol(), e.chainId(), e.step(), e.sender(), ChainRole.RESPONDER,
                    "skipped ahead: expected step " + (rs.lastStep + 2));
        }
    }

    /** An opening of a chain this node holds nothing of: refused as late or busy, or opened. */
    private void open(Registration<?> reg, Envelope e, Peer known) {
        ChainId chainId = e.chainId();
        if (known != null && known.incarnation == e.senderIncarnation()) {
            if (chainId.sequence() <= known.forgottenUpTo) {
                out.reject(e, RejectReason.LATE_OPENING, "chain " + chainId + " is older than forgotten sequence "
                        + known.forgottenUpTo);
                return;
            }
            if (chainId.sequence() <= known.refusedUpTo) { // refused before: the same answer, recomputed
                out.duplicate(e, busyReply(e));
                return;
            }
        }
        long now = clock.nanoTime();
        Peer peer = known != null ? known : peers.getOrAdd(e.sender(), now);
        peers.noteIncarnation(peer, e.senderIncarnation());
        traceReceived(e);
        if (peer.responderChains >= settings.maxInFlightPerPeer()) {
            refuseBusy(e, peer, now, "the peer's chains in flight", peer.responderChains);
        } else if (chains.size() >= settings.maxResponderChains()) {
            refuseBusy(e, peer, now, "this node's responder chains", chains.size());
        } else {
            openChain(reg, e, peer, TombstoneTable.hash(secret, peer, chainId.incarnation(), chainId.sequence()),
                    now);
        }
    }

    /**
     * Refuses an opening with a terminal busy reply. Nothing is kept for the chain: the peer's refusal watermark
     * makes its retransmissions get the same answer, so a refused opening is never handled later, when there is
     * room, behind the back of an initiator that was told busy.
     */
    private void refuseBusy(Envelope e, Peer peer, long now, String what, int held) {
        out.warn(peer.id, Emitter.Warning.BUSY, 0, "Refusing chain [{}] from [{}] as busy: [{}] {}, the limit", e.chainId(),
                peer.id, held, what);
        out.event(ChainEventType.BUSY, ChainRole.RESPONDER, e.protocol(), e.chainId(), 0, e.sender(), "");
        out.send(busyReply(e), ChainRole.RESPONDER);
        peer.refusedUpTo = Math.max(peer.refusedUpTo, e.chainId().sequence());
        peers.active(peer, now);
    }

    private Envelope busyReply(Envelope opening) {
        return replyEnvelope(opening.protocol(), opening.chainId(), 1, opening.sender(), EnvelopeKind.BUSY, null);
    }

    private <M> void openChain(Registration<M> reg, Envelope e, Peer peer, int h, long now) {
        M opening = reg.protocol().messageType().cast(e.payload());
        ResponderState rs = new ResponderState(e.chainId(), reg, peer, reg.protocol().subjectOf(opening),
                reg.protocol().maxSteps(opening), h);
        rs.lastStep = -2;
        chains.add(rs);
        rs.lastActivityNs = now;
        rs.openedNs = now;
        queueIdleCheck(rs, now + settings.responderIdleTimeoutNs());
        handleRequest(rs, e);
    }

    // ---------------------------------------------------------------- calling the handler

    private void handleRequest(ResponderState rs, Envelope e) {
        rs.lastStep = e.step();
        rs.lastActivityNs = clock.nanoTime();
        String protocol = rs.registration.protocol().name();
        if (e.step() > rs.maxSteps - 2) {
            out.violation(protocol, rs.id, e.step(), rs.peer.id, ChainRole.RESPONDER,
                    "step " + e.step() + " leaves no room for a reply within " + rs.maxSteps + " steps");
            abortChain(rs, e.step() + 1, "step limit of " + rs.maxSteps + " exceeded", ChainEventType.FAILED);
            return;
        }
        out.event(ChainEventType.HANDLED, ChainRole.RESPONDER, protocol, rs.id, e.step(), rs.peer.id,
                out.kindIfListening(e));
        ResponderAction<?> action;
        handling = rs;
        try {
            action = callResponder(rs.registration, rs, e.payload());
        } catch (RuntimeException ex) {
            log.error("Responder handler failed in chain [{}] at step [{}]", rs.id, e.step(), ex);
            abortChain(rs, e.step() + 1, "responder handler error", ChainEventType.FAILED);
            return;
        } finally {
            handling = null;
        }
        answer(rs, e.step(), action);
    }

    @SuppressWarnings("unchecked")
    private static <M> ResponderAction<?> callResponder(Registration<M> reg, ResponderState rs, Object payload) {
        ResponderAction<M> action = reg.responder().onMessage(rs, (M) payload);
        return Objects.requireNonNull(action, "responder handler returned null");
    }

    /** Sends the handler's answer to step {@code step} of {@code rs}: now, or when a deferred answer completes. */
    private void answer(ResponderState rs, int step, ResponderAction<?> action) {
        if (action instanceof ResponderAction.Defer<?> d) {
            defer(rs, step, d);
            return;
        }
        Object message = action instanceof ResponderAction.Reply<?> r ? r.message()
                : ((ResponderAction.ReplyAndTerminate<?>) action).message();
        Problem problem = Problem.ofPayload(rs.registration.protocol(), message);
        if (problem != null) {
            log.error("Responder handler of chain [{}] replied with a message its protocol refuses: {}", rs.id,
                    problem.detail());
            abortChain(rs, step + 1, "responder produced an invalid reply", ChainEventType.FAILED);
            return;
        }
        String protocol = rs.registration.protocol().name();
        int replyStep = step + 1;
        if (action instanceof ResponderAction.ReplyAndTerminate<?>) {
            endChain(rs, replyEnvelope(protocol, rs.id, replyStep, rs.peer.id, EnvelopeKind.TERMINAL, message),
                    ChainEventType.COMPLETED);
        } else if (replyStep >= rs.maxSteps - 1) {
            out.violation(protocol, rs.id, replyStep, rs.peer.id, ChainRole.RESPONDER,
                    "non-terminal reply at the last step of " + rs.maxSteps);
            abortChain(rs, replyStep, "step limit of " + rs.maxSteps + " reached without a terminal reply",
                    ChainEventType.FAILED);
        } else {
            rs.cachedReply = replyEnvelope(protocol, rs.id, replyStep, rs.peer.id, EnvelopeKind.STEP, message);
            out.send(rs.cachedReply, ChainRole.RESPONDER);
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
        out.event(ChainEventType.DEFERRED, ChainRole.RESPONDER, protocol, rs.id, step, rs.peer.id, "");
        idleChecks.remove(rs);
        queueIdleCheck(rs, rs.openedNs + settings.retryPolicy().deadlineNs());
        d.answer().whenComplete((next, error) -> {
            if (closed || !holds(rs) || !rs.deferred || rs.lastStep != step) {
                out.event(ChainEventType.LATE_ANSWER_DROPPED, ChainRole.RESPONDER, protocol, rs.id, step,
                        rs.peer.id, "the chain ended before its deferred answer");
                return;
            }
            rs.deferred = false;
            rs.lastActivityNs = clock.nanoTime();
            idleChecks.remove(rs);
            queueIdleCheck(rs, rs.lastActivityNs + settings.responderIdleTimeoutNs());
            if (error != null || next == null || next instanceof ResponderAction.Defer) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String why = error != null ? "deferred answer failed: " + cause
                        : "deferred answer must be a reply, got " + next;
                log.error("Responder of chain [{}] at step [{}]: {}", rs.id, step, why);
                out.event(ChainEventType.LATE_ANSWER_DROPPED, ChainRole.RESPONDER, protocol, rs.id, step,
                        rs.peer.id, why);
                abortChain(rs, step + 1, "responder's deferred answer failed", ChainEventType.FAILED);
                return;
            }
            answer(rs, step, next);
        });
    }

    // ---------------------------------------------------------------- supersede

    <M> int supersede(Protocol<M> protocol, Object subject, Function<? super ResponderChain, ? extends M> info) {
        List<ResponderState> matched = new ArrayList<>();
        for (ResponderState rs = chains.oldest(); rs != null; rs = rs.newer) {
            if (rs != handling && rs.registration.protocol().name().equals(protocol.name())
                    && subject.equals(rs.subject)) {
                matched.add(rs);
            }
        }
        for (ResponderState rs : matched) {
            M payload = Objects.requireNonNull(info.apply(rs), "supersede info for chain " + rs.id);
            Problem problem = Problem.ofPayload(protocol, payload);
            if (problem != null) {
                throw new IllegalArgumentException("supersede info for chain " + rs.id + " is refused by protocol '"
                        + protocol.name() + "': " + problem.detail());
            }
            endChain(rs, replyEnvelope(rs.registration.protocol().name(), rs.id, rs.lastStep + 1, rs.peer.id,
                    EnvelopeKind.SUPERSEDED, payload), ChainEventType.SUPERSEDED);
        }
        return matched.size();
    }

    // ---------------------------------------------------------------- ending and forgetting

    private void abortChain(ResponderState rs, int replyStep, String reason, ChainEventType type) {
        endChain(rs, replyEnvelope(rs.registration.protocol().name(), rs.id, replyStep, rs.peer.id,
                EnvelopeKind.ABORTED, reason), type);
    }

    private void endChain(ResponderState rs, Envelope terminalReply, ChainEventType type) {
        chains.remove(rs);
        idleChecks.remove(rs);
        out.event(type, ChainRole.RESPONDER, rs.registration.protocol().name(), rs.id, terminalReply.step(),
                rs.peer.id, out.kindIfListening(terminalReply));
        out.send(terminalReply, ChainRole.RESPONDER);
        entomb(rs.peer, rs.id, rs.hash, terminalReply, rs.lastStep);
    }

    /**
     * Keeps what a duplicate needs of {@code terminalReply} (protocol, kind, payload: the reply is rebuilt from them,
     * restamped to the duplicate's step + 1) for the dedup window.
     */
    private void entomb(Peer peer, ChainId chainId, int h, Envelope terminalReply, int answeredStep) {
        long at = clock.nanoTime() + settings.dedupWindowNs();
        tombstones.put(peer, chainId.incarnation(), chainId.sequence(), h, terminalReply.protocol(),
                terminalReply.kind(), terminalReply.payload(), answeredStep, at);
        wakeAt.accept(at);
    }

    private boolean holds(ResponderState rs) {
        ChainId c = rs.id;
        return chains.find(rs.peer, c.incarnation(), c.sequence(), rs.hash) == rs;
    }

    /** The peer restarted: forgets the chains held for its old incarnation, without answering them. */
    void dropChainsOf(Peer peer) {
        while (peer.firstResponder != null) {
            ResponderState rs = peer.firstResponder;
            chains.remove(rs);
            idleChecks.remove(rs);
        }
    }

    private void queueIdleCheck(ResponderState rs, long atNs) {
        idleChecks.add(rs, atNs);
        wakeAt.accept(atNs);
    }

    /** Housekeeping: forgets expired tombstones. */
    long expireTombstones(long nowNs) {
        tombstones.expire(nowNs, onTombstoneExpired);
        return tombstones.nextExpiryNs();
    }

    /** Housekeeping: forgets idle chains and aborts deferred ones whose deadline passed. */
    long checkIdleChains(long nowNs) {
        for (ResponderState rs = idleChecks.pollDue(nowNs); rs != null; rs = idleChecks.pollDue(nowNs)) {
            if (!holds(rs)) {
                continue;
            }
            if (rs.deferred) {
                long deadline = rs.openedNs + settings.retryPolicy().deadlineNs();
                if (deadline - nowNs > 0) {
                    idleChecks.add(rs, deadline);
                    continue;
                }
                out.warn(rs.peer.id, Emitter.Warning.ANSWER_NOT_READY, 0, "Aborting chain [{}]: its deferred answer"
                        + " to step [{}] was not ready within the deadline", rs.id, rs.lastStep);
                abortChain(rs, rs.lastStep + 1, "the responder's answer was not ready within the deadline",
                        ChainEventType.TIMED_OUT);
                continue;
            }
            long idleUntil = rs.lastActivityNs + settings.responderIdleTimeoutNs();
            if (idleUntil - nowNs > 0) {
                idleChecks.add(rs, idleUntil);
                continue;
            }
            chains.remove(rs);
            log.debug("Forgetting idle chain [{}] at step [{}]", rs.id, rs.lastStep);
            noteForgotten(rs.peer, rs.id.incarnation(), rs.id.sequence(), nowNs);
            out.event(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, rs.registration.protocol().name(),
                    rs.id, -1, rs.peer.id, "idle");
        }
        return idleChecks.nextDueNs();
    }

    private void tombstoneExpired(Peer initiator, long chainIncarnation, long sequence, String protocol) {
        noteForgotten(initiator, chainIncarnation, sequence, clock.nanoTime());
        out.event(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, protocol,
                new ChainId(initiator.id, chainIncarnation, sequence), -1, initiator.id, "tombstone");
    }

    /** Raises the watermark below which late openings of the initiator's incarnation are refused. */
    private void noteForgotten(Peer peer, long chainIncarnation, long sequence, long nowNs) {
        if (peer.incarnation == chainIncarnation) {
            peer.forgottenUpTo = Math.max(peer.forgottenUpTo, sequence);
        }
        peers.released(peer, nowNs);
    }

    // ---------------------------------------------------------------- shared

    private void sendAbort(Envelope request, String reason) {
        out.send(new Envelope(request.protocol(), request.chainId(), request.step() + 1, id, incarnation,
                request.sender(), request.senderIncarnation(), EnvelopeKind.ABORTED, reason), ChainRole.RESPONDER);
    }

    private Envelope replyEnvelope(String protocol, ChainId chainId, int step, NodeId peer, EnvelopeKind kind,
            Object payload) {
        return new Envelope(protocol, chainId, step, id, incarnation, peer, chainId.incarnation(), kind, payload);
    }

    private static void traceReceived(Envelope e) {
        if (log.isTraceEnabled()) {
            log.trace("Received [{}] of chain [{}]", e, e.chainId());
        }
    }

    /** Forgets everything; later deferred answers are dropped. */
    void close() {
        closed = true;
        chains.clear();
        tombstones.clear();
        idleChecks.clear();
    }
}
