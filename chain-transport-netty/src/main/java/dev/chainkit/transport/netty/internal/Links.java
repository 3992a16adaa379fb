package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's links, one per peer, with what it remembers to refuse stale and replayed handshakes: the highest
 * incarnation each peer proved, and the most recent dialer nonces. Not API.
 *
 * <h2>Design notes</h2>
 * One link per peer. A candidate link of a newer incarnation replaces the old one; of an older one it is refused.
 * Of the same incarnation: a connection made the same way (both dialed by the same side) replaces the older one,
 * since the old one is most likely dead already (its peer reconnected before this side noticed); when both nodes
 * dialed each other, the link dialed by the node whose id sorts first is kept, which both sides decide alike.
 *
 * <p>Thread safety: confined to the node's event loop.
 */
final class Links {

    /** What to do with a link that completed its handshake. */
    enum Decision {
        /** No link to that peer yet. */
        ADMIT,
        /** Replace the existing link, closing it as REPLACED. */
        REPLACE,
        /** Replace the existing link, closing it as DUPLICATE_LINK (both dialed; this one wins). */
        REPLACE_DUPLICATE,
        /** Refuse the candidate as DUPLICATE_LINK (both dialed; the existing one wins). */
        REFUSE_DUPLICATE,
        /** Refuse the candidate as STALE_INCARNATION. */
        REFUSE_STALE
    }

    private static final int NONCES_REMEMBERED = 4096;

    private final NodeId self;
    private final Map<NodeId, Link> byPeer = new HashMap<>();
    private final Map<NodeId, Long> highest = new HashMap<>();
    private final Map<ByteBuffer, Boolean> nonces = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > NONCES_REMEMBERED;
        }
    };

    Links(NodeId self) {
        this.self = self;
    }

    Link get(NodeId peer) {
        return byPeer.get(peer);
    }

    int size() {
        return byPeer.size();
    }

    List<Link> all() {
        return new ArrayList<>(byPeer.values());
    }

    /** Whether {@code incarnation} is older than one {@code peer} already proved. */
    boolean stale(NodeId peer, long incarnation) {
        return highest.getOrDefault(peer, 0L) > incarnation;
    }

    /** The highest incarnation {@code peer} proved, or 0. */
    long highest(NodeId peer) {
        return highest.getOrDefault(peer, 0L);
    }

    /** Records a dialer nonce; true if it was seen already (a replayed hello). */
    boolean replayed(byte[] nonce) {
        return nonces.put(ByteBuffer.wrap(nonce.clone()), Boolean.TRUE) != null;
    }

    /** What to do with a link to {@code peer} at {@code incarnation}, dialed by this node or not. */
    Decision decide(NodeId peer, long incarnation, boolean dialed) {
        if (stale(peer, incarnation)) {
            return Decision.REFUSE_STALE;
        }
        Link existing = byPeer.get(peer);
        if (existing == null) {
            return Decision.ADMIT;
        }
        if (incarnation > existing.incarnation || existing.dialed == dialed) {
            return Decision.REPLACE;
        }
        NodeId keepDialedBy = self.compareTo(peer) < 0 ? self : peer;
        NodeId candidateDialedBy = dialed ? self : peer;
        return candidateDialedBy.equals(keepDialedBy) ? Decision.REPLACE_DUPLICATE : Decision.REFUSE_DUPLICATE;
    }

    /** Makes {@code link} the peer's link and remembers its incarnation. */
    void put(Link link) {
        byPeer.put(link.peer, link);
        highest.merge(link.peer, link.incarnation, Math::max);
    }

    /** Removes {@code link} if it is still its peer's link. */
    boolean remove(Link link) {
        return byPeer.remove(link.peer, link);
    }
}
