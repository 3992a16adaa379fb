package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;

/**
 * The responder's record of one in-flight chain: its reply cache entry, the handler's state, and its links in the
 * node's tables. Lean on purpose: it is what an in-flight chain costs at its responder (P4 in docs/BENCHMARKS.md).
 * Not API.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class ResponderState implements ResponderChain {

    final ChainId id;
    final Registration<?> registration;
    final Peer peer;
    final Object subject;
    final int maxSteps;
    /** The chain's slot hash in the {@link ResponderTable}. */
    final int hash;
    /** The {@link Protocol#fingerprint} of the chain's opening, to tell a reused chain id from a duplicate. */
    final int fingerprint;

    /** The step of the latest message handled (even). */
    int lastStep;
    /** The reply to {@link #lastStep}, resent for its duplicates. */
    Envelope cachedReply;
    Object state;
    /** When this node received the chain's opening, in nanoseconds: a deferred answer's deadline counts from it. */
    long openedNs;
    long lastActivityNs;
    /** The handler deferred its answer to {@link #lastStep}; {@link #cachedReply} is null meanwhile. */
    boolean deferred;
    /** Where this chain sits in the node's {@link IdleQueue}, or -1 when it is not queued. */
    long idleTicket = -1;
    /** Links of the {@link ResponderTable}: the node's chains in the order they opened, and the peer's chains. */
    ResponderState older;
    ResponderState newer;
    ResponderState peerPrev;
    ResponderState peerNext;

    ResponderState(ChainId id, Registration<?> registration, Peer peer, Object subject, int maxSteps, int hash,
            int fingerprint) {
        this.id = id;
        this.registration = registration;
        this.peer = peer;
        this.subject = subject;
        this.maxSteps = maxSteps;
        this.hash = hash;
        this.fingerprint = fingerprint;
    }

    /**
     * Writes the chain's state (see {@link ChainNode#digest}); the state its handler attached goes through
     * {@link StateSink#putValue}.
     */
    void writeState(StateSink sink) {
        String protocol = registration.protocol().name();
        sink.putChainId(id).putString(protocol).putNode(peer.id).putValue(subject).putInt(maxSteps);
        sink.putInt(fingerprint).putInt(lastStep).putEnvelope(cachedReply).putValue(state);
        sink.putTime(openedNs).putTime(lastActivityNs).putBoolean(deferred);
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
        return lastStep;
    }

    @Override
    public Object subject() {
        return subject;
    }

    @Override
    public Object state() {
        return state;
    }

    @Override
    public void setState(Object state) {
        this.state = state;
    }
}
