package dev.chainkit.oplog;

import io.vavr.collection.HashMap;
import io.vavr.collection.Seq;
import io.vavr.collection.Vector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable, append-only sequence of operations starting with a genesis operation, in which no
 * op id occurs twice.
 *
 * <p>Backed by a persistent vavr {@link Vector} of operations plus a persistent {@link HashMap}
 * from op id to position, so that (n = log length, k = ops added or removed):
 * <ul>
 *   <li>{@link #contains}, {@link #indexOf}: effectively constant (hash lookup);</li>
 *   <li>{@link #size}, {@link #get}, {@link #first}, {@link #last}: effectively constant;</li>
 *   <li>{@link #append}: effectively constant; {@link #appendAll}: O(k), independent of n;</li>
 *   <li>{@link #opsAfter}: a Vector slice, effectively constant to make;</li>
 *   <li>{@link #truncateAfter}: O(removed);</li>
 *   <li>{@link #digest}: O(n), computed on demand;</li>
 *   <li>{@link #commonPrefixLength}: O(log n) for two versions of one history, plus the ops compared after the
 *   point where they part.</li>
 * </ul>
 * Every "modifying" method returns a new log sharing structure with this one.
 *
 * <p>Equality and hash code are those of the operations vector.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param <P> the domain payload type
 */
public final class OpLog<P> {

    private final Vector<Operation<P>> ops;
    private final HashMap<OpId, Integer> index;
    /**
     * One mark per position, made by the call that appended the op there and carried along by every log derived
     * from it: two logs with the same mark object at position i hold the same ops at positions 0..i (a truncation
     * below i would have dropped the mark). Not part of equality.
     */
    private final Vector<Object> marks;

    private OpLog(Vector<Operation<P>> ops, HashMap<OpId, Integer> index, Vector<Object> marks) {
        this.ops = ops;
        this.index = index;
        this.marks = marks;
    }

    /**
     * Returns the log holding only its genesis operation.
     *
     * @param first the genesis operation
     * @param <P> the domain payload type
     * @return the one-operation log
     * @throws NullPointerException if {@code first} is null
     */
    public static <P> OpLog<P> genesis(Operation<P> first) {
        Objects.requireNonNull(first, "genesis operation must not be null");
        return new OpLog<>(Vector.of(first), HashMap.of(first.id(), 0), Vector.of(new Object()));
    }

    /**
     * Returns the number of operations (always at least 1: the genesis).
     *
     * @return the number of operations
     */
    public int size() {
        return ops.size();
    }

    /**
     * Returns the operation at a position.
     *
     * @param position 0-based position, {@code 0 <= position < size()}
     * @return the operation
     * @throws IndexOutOfBoundsException if {@code position} is out of range
     */
    public Operation<P> get(int position) {
        if (position < 0 || position >= ops.size()) {
            throw new IndexOutOfBoundsException(
                    "position must be in [0, " + ops.size() + ") but was " + position);
        }
        return ops.get(position);
    }

    /**
     * Returns the genesis operation.
     *
     * @return the first operation
     */
    public Operation<P> first() {
        return ops.head();
    }

    /**
     * Returns the newest operation.
     *
     * @return the last operation
     */
    public Operation<P> last() {
        return ops.last();
    }

    /**
     * Tells whether an operation with this id is in the log; effectively constant cost.
     *
     * @param id the op id
     * @return true if the log holds an operation with this id
     * @throws NullPointerException if {@code id} is null
     */
    public boolean contains(OpId id) {
        Objects.requireNonNull(id, "op id must not be null");
        return index.containsKey(id);
    }

    /**
     * Returns the position of the operation with this id; effectively constant cost.
     *
     * @param id the op id
     * @return the 0-based position, or -1 if the log does not hold the id
     * @throws NullPointerException if {@code id} is null
     */
    public int indexOf(OpId id) {
        Objects.requireNonNull(id, "op id must not be null");
        return index.get(id).getOrElse(-1);
    }

    /**
     * Returns all operations, in order.
     *
     * @return the operations vector (persistent, shared)
     */
    public Vector<Operation<P>> ops() {
        return ops;
    }

    /**
     * Returns the operations after an anchor (exclusive), in order; empty if the anchor is the last.
     *
     * @param anchor the id of an operation in this log
     * @return the operations following the anchor
     * @throws NullPointerException if {@code anchor} is null
     * @throws IllegalArgumentException if the log does not hold {@code anchor}
     */
    public Vector<Operation<P>> opsAfter(OpId anchor) {
        return ops.drop(positionOf(anchor, "opsAfter") + 1);
    }

    /**
     * Returns this log with one operation appended; effectively constant cost.
     *
     * @param op the operation; its id must not be in the log yet (check with {@link #contains})
     * @return the longer log
     * @throws NullPointerException if {@code op} is null
     * @throws IllegalArgumentException if the log already holds {@code op}'s id; the message says
     *     at which position
     */
    public OpLog<P> append(Operation<P> op) {
        Objects.requireNonNull(op, "operation to append must not be null");
        HashMap<OpId, Integer> newIndex = index.put(op.id(), ops.size());
        if (newIndex.size() == index.size()) {
            rejectDuplicate(index, op, ops.size());
        }
        return new OpLog<>(ops.append(op), newIndex, marks.append(new Object()));
    }

    /**
     * Returns this log with operations appended in order; costs O(k) for k operations regardless of
     * the log's length. All or nothing: on failure no operation is appended.
     *
     * @param more the operations to append; no id may be in the log yet or occur twice in {@code more}
     * @return the longer log ({@code this} if {@code more} is empty)
     * @throws NullPointerException if {@code more} or an element is null
     * @throws IllegalArgumentException if an id is already in the log or occurs twice in
     *     {@code more}; the message says which id and at which position it already sits
     */
    public OpLog<P> appendAll(Seq<Operation<P>> more) {
        Objects.requireNonNull(more, "operations to append must not be null");
        if (more.isEmpty()) {
            return this;
        }
        HashMap<OpId, Integer> newIndex = index;
        int position = ops.size();
        for (Operation<P> op : more) {
            Objects.requireNonNull(op, "operations to append must not contain null (at position "
                    + position + ")");
            HashMap<OpId, Integer> grown = newIndex.put(op.id(), position);
            if (grown.size() == newIndex.size()) {
                rejectDuplicate(newIndex, op, position);
            }
            newIndex = grown;
            position++;
        }
        Object mark = new Object();
        return new OpLog<>(ops.appendAll(more), newIndex, marks.appendAll(Vector.fill(more.size(), mark)));
    }

    /**
     * Returns this log cut after an anchor: operations up to and including the anchor are kept, the
     * later ones dropped (and their ids forgotten); costs O(removed).
     *
     * @param anchor the id of an operation in this log
     * @return the shorter log ({@code this} if the anchor is the last operation)
     * @throws NullPointerException if {@code anchor} is null
     * @throws IllegalArgumentException if the log does not hold {@code anchor}
     */
    public OpLog<P> truncateAfter(OpId anchor) {
        int keep = positionOf(anchor, "truncateAfter") + 1;
        if (keep == ops.size()) {
            return this;
        }
        HashMap<OpId, Integer> newIndex = index;
        for (Operation<P> dropped : ops.drop(keep)) {
            newIndex = newIndex.remove(dropped.id());
        }
        return new OpLog<>(ops.take(keep), newIndex, marks.take(keep));
    }

    /**
     * Returns how many ops at the start of both logs are the same (equal, position by position). Exact for any two
     * logs; fast for two versions of one history (one derived from the other, or both from a common one, by
     * appending and truncating): their shared part is found by a binary search, in O(log n), and only the ops after
     * it are compared one by one.
     *
     * @param other another log
     * @return the length of the longest common prefix, from 0 to the shorter size
     * @throws NullPointerException if {@code other} is null
     */
    public int commonPrefixLength(OpLog<P> other) {
        Objects.requireNonNull(other, "other log must not be null");
        int shorter = Math.min(ops.size(), other.ops.size());
        int low = 0; // marks below low are shared
        int high = shorter;
        while (low < high) { // a shared mark at i means positions 0..i are shared, so sharing is monotone
            int mid = (low + high) >>> 1;
            if (marks.get(mid) == other.marks.get(mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        int n = low;
        while (n < shorter && ops.get(n).equals(other.ops.get(n))) {
            n++;
        }
        return n;
    }

    /**
     * Returns a stable fingerprint of the log: the lowercase hex SHA-256 of the op ids in order
     * (each id's UTF-8 bytes followed by a newline). Equal logs have equal digests; computed on
     * demand in O(n).
     *
     * @return 64 lowercase hex characters
     */
    public String digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
        for (Operation<P> op : ops) {
            sha.update(op.id().value().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private int positionOf(OpId anchor, String what) {
        Objects.requireNonNull(anchor, what + " anchor must not be null");
        Integer position = index.get(anchor).getOrNull();
        if (position == null) {
            throw new IllegalArgumentException(what + ": anchor " + anchor
                    + " is not in this log (size " + ops.size() + ", last " + last().id()
                    + "); check contains(anchor) first");
        }
        return position;
    }

    /**
     * Throws if {@code index} holds {@code op}'s id. Called only once a put did not grow the index: one trie walk per
     * appended op instead of two, which matters on long logs, where each walk is a few cache misses (P3 in
     * docs/BENCHMARKS.md).
     */
    private static <P> void rejectDuplicate(HashMap<OpId, Integer> index, Operation<P> op, int target) {
        Integer existing = index.get(op.id()).getOrNull();
        if (existing != null) {
            throw new IllegalArgumentException("cannot append op " + op.id() + " at position " + target
                    + ": that id already sits at position " + existing
                    + "; a log never holds an id twice (check contains(id) first)");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpLog<?> that && ops.equals(that.ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    /** Returns {@code OpLog[size=N, last=ID]}. */
    @Override
    public String toString() {
        return "OpLog[size=" + ops.size() + ", last=" + last().id() + "]";
    }
}
