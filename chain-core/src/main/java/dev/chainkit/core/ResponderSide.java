package dev.chainkit.core;

import dev.chainkit.core.time.NanoClock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The responder side of a node, at its door: it places each inbound request (a duplicate, an old step, the next
 * step of a chain in flight, or an opening) and refuses what it must, in short steps; the {@link ResponderChains}
 * run the chains it lets in. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Placing a request</b> is a sequence of checks, each refusing with a typed {@link RejectReason}: the
 *   request's shape, its protocol and payload, the incarnations on both ends; then the chain is looked up, ended
 *   (a tombstone) or in flight, by its secret slot hash; what is left is an opening.</li>
 *   <li><b>Which refusals answer</b> (see {@link RejectReason}): a request the initiator would otherwise retransmit
 *   until its deadline for nothing, or lose silently, gets one {@link EnvelopeKind#ABORTED} answer naming a
 *   {@link FailureCause}: an unknown protocol, an unknown chain, this node's restart, the peer's incarnation gone
 *   back, a forgotten chain's late opening, a reused incarnation. A reply is never answered and a request gets one
 *   answer at most, so answers can neither loop nor amplify.</li>
 *   <li><b>A reused incarnation</b> shows as an opening whose chain id this node holds (in flight or as a tombstone)
 *   for an opening with another {@link Protocol#fingerprint}: the peer restarted without a new incarnation and
 *   counts its sequences from 1 again. Without the check, its new chain got the old chain's answer and its request
 *   was lost while its initiator saw it completed. Its openings below the forgotten watermark are refused as late
 *   openings, also answered.</li>
 *   <li><b>Caps, and refusals that cost no memory per chain.</b> An opening beyond the per-peer or the node-wide
 *   cap gets a terminal busy reply and leaves only the peer's refusal watermark ({@link Peer#refusedUpTo}): a later
 *   copy of a refused opening, or of any older never-seen one, is answered busy again, so a refused opening is never
 *   handled later behind the back of an initiator told busy. Before, each refusal kept a tombstone: one peer opening
 *   a million chains left 995,904 of them (+61 MB) for the window.</li>
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
    private final ResponderChains chains;
    private final Map<String, Registration<?>> registrations = new HashMap<>();

    ResponderSide(NodeId id, long incarnation, NodeSettings settings, NanoClock clock, SecretHash secret, Emitter out,
            PeerTable peers, LongConsumer wakeAt) {
        this.id = id;
        this.incarnation = incarnation;
        this.settings = settings;
        this.clock = clock;
        this.secret = secret;
        this.out = out;
        this.peers = peers;
        this.chains = new ResponderChains(id, incarnation, settings, clock, out, peers, wakeAt);
    }

    /** The chains this side runs. */
    ResponderChains chains() {
        return chains;
    }

    /** @throws IllegalStateException if a protocol of that name is already registered */
    <M> void register(Protocol<M> protocol, Responder<M> responder) {
        if (registrations.putIfAbsent(protocol.name(), new Registration<>(protocol, responder)) != null) {
            throw new IllegalStateException("protocol '" + protocol.name() + "' is already registered on " + id);
        }
    }

    /** See {@link ChainNode#supersede}. */
    <M> int supersede(Protocol<M> protocol, Object subject, Predicate<? super ResponderChain> which,
            Function<? super ResponderChain, ? extends M> info) {
        return chains.supersede(protocol, subject, which, info);
    }

    /** Places a request (an envelope of a chain another node opened). */
    void onRequest(Envelope e) {
        Problem problem = shapeProblem(e);
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        Registration<?> reg = registrations.get(e.protocol());
        if (reg == null) {
            refuse(e, RejectReason.UNKNOWN_PROTOCOL, FailureCause.UNKNOWN_PROTOCOL, "no responder for protocol '"
                    + e.protocol() + "'");
            return;
        }
        problem = Problem.ofPayload(reg.protocol(), e.payload());
        if (problem != null) {
            out.reject(e, problem.reason(), problem.detail());
            return;
        }
        Peer peer = peers.find(e.sender());
        if (peer != null && e.senderIncarnation() < peer.incarnation) {
            refuse(e, RejectReason.STALE_SENDER, FailureCause.INCARNATION_REGRESSED, "from incarnation "
                    + e.senderIncarnation() + ", newest is " + peer.incarnation);
        } else if (e.receiverIncarnation() != 0 && e.receiverIncarnation() != incarnation) {
            refuse(e, RejectReason.STALE_RECEIVER, FailureCause.RESPONDER_RESTARTED, "responder restarted"
                    + " (incarnation " + incarnation + "; the request was addressed to " + e.receiverIncarnation()
                    + ")");
        } else {
            place(reg, e, peer);
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

    /** A well-formed request from a current incarnation: of an ended chain, of one in flight, or an opening. */
    private <M> void place(Registration<M> reg, Envelope e, Peer peer) {
        ChainId chainId = e.chainId();
        int fingerprint = e.step() == 0 ? reg.protocol().fingerprint(reg.protocol().messageType().cast(e.payload()))
                : 0;
        int h = peer == null ? 0 : TombstoneTable.hash(secret, peer, chainId.incarnation(), chainId.sequence());
        int tomb = peer == null ? -1 : chains.findTombstone(peer, chainId.incarnation(), chainId.sequence(), h);
        if (tomb >= 0 && !(e.step() == 0 && PlantedFaults.rerunHandlerOnDuplicate())) { // planted: opens it again
            if (reused(e, fingerprint, chains.tombstoneFingerprint(tomb))) {
                return;
            }
            chains.answerFromTombstone(e, tomb);
            return;
        }
        ResponderState rs = peer == null ? null : chains.find(peer, chainId.incarnation(), chainId.sequence(), h);
        if (rs != null) {
            if (!reused(e, fingerprint, rs.fingerprint)) {
                chains.continueChain(rs, e);
            }
        } else if (e.step() != 0) {
            refuse(e, RejectReason.UNKNOWN_CHAIN, FailureCause.UNKNOWN_CHAIN, "unknown chain: no record of chain "
                    + chainId + " at step " + e.step() + "; the responder restarted or forgot it");
        } else {
            open(reg, e, peer, h, fingerprint);
        }
    }

    /**
     * Whether {@code e} is an opening of a chain id this node holds for another opening; if so it is refused as a
     * reused incarnation, with an answer.
     */
    private boolean reused(Envelope e, int fingerprint, int held) {
        if (e.step() != 0 || fingerprint == 0 || held == 0 || fingerprint == held) {
            return false;
        }
        refuse(e, RejectReason.INCARNATION_REUSED, FailureCause.INCARNATION_REUSED, "chain " + e.chainId()
                + " was opened before by another message: " + e.sender() + " reused incarnation "
                + e.senderIncarnation());
        return true;
    }

    /**
     * An opening of a chain this node holds nothing of: refused as late or busy, or opened. {@code h} is its slot
     * hash if {@code known} is not null.
     */
    private void open(Registration<?> reg, Envelope e, Peer known, int h, int fingerprint) {
        ChainId chainId = e.chainId();
        if (known != null && known.incarnation == e.senderIncarnation()) {
            if (chainId.sequence() <= known.forgottenUpTo) {
                refuse(e, RejectReason.LATE_OPENING, FailureCause.LATE_OPENING, "chain " + chainId
                        + " is older than forgotten sequence " + known.forgottenUpTo);
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
            chains.open(reg, e, peer, known != null ? h
                    : TombstoneTable.hash(secret, peer, chainId.incarnation(), chainId.sequence()), fingerprint, now);
        }
    }

    /**
     * Refuses an opening with a terminal busy reply. Nothing is kept for the chain: the peer's refusal watermark
     * makes its retransmissions get the same answer.
     */
    private void refuseBusy(Envelope e, Peer peer, long now, String what, int held) {
        out.warn(peer.id, Emitter.Warning.BUSY, 0, "Refusing chain [{}] from [{}] as busy: [{}] {}, the limit",
                e.chainId(), peer.id, held, what);
        out.event(ChainEventType.BUSY, ChainRole.RESPONDER, e.protocol(), e.chainId(), 0, e.sender(), "");
        out.send(busyReply(e), ChainRole.RESPONDER);
        peer.refusedUpTo = Math.max(peer.refusedUpTo, e.chainId().sequence());
        peers.active(peer, now);
    }

    private Envelope busyReply(Envelope opening) {
        return chains.reply(opening.protocol(), opening.chainId(), 1, opening.sender(), EnvelopeKind.BUSY, null);
    }

    /**
     * Refuses request {@code e} for {@code reason} and answers it with an {@link EnvelopeKind#ABORTED} of
     * {@code cause}, addressed to the incarnation that sent it. Refusals that mean a peer is misconfigured are
     * logged as warnings (rate-limited); the others (late copies, restarts) only at debug.
     */
    private void refuse(Envelope e, RejectReason reason, FailureCause cause, String detail) {
        out.reject(e, reason, detail);
        if (cause == FailureCause.UNKNOWN_PROTOCOL || cause == FailureCause.INCARNATION_REGRESSED
                || cause == FailureCause.INCARNATION_REUSED) {
            out.warn(e.sender(), Emitter.Warning.REFUSED, reason.ordinal(), "Refused chain [{}] of [{}]: {} ({})",
                    e.chainId(), e.sender(), reason, detail);
        }
        out.send(new Envelope(e.protocol(), e.chainId(), e.step() + 1, id, incarnation, e.sender(),
                e.senderIncarnation(), EnvelopeKind.ABORTED, new Abort(cause, detail)), ChainRole.RESPONDER);
    }

    static void traceReceived(Envelope e) {
        if (log.isTraceEnabled()) {
            log.trace("Received [{}] of chain [{}]", e, e.chainId());
        }
    }

    /** Forgets everything; later deferred answers are ignored. */
    void close() {
        chains.close();
    }
}
