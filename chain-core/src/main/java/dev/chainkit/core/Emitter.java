package dev.chainkit.core;

import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.NanoClock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's envelopes leave and its events go: it counts every event (for {@link NodeStats}), hands it to the
 * listener, writes the log lines that go with it, and passes outbound envelopes to the transport. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Every envelope on the wire is counted once</b>, as {@link ChainEventType#SENT},
 *   {@link ChainEventType#RETRANSMITTED} or {@link ChainEventType#DUPLICATE_ANSWERED}: the three ways out all go
 *   through here.</li>
 *   <li><b>Events cost nothing without a listener.</b> The counters are plain array slots; an event object and its
 *   detail string are only made when a listener is set.</li>
 *   <li><b>One logger</b>, named after {@link ChainNode}, for every part of the engine, so that one logging setting
 *   ({@code dev.chainkit.core.ChainNode=debug}) shows all of it. WARN lines that a peer can cause (refusals,
 *   violations, give-ups) go through a {@link LogLimiter} ({@link #warn}): at most one per peer and kind every
 *   10 s, the next one saying how many were held back.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Emitter {

    /** The engine's logger. */
    static final Logger LOG = LoggerFactory.getLogger("dev.chainkit.core.ChainNode");

    /** The kinds of WARN lines a peer can cause, each rate-limited on its own per peer ({@link LogLimiter}). */
    enum Warning {
        /** An opening refused as busy. */
        BUSY,
        /** A protocol violation. */
        VIOLATION,
        /** A chain given up on. */
        GAVE_UP,
        /** A deferred answer not ready by the chain's deadline. */
        ANSWER_NOT_READY,
        /** A request refused with an answer (unknown protocol, an incarnation gone back or reused). */
        REFUSED
    }

    private final NodeId node;
    private final NanoClock clock;
    private final Transport transport;
    private final ChainListener listener;
    private final boolean listening;
    private final long[] eventCounts = new long[ChainEventType.values().length];
    private final long[] rejectCounts = new long[RejectReason.values().length];
    private final LogLimiter limiter;

    Emitter(NodeId node, NanoClock clock, Transport transport, ChainListener listener, SecretHash secret) {
        this.node = node;
        this.clock = clock;
        this.transport = transport;
        this.listener = listener;
        this.listening = listener != ChainListener.NONE;
        this.limiter = new LogLimiter(secret, clock);
    }

    /**
     * Logs a WARN line about {@code peer}, at most once per {@link LogLimiter#INTERVAL_NS} per peer and kind; a line
     * that gets through after others were held back says how many.
     *
     * @param detail which line of the kind (for refusals: the reason's ordinal), so that different refusals of one
     *     peer are limited apart
     */
    void warn(NodeId peer, Warning kind, int detail, String format, Object... args) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        long held = limiter.admit(peer, kind.ordinal() << 8 | detail);
        if (held < 0) {
            return;
        }
        if (held == 0) {
            LOG.warn(format, args);
        } else {
            Object[] withCount = Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = held;
            LOG.warn(format + " ([{}] lines like this one were suppressed before it)", withCount);
        }
    }

    /** Counts an event and tells the listener. */
    void event(ChainEventType type, ChainRole role, String protocol, ChainId chainId, int step, NodeId peer,
            String detail) {
        eventCounts[type.ordinal()]++;
        if (listening) {
            emit(type, role, protocol, chainId, step, peer, detail);
        }
    }

    /** Sends {@code e} for the first time. */
    void send(Envelope e, ChainRole role) {
        eventCounts[ChainEventType.SENT.ordinal()]++;
        if (listening) {
            emit(ChainEventType.SENT, role, e.protocol(), e.chainId(), e.step(), e.receiver(), e.messageKind());
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("Sending [{}] of chain [{}]", e, e.chainId());
        }
        transport.send(e);
    }

    /** Sends {@code e} again: the initiator's retransmission of its latest step. */
    void resend(Envelope e) {
        eventCounts[ChainEventType.RETRANSMITTED.ordinal()]++;
        if (listening) {
            emit(ChainEventType.RETRANSMITTED, ChainRole.INITIATOR, e.protocol(), e.chainId(), e.step(),
                    e.receiver(), e.messageKind());
        }
        transport.send(e);
    }

    /** Answers the duplicate {@code request} with {@code reply}, from the reply cache or a tombstone. */
    void duplicate(Envelope request, Envelope reply) {
        eventCounts[ChainEventType.DUPLICATE_ANSWERED.ordinal()]++;
        if (listening) {
            emit(ChainEventType.DUPLICATE_ANSWERED, ChainRole.RESPONDER, request.protocol(), request.chainId(),
                    request.step(), request.sender(), reply.messageKind());
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("Answering duplicate [{}] of chain [{}] from cache", request.step(), request.chainId());
        }
        transport.send(reply);
    }

    /** Counts and reports an inbound envelope refused for {@code reason}; it changed nothing. */
    void reject(Envelope e, RejectReason reason, String detail) {
        rejectCounts[reason.ordinal()]++;
        eventCounts[ChainEventType.REJECTED.ordinal()]++;
        if (LOG.isDebugEnabled()) {
            LOG.debug("Rejected [{}] of chain [{}]: {} ({})", e, e == null ? null : e.chainId(), reason, detail);
        }
        if (listening) {
            emit(ChainEventType.REJECTED, e != null && e.chainId().initiator().equals(node) ? ChainRole.INITIATOR
                            : ChainRole.RESPONDER, e == null ? null : e.protocol(), e == null ? null : e.chainId(),
                    e == null ? -1 : e.step(), e == null ? null : e.sender(), reason + ": " + detail);
        }
    }

    /** Counts and reports an inbound message that came too late to matter (an old step, an ended chain). */
    void stale(Envelope e, ChainRole role, String detail) {
        eventCounts[ChainEventType.STALE_IGNORED.ordinal()]++;
        if (LOG.isTraceEnabled()) {
            LOG.trace("Ignoring stale [{}] of chain [{}]: {}", e, e.chainId(), detail);
        }
        if (listening) {
            emit(ChainEventType.STALE_IGNORED, role, e.protocol(), e.chainId(), e.step(), e.sender(), detail);
        }
    }

    /** Counts, logs and reports a protocol violation by {@code peer} (or by this node's own handler). */
    void violation(String protocol, ChainId chainId, int step, NodeId peer, ChainRole role, String detail) {
        warn(peer, Warning.VIOLATION, 0, "Protocol violation in chain [{}] at step [{}] with peer [{}]: {}", chainId,
                step, peer, detail);
        event(ChainEventType.VIOLATION, role, protocol, chainId, step, peer, detail);
    }

    /** The envelope's message kind for an event's detail; not worked out when no listener will read it. */
    String kindIfListening(Envelope e) {
        return listening ? e.messageKind() : "";
    }

    /** A snapshot of the counters and of the sizes given. */
    NodeStats stats(int initiatorChains, int responderChains, int tombstones, int peers) {
        return NodeStats.of(eventCounts, rejectCounts, initiatorChains, responderChains, tombstones, peers);
    }

    private void emit(ChainEventType type, ChainRole role, String protocol, ChainId chainId, int step, NodeId peer,
            String detail) {
        try {
            listener.onEvent(new ChainEvent(type, clock.nanoTime(), node, role, protocol, chainId, step, peer,
                    detail));
        } catch (RuntimeException ex) {
            LOG.error("Chain listener threw on {} of chain [{}]", type, chainId, ex);
        }
    }
}
