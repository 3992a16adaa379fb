package dev.chainkit.core;

/** The responder's record of one in-flight chain: its reply cache entry and the handler's state. Not API. */
final class ResponderState implements ResponderChain {

    final ChainId id;
    final Registration<?> registration;
    final NodeId peer;
    final Object subject;
    final int maxSteps;

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

    ResponderState(ChainId id, Registration<?> registration, NodeId peer, Object subject, int maxSteps) {
        this.id = id;
        this.registration = registration;
        this.peer = peer;
        this.subject = subject;
        this.maxSteps = maxSteps;
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
