package dev.chainkit.oplog.tournament;

/**
 * Whether a registered player still takes part in the tournament.
 *
 * <p>Thread safety: immutable enum, thread-safe.
 */
public enum PlayerStatus {
    /** Registered and not dropped: gets paired. */
    ACTIVE,
    /** Registered, then dropped: no longer paired, keeps its points and its name. */
    DROPPED
}
