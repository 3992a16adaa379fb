package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.NanoClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The chains a responder holds and what it keeps of the ended ones: it calls the protocol's {@link Responder} at
 * most once per step, sends and caches the answer, defers it, supersedes, ends chains into tombstones, and forgets
 * them on time. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>No timer per chain.</b> The initiator resends; this side only answers. A duplicate of the latest step
 *   gets the cached reply, a duplicate of an ended chain gets its tombstone's terminal reply (rebuilt, restamped to
 *   the duplicate's step + 1), an older step is ignored, a step that skips ahead is a violation. What must be
 *   forgotten on time (tombstones, idle chains) is queued for the node's {@link Housekeeping}, whose chores are
 *   {@link #expireTombstones} and {@link #checkIdleChains}.</li>
 *   <li><b>At most once, forever.</b> Forgetting a chain raises its peer's watermark of forgotten sequences
 *   ({@link Peer#forgottenUpTo}), below which the {@link ResponderSide} refuses late openings, so no handler runs
 *   twice for one chain even after the dedup window.</li>
 *   <li><b>A deferred answer</b> ({@link ResponderAction.Defer}) leaves the chain in flight with no cached reply:
 *   its duplicates are ignored, {@link #supersede} still ends it, and its idle check moves to the chain's deadline
 *   (the retry policy's, counted from its opening here), where it is aborted
 *   ({@link FailureCause#ANSWER_NOT_READY}). An answer that comes after the chain ended, or after the node closed,
 *   is dropped and counted; one that completes on another thread than the node's is refused and logged as the bug
 *   it is, before it touches anything (the chain then ends at its deadline).</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class ResponderChains {

    private static final Logger log = Emitter.LOG;

    private final NodeId id;
    private final long incarnation;
    private final NodeSettings settings;
    private final NanoClock clock;
    private final Emitter out;
    private final PeerTable peers;
    private final LongConsumer wakeAt;
    private final ResponderTable chains = new ResponderTable();
    private final TombstoneTable tombstones = new TombstoneTable();
    private final IdleQueue idleChecks = new IdleQueue();
    private final TombstoneTable.Expired onTombstoneExpired = this::tombstoneExpired;
    /** The responder chain whose handler is running, if any: a supersede from inside that handler spares it. */
    private ResponderState handling;
    private boolean closed;

    ResponderChains(NodeId id, long incarnation, NodeSettings settings, NanoClock clock, Emitter out,
            PeerTable peers, LongConsumer wakeAt) {
        this.id = id;
        this.incarnation = incarnation;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        this.peers = peers;
        this.wakeAt = wakeAt;
    }

    int size() {
        return chains.size();
    }

    int tombstones() {
        return tombstones.size();
    }

    /** The chain in flight with this key and slot hash, or null. */
    ResponderState find(Peer peer, long incarnation, long sequence, int h) {
        return chains.find(peer, incarnation, sequence, h);
    }

    /** The slot of the tombstone of the ended chain with this key and slot hash, or -1. */
    int findTombstone(Peer peer, long incarnation, long sequence, int h) {
        return tombstones.find(peer, incarnation, sequence, h);
    }

    /** The fingerprint of the opening of the ended chain in tombstone {@code slot}. */
    int tombstoneFingerprint(int slot) {
        return tombstones.fingerprint(slot);
    }

    /** Answers a request of the ended chain in tombstone {@code slot}: its terminal reply, or nothing if old. */
    void answerFromTombstone(Envelope e, int slot) {
        int answered = tombstones.answeredStep(slot);
        if (e.step() >= answered) {
            out.duplicate(e, reply(tombstones.protocol(slot), e.chainId(), e.step() + 1, e.sender(),
                    tombstones.kind(slot), tombstones.payload(slot)));
        } else {
            out.stale(e, ChainRole.RESPONDER, "chain ended at step " + answered);
        }
    }

    /** A request of a chain in flight: a duplicate, an old step, the next step, or one that skips ahead. */
    void continueChain(ResponderState rs, Envelope e) {
        if (e.step() == rs.lastStep && PlantedFaults.rerunHandlerOnDuplicate()) {
            handle(rs, e); // a planted fault, off unless a test plants it (see PlantedFaults)
        } else if (e.step() == rs.lastStep && rs.deferred) {
            out.stale(e, ChainRole.RESPONDER, "its answer is deferred");
        } else if (e.step() == rs.lastStep) {
            out.duplicate(e, rs.cachedReply);
        } else if (e.step() < rs.lastStep) {
            out.stale(e, ChainRole.RESPONDER, "latest handled step is " + rs.lastStep);
        } else if (e.step() == rs.lastStep + 2 && !rs.deferred) {
            ResponderSide.traceReceived(e);
            handle(rs, e);
        } else {
            out.violation(e.protocol(), e.chainId(), e.step(), e.sender(), ChainRole.RESPONDER,
                    "skipped ahead: expected step " + (rs.lastStep + 2));
        }
    }

    /** Opens a chain for the opening {@code e} and hands it to the responder. */
    <M> void open(Registration<M> reg, Envelope e, Peer peer, int h, int fingerprint, long now) {
        M opening = reg.protocol().messageType().cast(e.payload());
        ResponderState rs = new ResponderState(e.chainId(), reg, peer, reg.protocol().subjectOf(opening),
                reg.protocol().maxSteps(opening), h, fingerprint);
        rs.lastStep = -2;
        chains.add(rs);
        rs.lastActivityNs = now;
        rs.openedNs = now;
        queueIdleCheck(rs, now + settings.responderIdleTimeoutNs());
        handle(rs, e);
    }

    // ---------------------------------------------------------------- calling the handler

    private void handle(ResponderState rs, Envelope e) {
        rs.lastStep = e.step();
        rs.lastActivityNs = clock.nanoTime();
        String protocol = rs.registration.protocol().name();
        if (e.step() > rs.maxSteps - 2) {
            out.violation(protocol, rs.id, e.step(), rs.peer.id, ChainRole.RESPONDER,
                    "step " + e.step() + " leaves no room for a reply within " + rs.maxSteps + " steps");
            abort(rs, e.step() + 1, FailureCause.STEP_LIMIT, "step limit of " + rs.maxSteps + " exceeded",
                    ChainEventType.FAILED);
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
            abort(rs, e.step() + 1, FailureCause.RESPONDER_FAILED, "responder handler error", ChainEventType.FAILED);
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
            abort(rs, step + 1, FailureCause.RESPONDER_FAILED, "responder produced an invalid reply",
                    ChainEventType.FAILED);
            return;
        }
        String protocol = rs.registration.protocol().name();
        int replyStep = step + 1;
        if (action instanceof ResponderAction.ReplyAndTerminate<?>) {
            end(rs, reply(protocol, rs.id, replyStep, rs.peer.id, EnvelopeKind.TERMINAL, message),
                    ChainEventType.COMPLETED);
        } else if (replyStep >= rs.maxSteps - 1) {
            out.violation(protocol, rs.id, replyStep, rs.peer.id, ChainRole.RESPONDER,
                    "non-terminal reply at the last step of " + rs.maxSteps);
            abort(rs, replyStep, FailureCause.STEP_LIMIT, "step limit of " + rs.maxSteps
                    + " reached without a terminal reply", ChainEventType.FAILED);
        } else {
            rs.cachedReply = reply(protocol, rs.id, replyStep, rs.peer.id, EnvelopeKind.STEP, message);
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
        Thread nodeThread = Thread.currentThread();
        d.answer().whenComplete((next, error) -> {
            if (Thread.currentThread() != nodeThread) {
                log.error("The deferred answer of chain [{}] to step [{}] completed on thread [{}], not on its"
                        + " node's thread [{}]; it is dropped (complete it on the node's thread)", rs.id, step,
                        Thread.currentThread().getName(), nodeThread.getName());
                return;
            }
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
                abort(rs, step + 1, FailureCause.RESPONDER_FAILED, "responder's deferred answer failed",
                        ChainEventType.FAILED);
                return;
            }
            answer(rs, step, next);
        });
    }

    // ---------------------------------------------------------------- supersede

    /** See {@link ChainNode#supersede}. */
    <M> int supersede(Protocol<M> protocol, Object subject, Predicate<? super ResponderChain> which,
            Function<? super ResponderChain, ? extends M> info) {
        List<ResponderState> matched = new ArrayList<>();
        for (ResponderState rs = chains.oldest(); rs != null; rs = rs.newer) {
            if (rs != handling && rs.registration.protocol().name().equals(protocol.name())
                    && subject.equals(rs.subject) && which.test(rs)) {
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
            end(rs, reply(rs.registration.protocol().name(), rs.id, rs.lastStep + 1, rs.peer.id,
                    EnvelopeKind.SUPERSEDED, payload), ChainEventType.SUPERSEDED);
        }
        return matched.size();
    }

    // ---------------------------------------------------------------- ending and forgetting

    private void abort(ResponderState rs, int replyStep, FailureCause cause, String detail, ChainEventType type) {
        end(rs, reply(rs.registration.protocol().name(), rs.id, replyStep, rs.peer.id, EnvelopeKind.ABORTED,
                new Abort(cause, detail)), type);
    }

    /** Ends {@code rs} with {@code terminalReply}, sent now and kept as its tombstone for the dedup window. */
    private void end(ResponderState rs, Envelope terminalReply, ChainEventType type) {
        chains.remove(rs);
        idleChecks.remove(rs);
        out.event(type, ChainRole.RESPONDER, rs.registration.protocol().name(), rs.id, terminalReply.step(),
                rs.peer.id, out.kindIfListening(terminalReply));
        out.send(terminalReply, ChainRole.RESPONDER);
        long at = clock.nanoTime() + settings.dedupWindowNs();
        tombstones.put(rs.peer, rs.id.incarnation(), rs.id.sequence(), rs.hash, terminalReply.protocol(),
                terminalReply.kind(), terminalReply.payload(), rs.lastStep, rs.fingerprint, at);
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
            long due = rs.deferred ? rs.openedNs + settings.retryPolicy().deadlineNs()
                    : rs.lastActivityNs + settings.responderIdleTimeoutNs();
            if (due - nowNs > 0) {
                idleChecks.add(rs, due);
            } else if (rs.deferred) {
                out.warn(rs.peer.id, Emitter.Warning.ANSWER_NOT_READY, 0, "Aborting chain [{}]: its deferred answer"
                        + " to step [{}] was not ready within the deadline", rs.id, rs.lastStep);
                abort(rs, rs.lastStep + 1, FailureCause.ANSWER_NOT_READY,
                        "the responder's answer was not ready within the deadline", ChainEventType.TIMED_OUT);
            } else {
                chains.remove(rs);
                log.debug("Forgetting idle chain [{}] at step [{}]", rs.id, rs.lastStep);
                forgotten(rs.peer, rs.id.incarnation(), rs.id.sequence(), nowNs);
                out.event(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, rs.registration.protocol().name(),
                        rs.id, -1, rs.peer.id, "idle");
            }
        }
        return idleChecks.nextDueNs();
    }

    private void tombstoneExpired(Peer initiator, long chainIncarnation, long sequence, String protocol) {
        forgotten(initiator, chainIncarnation, sequence, clock.nanoTime());
        out.event(ChainEventType.TOMBSTONE_EXPIRED, ChainRole.RESPONDER, protocol,
                new ChainId(initiator.id, chainIncarnation, sequence), -1, initiator.id, "tombstone");
    }

    /** Raises the watermark below which late openings of the initiator's incarnation are refused. */
    private void forgotten(Peer peer, long chainIncarnation, long sequence, long nowNs) {
        if (peer.incarnation == chainIncarnation) {
            peer.forgottenUpTo = Math.max(peer.forgottenUpTo, sequence);
        }
        peers.released(peer, nowNs);
    }

    /** A reply of this node (the responder) in chain {@code chainId}, addressed to its initiator {@code peer}. */
    Envelope reply(String protocol, ChainId chainId, int step, NodeId peer, EnvelopeKind kind, Object payload) {
        return new Envelope(protocol, chainId, step, id, incarnation, peer, chainId.incarnation(), kind, payload);
    }

    /**
     * See {@link ChainNode#digest}: the chains in flight in the order they opened, the tombstones and the idle checks
     * in the order they come due.
     */
    void digest(StateSink sink) {
        sink.putInt(chains.size());
        for (ResponderState rs = chains.oldest(); rs != null; rs = rs.newer) {
            rs.writeState(sink);
        }
        tombstones.digest(sink);
        idleChecks.digest(sink);
    }

    /** Forgets everything; later deferred answers are ignored. */
    void close() {
        closed = true;
        chains.clear();
        tombstones.clear();
        idleChecks.clear();
    }
}
