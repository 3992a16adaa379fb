package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The chain engine of one node: it opens chains as initiator, answers chains as responder, and keeps every
 * promise of the design (architecture.md, "The engine's promises").
 *
 * <p>This class is the facade: it checks arguments and hands each call to one of the engine's parts, each of which
 * owns one mechanism and starts with its own design notes. {@link InitiatorSide} opens chains, owns their
 * retransmission timers and completes their outcomes; {@link ResponderSide} places and refuses requests, and its
 * {@link ResponderChains} call the responders and keep the reply cache and the tombstones ({@link TombstoneTable});
 * {@link PeerTable} knows each peer's
 * incarnation and watermarks and frees idle peers; {@link Housekeeping} is the node's one timer that forgets things
 * on time; {@link Emitter} counts events, tells the listener, logs, and sends. The parts know each other through
 * small hooks, never through this class.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The waiting side owns the timers.</b> Only an initiator awaiting a reply retransmits its latest
 *   message, on its {@link RetryPolicy}; the first delay of each step adapts to the round-trip time measured
 *   toward that peer (RFC 6298 with Karn's rule, within the policy's initial and maximum delay; the jitter never
 *   cuts it below the estimate), so a slow link does not cause spurious resends. The responder keeps no timer per
 *   chain. It answers duplicates from its reply cache (the latest reply of each in-flight chain) and from
 *   tombstones (the terminal reply of each ended chain, kept for the dedup window). One node-wide housekeeping
 *   timer forgets expired tombstones, idle chains and idle peers. With one side resending and the other only
 *   answering, resends cannot echo.</li>
 *   <li><b>Nothing per chain outlives the chain but its tombstone, and that is not an object.</b> Tombstones live
 *   for the dedup window (32 s by default), the lifetime a generational collector handles worst; the
 *   {@link TombstoneTable} keeps them in arrays, and an ended chain leaves nothing in the {@link IdleQueue}. So at
 *   high rates the collector copies no per-chain objects, and after a burst the memory comes back
 *   (docs/BENCHMARKS.md, P1 and P4).</li>
 *   <li><b>At most once.</b> A step reaches a handler at most once: duplicates of the latest step get the cached
 *   reply, older steps are ignored, a step that skips ahead is a violation and is never applied. After a chain is
 *   forgotten, its late opening is refused ({@link RejectReason#LATE_OPENING}) by a per-peer watermark of
 *   forgotten sequences, so no handler runs twice even after the window (see {@link NodeSettings}).</li>
 *   <li><b>Termination.</b> Each chain has a step bound ({@link Protocol#maxSteps}) and a deadline; attempts per
 *   step are bounded. Exceeding the step bound is a violation that ends the chain.</li>
 *   <li><b>Supersede.</b> {@link #supersede} ends every in-flight responder chain on a subject with a terminal
 *   {@link EnvelopeKind#SUPERSEDED} reply, pushed at once and kept as the tombstone for any later message;
 *   {@link #start(Protocol, NodeId, Object, Initiator, boolean)} can supersede the node's own older chains.</li>
 *   <li><b>Incarnations.</b> Chain ids carry the initiator's incarnation; envelopes carry the sender's, and the
 *   receiver's as the sender knows it. Envelopes to an older incarnation of this node, or from an older
 *   incarnation of a peer whose newer one was seen, are refused. A peer's new incarnation clears what was held
 *   for its old one, in time proportional to that peer's chains.</li>
 *   <li><b>Hostile peers.</b> Whatever a peer picks (chain ids, its name) lands in tables keyed by a secret hash
 *   ({@link SecretHash}), so it cannot make lookups collide.</li>
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

    private final NodeId id;
    private final long incarnation;
    private final NodeSettings settings;
    private final Emitter out;
    private final PeerTable peers;
    private final Housekeeping housekeeping;
    private final InitiatorSide initiator;
    private final ResponderSide responder;
    private boolean closed;

    private ChainNode(Builder b) {
        this.id = b.id;
        this.incarnation = b.incarnation;
        this.settings = b.settings;
        RandomGenerator random = b.random != null ? b.random : new SplittableRandom(31L * b.id.hashCode()
                + b.incarnation);
        SecretHash secret = SecretHash.random();
        this.out = new Emitter(id, b.clock, b.transport, b.listener, secret);
        this.housekeeping = new Housekeeping(b.clock, b.scheduler);
        this.peers = new PeerTable(secret, settings.dedupWindowNs(), housekeeping::wakeAt);
        this.initiator = new InitiatorSide(id, incarnation, settings.retryPolicy(), b.clock, b.scheduler, random, out,
                peers);
        this.responder = new ResponderSide(id, incarnation, settings, b.clock, secret, out, peers,
                housekeeping::wakeAt);
        ResponderChains held = responder.chains();
        peers.onRestart(held::dropChainsOf);
        housekeeping.add(held::expireTombstones);
        housekeeping.add(held::checkIdleChains);
        housekeeping.add(now -> {
            peers.freeIdle(now);
            return peers.nextDueNs();
        });
    }

    /**
     * Starts building a node.
     *
     * @param id the node's id
     * @param incarnation the node's incarnation, at least 1; must be greater after every restart, as
     *     {@link IncarnationFile#next()} makes sure (peers refuse a node whose incarnation went back or was reused)
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
        this.responder.register(protocol, responder);
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
        return this.initiator.start(protocol, peer, opening, initiator, supersedeOlder);
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
        return responder.supersede(protocol, subject, which, info);
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
                out.reject(null, RejectReason.NULL_ENVELOPE, "null envelope");
            } else if (!envelope.receiver().equals(id)) {
                out.reject(envelope, RejectReason.WRONG_RECEIVER, "addressed to " + envelope.receiver());
            } else if (envelope.chainId().initiator().equals(id)) {
                initiator.onReply(envelope);
            } else {
                responder.onRequest(envelope);
            }
        } catch (RuntimeException e) {
            Emitter.LOG.error("Bug while handling [{}] on node [{}]", envelope, id, e);
        }
    }

    /**
     * Tells the node that {@code peer} is reachable again (a transport's link to it came back up): each chain this
     * node opened toward the peer that waits for a reply resends its latest message now, instead of waiting out a
     * backoff that grew while the link was down, and backs off from its first delay again. The resend counts as an
     * attempt, so the attempt limit and the deadline bound a flapping link's resends as they bound any other.
     * Chains whose application is deciding, or that have used up their attempts, are left to their timers. The
     * cost is proportional to the chains waiting on that peer.
     *
     * <p>Threading: call on the node's thread.
     *
     * @param peer the peer whose link came back
     * @return how many chains were resent
     * @throws NullPointerException if {@code peer} is null
     */
    public int peerReachable(NodeId peer) {
        Objects.requireNonNull(peer, "peer");
        return closed ? 0 : initiator.peerReachable(peer);
    }

    /** A snapshot of this node's counters. */
    public NodeStats stats() {
        return out.stats(initiator.chains(), responder.chains().size(), responder.chains().tombstones(),
                peers.size());
    }

    /**
     * Writes this node's engine state canonically into {@code sink}, for a model checker that tells states apart by
     * it (see {@link StateSink}'s contract): the chains it opened (each with its step, attempts, backoff, round-trip
     * sample, deadline and armed timer), the chains it answers (with their cached replies and the state their
     * handlers attached, through {@link StateSink#putValue}), its tombstones and idle checks in the order they
     * expire, its peers in the order they are looked at (incarnations, watermarks, round-trip estimates) and its
     * housekeeping timer. Left out: the secret hash and the tables' layout (nothing the engine does depends on
     * them: every order it follows is kept by the tables themselves, as written here), counters and the warning
     * limiter (they feed statistics and logs only), and what the protocol's handlers hold (the application writes
     * that).
     *
     * <p>Threading: call on the node's thread, between two of its events.
     *
     * @param sink where to write
     * @throws NullPointerException if {@code sink} is null
     */
    public void digest(StateSink sink) {
        Objects.requireNonNull(sink, "sink");
        sink.putNode(id).putLong(incarnation).putBoolean(closed);
        if (closed) {
            return;
        }
        initiator.digest(sink);
        responder.chains().digest(sink);
        peers.digest(sink);
        housekeeping.digest(sink);
    }

    /**
     * How many chains this incarnation opened so far: the next chain it opens gets sequence one more. For a model
     * checker that writes chain ids relative to it (see {@link StateSink#putChainId}).
     *
     * <p>Threading: call on the node's thread.
     */
    public long chainsOpened() {
        return initiator.chainsOpened();
    }

    /** Whether any chain this node opened is still in flight. */
    public boolean hasInitiatorChains() {
        return initiator.chains() != 0;
    }

    /** Whether this node is answering any chain that has not ended. */
    public boolean hasResponderChains() {
        return responder.chains().size() != 0;
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
        housekeeping.close();
        initiator.close();
        responder.close();
        peers.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("node " + id + " (incarnation " + incarnation + ") is closed");
        }
    }

    @Override
    public String toString() {
        return "ChainNode[" + id + "#" + incarnation + ", initiated=" + initiator.chains() + ", responding="
                + responder.chains().size() + ", tombstones=" + responder.chains().tombstones() + "]";
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
