package dev.chainkit.core;

import dev.chainkit.core.spi.StateSink;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A node's {@link Peer} records, found by name, and freed once idle. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Hash flooding.</b> Open addressing with linear probing on the {@link SecretHash} of the name, at most
 *   half full: names picked to collide under {@code String.hashCode} ("Aa"/"BB" blocks) spread like any others,
 *   since nobody outside the node knows its key ({@code PeerTableTest} counts the probes).</li>
 *   <li><b>Memory comes back.</b> Every peer sits in one list in the order it is due to be looked at, a horizon
 *   (the dedup window) after its last activity. Housekeeping takes the peers that are due: one that still holds
 *   something (chains either way, tombstones) goes to the back, one that holds nothing is freed, and the table
 *   shrinks when mostly empty. So a flood of a million distinct peer ids leaves nothing behind a window after it
 *   ends, and the work is one list step per peer per horizon. A peer this node opened chains to and measured the
 *   round trip of is kept for {@link #KEEP_MEASURED} horizons of idleness (about five minutes by default), as TCP
 *   keeps per-destination metrics: without it, a chain opened now and then toward the same peer started from the
 *   initial delay every time, and resent for nothing where the round trip is longer (the tournament scenario sent
 *   40% more retransmissions). Those are peers this node chose to talk to, not ones a flood can make up. The end of the last thing a peer held counts as
 *   activity: the record, and with it the watermark that refuses late openings, outlives the peer's last
 *   tombstone by a full window. An opening that arrives later still, from a peer forgotten that long, is taken as
 *   new: the at-most-once promise then rests on the network not holding a message longer than two dedup windows
 *   (about a minute by default), as TCP's rests on its maximum segment lifetime.</li>
 *   <li><b>Incarnations.</b> A newer incarnation replaces the record's: the watermarks start over, and the caller
 *   drops the chains of the old one (the responder side, through the peer's own list: work proportional to that
 *   peer's chains). The old incarnation's tombstones are not searched for: every envelope of an older incarnation
 *   is refused before a tombstone is consulted, so they are never read again and expire with their window.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class PeerTable {

    private static final int MIN_CAPACITY = 16;
    /** How many horizons a measured peer that holds nothing stays after its last activity. */
    static final int KEEP_MEASURED = 10;

    private final SecretHash hash;
    private final long horizonNs;
    private final LongConsumer wake;
    private Consumer<Peer> restarted = p -> { };
    private Peer[] slots = new Peer[MIN_CAPACITY];
    private int size;
    /** The least recently active peer, and the most. */
    private Peer leastRecent;
    private Peer mostRecent;
    /**
     * The peer found last: most envelopes come from the peer of the one before, so a name equal to its name needs no
     * hash (a plain comparison, no secret involved).
     */
    private Peer last;
    /** Slots visited by lookups, inserts and removals since the table was made (for the flooding tests). */
    long probes;

    /**
     * @param hash the node's secret hash
     * @param horizonNs how long a peer that holds nothing stays after its last activity, in nanoseconds
     * @param wake told the time (in nanoseconds) by which {@link #freeIdle} must run next, when that becomes earlier
     */
    PeerTable(SecretHash hash, long horizonNs, LongConsumer wake) {
        this.hash = hash;
        this.horizonNs = horizonNs;
        this.wake = wake;
    }

    /** The record of {@code id}, or null. */
    Peer find(NodeId id) {
        Peer p = last;
        if (p != null && (p.id == id || p.id.equals(id))) {
            return p;
        }
        p = find(id, hash.hash(id.name()));
        if (p != null) {
            last = p;
        }
        return p;
    }

    private Peer find(NodeId id, long h) {
        for (int i = (int) h & (slots.length - 1); ; i = (i + 1) & (slots.length - 1)) {
            probes++;
            Peer p = slots[i];
            if (p == null || (p.hash == h && p.id.equals(id))) {
                return p;
            }
        }
    }

    /** The record of {@code id}; a new one, active at {@code nowNs}, if there is none. */
    Peer getOrAdd(NodeId id, long nowNs) {
        Peer p = find(id);
        if (p == null) {
            long h = hash.hash(id.name());
            p = new Peer(id, h);
            if (++size > slots.length / 2) {
                resize(slots.length * 2);
            }
            insert(p);
            p.idleSinceNs = nowNs;
            p.checkAtNs = nowNs + horizonNs; // compared overflow-safely, like every absolute time
            link(p);
            last = p;
        }
        return p;
    }

    /** Notes that something held for {@code p} ended at {@code nowNs}; if it was the last, that is activity. */
    void released(Peer p, long nowNs) {
        if (!p.holdsState()) {
            active(p, nowNs);
        }
    }

    /** Notes activity of {@code p} at {@code nowNs}: it moves to the back of the idle order. */
    void active(Peer p, long nowNs) {
        p.idleSinceNs = nowNs;
        recheckLater(p, nowNs);
    }

    /** Moves {@code p} to the back of the list, due a horizon from {@code nowNs}. */
    private void recheckLater(Peer p, long nowNs) {
        p.checkAtNs = nowNs + horizonNs;
        if (p != mostRecent) {
            unlink(p);
            link(p);
        }
    }

    /** Sets what to do when a peer is seen to restart (drop what was held for its old incarnation). */
    void onRestart(Consumer<Peer> action) {
        this.restarted = action;
    }

    /**
     * Notes that {@code p} speaks as {@code incarnation}. A newer one replaces the known one and its watermarks;
     * if an older one was known, the peer restarted, and the {@link #onRestart} action runs.
     */
    void noteIncarnation(Peer p, long incarnation) {
        if (incarnation <= p.incarnation) {
            return;
        }
        long old = p.incarnation;
        p.incarnation = incarnation;
        p.forgottenUpTo = 0;
        p.refusedUpTo = 0;
        if (old != 0) {
            Emitter.LOG.info("Peer [{}] restarted: incarnation [{}] -> [{}]; forgetting its old chains", p.id, old,
                    incarnation);
            restarted.accept(p);
        }
    }

    /** How many peers are known. */
    int size() {
        return size;
    }

    /** When the least recently active peer's idle horizon ends, in nanoseconds; {@code Long.MAX_VALUE} if none. */
    long nextDueNs() {
        return leastRecent == null ? Long.MAX_VALUE : leastRecent.checkAtNs;
    }

    /** Frees every peer that holds nothing and was idle for the horizon by {@code nowNs}. */
    void freeIdle(long nowNs) {
        while (leastRecent != null && leastRecent.checkAtNs - nowNs <= 0) {
            Peer p = leastRecent;
            if (p.holdsState()) {
                active(p, nowNs);
            } else if (p.outbound != null && p.outbound.rtt.sampled()
                    && nowNs - p.idleSinceNs < Math.min(horizonNs, Long.MAX_VALUE / KEEP_MEASURED) * KEEP_MEASURED) {
                recheckLater(p, nowNs);
            } else {
                unlink(p);
                remove(p);
                if (last == p) {
                    last = null;
                }
            }
        }
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 4)));
        }
    }

    /** See {@link ChainNode#digest}: the peers in the order they are looked at to be freed. */
    void digest(StateSink sink) {
        sink.putInt(size);
        for (Peer p = leastRecent; p != null; p = p.moreRecent) {
            p.writeState(sink);
        }
    }

    /** Forgets every peer and gives the memory back. */
    void clear() {
        slots = new Peer[MIN_CAPACITY];
        size = 0;
        leastRecent = null;
        mostRecent = null;
        last = null;
    }

    // ---------------------------------------------------------------- internals

    private void insert(Peer p) {
        int i = (int) p.hash & (slots.length - 1);
        while (slots[i] != null) {
            probes++;
            i = (i + 1) & (slots.length - 1);
        }
        probes++;
        slots[i] = p;
    }

    private void remove(Peer p) {
        int mask = slots.length - 1;
        int i = (int) p.hash & mask;
        while (slots[i] != p) {
            probes++;
            i = (i + 1) & mask;
        }
        slots[i] = null;
        size--;
        // Backward-shift deletion keeps every probe run unbroken.
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            probes++;
            int home = (int) slots[j].hash & mask;
            if (((j - i) & mask) <= ((j - home) & mask)) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
    }

    private void resize(int capacity) {
        Peer[] old = slots;
        slots = new Peer[capacity];
        for (Peer p : old) {
            if (p != null) {
                insert(p);
            }
        }
    }

    /** Links {@code p}, whose {@link Peer#checkAtNs} is set, at the back of the list. */
    private void link(Peer p) {
        p.lessRecent = mostRecent;
        p.moreRecent = null;
        if (mostRecent == null) {
            leastRecent = p;
            wake.accept(p.checkAtNs);
        } else {
            mostRecent.moreRecent = p;
        }
        mostRecent = p;
    }

    private void unlink(Peer p) {
        if (p.lessRecent == null) {
            leastRecent = p.moreRecent;
        } else {
            p.lessRecent.moreRecent = p.moreRecent;
        }
        if (p.moreRecent == null) {
            mostRecent = p.lessRecent;
        } else {
            p.moreRecent.lessRecent = p.lessRecent;
        }
        p.lessRecent = null;
        p.moreRecent = null;
    }
}
