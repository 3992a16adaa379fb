package dev.chainkit.core;

import dev.chainkit.core.time.NanoClock;

/**
 * Rate-limits the log lines peers can cause, per peer and kind of line, in memory that nothing a peer does can grow.
 * Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Why.</b> A flood of refused openings wrote one WARN line each: 8.6 MB of log per 100,000 (issue 10), a
 *   disk-filling attack on any node that logs warnings. A line now gets through at most once per
 *   {@link #INTERVAL_NS} per peer and kind; the next line that gets through says how many were held back.</li>
 *   <li><b>Bounded memory.</b> A fixed table of {@link #SLOTS} buckets, indexed by the node's secret hash of the
 *   peer's name and the kind. A bucket remembers when a line last got through it; a line that finds its bucket
 *   quiet for an interval gets through, any other is suppressed and counted in the bucket. So a million peers
 *   cannot grow the table, and peers whose keys share a bucket share its budget: at most {@link #SLOTS} lines per
 *   interval get through, however many keys a flood uses, and a count is never lost (it is reported by the
 *   bucket's next line, which may be another peer's, and says so).</li>
 *   <li><b>Time is the node's clock</b>, so the simulator's runs log the same lines every time.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
final class LogLimiter {

    /** How often one peer and kind may log, in nanoseconds: once per 10 s. */
    static final long INTERVAL_NS = 10_000_000_000L;
    /** How many buckets. */
    static final int SLOTS = 64;

    private final SecretHash hash;
    private final NanoClock clock;
    private final boolean[] used = new boolean[SLOTS];
    private final long[] loggedAtNs = new long[SLOTS];
    private final long[] suppressed = new long[SLOTS];

    LogLimiter(SecretHash hash, NanoClock clock) {
        this.hash = hash;
        this.clock = clock;
    }

    /**
     * Whether a line of {@code kind} about {@code peer} may be logged now.
     *
     * @param peer the peer the line is about; null for none
     * @param kind what the line is about (a small number per kind of line)
     * @return -1 to suppress the line (it is counted); otherwise how many lines were suppressed in its bucket since
     *     the bucket last logged, to be reported with this one
     */
    long admit(NodeId peer, int kind) {
        long now = clock.nanoTime();
        long h = (peer == null ? 0 : hash.hash(peer.name())) ^ (kind + 1) * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ h >>> 32) & (SLOTS - 1);
        if (used[slot] && now - loggedAtNs[slot] < INTERVAL_NS) {
            suppressed[slot]++;
            return -1;
        }
        long held = suppressed[slot];
        used[slot] = true;
        loggedAtNs[slot] = now;
        suppressed[slot] = 0;
        return held;
    }
}
