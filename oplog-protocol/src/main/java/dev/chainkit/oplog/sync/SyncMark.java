package dev.chainkit.oplog.sync;

import dev.chainkit.core.ChainId;

/**
 * The newest sync chain of one member that a log took up: its initiator's incarnation and sequence (a {@link ChainId}
 * without the initiator, which is the member it is kept for). A log keeps one per member, durably, and takes up a
 * sync chain only if its id is newer than the member's mark (see {@link SyncResponder}, "Each sync chain is taken up
 * once").
 *
 * <p>Marks are ordered as chain ids grow for one initiator: by incarnation, then by sequence. A client's incarnation
 * never repeats or goes back ({@code IncarnationFile}), and it numbers its chains in increasing order within one.
 *
 * <p>Thread safety: immutable.
 *
 * @param incarnation the initiator's incarnation, at least 1
 * @param sequence the chain's number within that incarnation, at least 1
 */
public record SyncMark(long incarnation, long sequence) implements Comparable<SyncMark> {

    /** @throws IllegalArgumentException if {@code incarnation} or {@code sequence} is below 1 */
    public SyncMark {
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be at least 1, got " + incarnation);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
    }

    /**
     * The mark of chain {@code id}.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public static SyncMark of(ChainId id) {
        return new SyncMark(id.incarnation(), id.sequence());
    }

    /** The newer of two marks. */
    public static SyncMark newer(SyncMark a, SyncMark b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(SyncMark other) {
        int byIncarnation = Long.compare(incarnation, other.incarnation);
        return byIncarnation != 0 ? byIncarnation : Long.compare(sequence, other.sequence);
    }

    /** {@code incarnation/sequence}, as in a chain id's short form. */
    @Override
    public String toString() {
        return incarnation + "/" + sequence;
    }
}
