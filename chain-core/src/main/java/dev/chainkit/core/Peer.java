package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;

/**
 * What a node knows of one peer, in either role: its newest incarnation, the watermarks that keep late openings
 * from running twice, the chains held for it and toward it, and the round trip toward it. Held by the
 * {@link PeerTable}, freed when the peer holds nothing and was idle a dedup window (see there). Not API.
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class Peer {

    final NodeId id;
    /** The secret hash of the peer's name: its slot in the peer table, and the salt of its chain keys. */
    final long hash;

    /** The newest incarnation seen; 0 while none is known (a peer this node only opened chains to). */
    long incarnation;
    /** The highest sequence of the current incarnation's chains this node forgot (tombstone expired, or idle). */
    long forgottenUpTo;
    /** The highest sequence of the current incarnation's openings refused as busy. */
    long refusedUpTo;

    /** Responder chains held for the peer (all of its current incarnation), linked through the chains. */
    ResponderState firstResponder;
    int responderChains;
    /** Tombstones of the peer's chains, of any incarnation. */
    int tombstones;
    /** The chains this node opened toward the peer, and the round trip; null until the first. */
    Outbound outbound;

    /** The peer table's list of peers, in the order they are due to be looked at. */
    Peer lessRecent;
    Peer moreRecent;
    /** When the peer was last active (an opening, a refusal, the end of the last thing held for it), in ns. */
    long idleSinceNs;
    /** When the peer table next looks at the peer to free it: the order of its list, in nanoseconds. */
    long checkAtNs;

    Peer(NodeId id, long hash) {
        this.id = id;
        this.hash = hash;
    }

    /** Whether anything is held for or toward the peer, so that its record must stay. */
    boolean holdsState() {
        return responderChains != 0 || tombstones != 0 || (outbound != null && outbound.chains != 0);
    }

    /** Writes what the node knows of the peer (see {@link ChainNode#digest}); the chains it holds are written apart. */
    void writeState(StateSink sink) {
        sink.putNode(id).putLong(incarnation).putSequence(id, incarnation, forgottenUpTo)
                .putSequence(id, incarnation, refusedUpTo).putInt(responderChains);
        if (sink.endedChains()) {
            sink.putInt(tombstones);
        }
        sink.putTime(idleSinceNs).putTime(checkAtNs).putBoolean(outbound != null);
        if (outbound != null) {
            outbound.writeState(sink);
        }
    }

    @Override
    public String toString() {
        return "Peer[" + id + "#" + incarnation + ", responder=" + responderChains + ", tombstones=" + tombstones
                + ", initiator=" + (outbound == null ? 0 : outbound.chains) + "]";
    }
}
