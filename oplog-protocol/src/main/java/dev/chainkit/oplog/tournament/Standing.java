package dev.chainkit.oplog.tournament;

/**
 * One line of the standings: a player and its match points.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param player the player name
 * @param matchPoints match points so far (win 3, draw 1, bye 3), {@code >= 0}
 */
public record Standing(String player, int matchPoints) {

    /**
     * Validates the standing.
     *
     * @param player the player name
     * @param matchPoints match points so far (win 3, draw 1, bye 3), {@code >= 0}
     * @throws NullPointerException if {@code player} is null
     * @throws IllegalArgumentException if {@code matchPoints} is negative
     */
    public Standing {
        java.util.Objects.requireNonNull(player, "standing player must not be null");
        if (matchPoints < 0) {
            throw new IllegalArgumentException("match points must be >= 0 but were " + matchPoints
                    + " for '" + player + "'");
        }
    }

    /** Returns {@code player matchPoints}. */
    @Override
    public String toString() {
        return player + " " + matchPoints;
    }
}
