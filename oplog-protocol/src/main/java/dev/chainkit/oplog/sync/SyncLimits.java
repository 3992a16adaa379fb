package dev.chainkit.oplog.sync;

/**
 * How much one sync may ask of a server: at most {@code maxOpsPerSync} ops in one {@code OpSync}, each op at most
 * {@code maxOpBytes} bytes (its id and its payload's text form, {@link dev.chainkit.oplog.Domain#payloads()}, in
 * UTF-8). A sync over a limit is refused whole ({@code SyncRejected} {@code TOO_MANY_OPS} or {@code OP_TOO_LARGE})
 * before it touches a log, so no peer can make the server's thread rebase thousands of ops in one turn. The server
 * also forwards at most {@code maxOpsPerSync} ops per {@code ForwardSync}, and a client sends at most that many
 * per sync (halving its batch when a server says {@code TOO_MANY_OPS}).
 *
 * <p>The defaults suit a venue: a tournament op is a few dozen bytes and a device that was offline for an evening
 * holds a few hundred ops, so {@value #DEFAULT_MAX_OPS_PER_SYNC} ops of at most {@value #DEFAULT_MAX_OP_BYTES}
 * bytes keep every sync far below the transport's 1 MiB frame.
 *
 * <p>Thread safety: immutable.
 *
 * @param maxOpsPerSync the most ops one {@code OpSync} (or {@code ForwardSync}) carries, at least 1
 * @param maxOpBytes the largest op, in UTF-8 bytes of its id plus its payload text, at least 16
 */
public record SyncLimits(int maxOpsPerSync, int maxOpBytes) {

    /** Ops per sync by default. */
    public static final int DEFAULT_MAX_OPS_PER_SYNC = 256;
    /** Bytes per op by default. */
    public static final int DEFAULT_MAX_OP_BYTES = 1024;

    private static final SyncLimits DEFAULTS = new SyncLimits(DEFAULT_MAX_OPS_PER_SYNC, DEFAULT_MAX_OP_BYTES);

    /** @throws IllegalArgumentException if {@code maxOpsPerSync} is below 1 or {@code maxOpBytes} below 16 */
    public SyncLimits {
        if (maxOpsPerSync < 1) {
            throw new IllegalArgumentException("maxOpsPerSync must be at least 1, got " + maxOpsPerSync);
        }
        if (maxOpBytes < 16) {
            throw new IllegalArgumentException("maxOpBytes must be at least 16, got " + maxOpBytes);
        }
    }

    /** {@value #DEFAULT_MAX_OPS_PER_SYNC} ops per sync, {@value #DEFAULT_MAX_OP_BYTES} bytes per op. */
    public static SyncLimits defaults() {
        return DEFAULTS;
    }

    /** @throws IllegalArgumentException as the constructor */
    public SyncLimits withMaxOpsPerSync(int max) {
        return new SyncLimits(max, maxOpBytes);
    }

    /** @throws IllegalArgumentException as the constructor */
    public SyncLimits withMaxOpBytes(int max) {
        return new SyncLimits(maxOpsPerSync, max);
    }
}
