package dev.chainkit.transport.netty.proxy;

import java.util.Arrays;

/**
 * What a {@link FramePolicy} decided for one envelope frame: dropped, or relayed as one or more copies, each after
 * its own delay (a delay longer than another frame's may reorder them, as a network does; frames always stay whole).
 *
 * <p>Thread safety: immutable.
 */
public final class FrameVerdict {

    private static final FrameVerdict DROP = new FrameVerdict(new long[0]);
    private static final FrameVerdict PASS = new FrameVerdict(new long[] {0});

    private final long[] delaysNs;

    private FrameVerdict(long[] delaysNs) {
        this.delaysNs = delaysNs;
    }

    /** The frame is lost. */
    public static FrameVerdict drop() {
        return DROP;
    }

    /** The frame is relayed at once, once. */
    public static FrameVerdict pass() {
        return PASS;
    }

    /**
     * The frame is relayed once per delay, each copy after its delay.
     *
     * @param delaysNs the copies' delays in nanoseconds, 0 or more each; none means dropped
     * @throws IllegalArgumentException if a delay is negative
     */
    public static FrameVerdict copies(long... delaysNs) {
        for (long d : delaysNs) {
            if (d < 0) {
                throw new IllegalArgumentException("a copy's delay must be 0 or more nanoseconds, got " + d);
            }
        }
        return delaysNs.length == 0 ? DROP : new FrameVerdict(delaysNs.clone());
    }

    /** How many copies are relayed (0: dropped). */
    public int copies() {
        return delaysNs.length;
    }

    /** The delay of copy {@code i}, in nanoseconds. @throws IndexOutOfBoundsException if there is no such copy */
    public long delayNs(int i) {
        return delaysNs[i];
    }

    @Override
    public String toString() {
        return delaysNs.length == 0 ? "drop" : "copies" + Arrays.toString(delaysNs);
    }
}
