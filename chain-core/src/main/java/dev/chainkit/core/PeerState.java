package dev.chainkit.core;

/** What a node knows of one peer: its newest incarnation, and the responder chains held for it. Not API. */
final class PeerState {

    /** The newest incarnation seen. */
    long incarnation;
    /** In-flight responder chains opened by this incarnation. */
    int inFlight;
    /** The highest sequence number of this incarnation's chains that were forgotten (tombstone expired). */
    long forgottenMaxSequence;

    PeerState(long incarnation) {
        this.incarnation = incarnation;
    }
}
