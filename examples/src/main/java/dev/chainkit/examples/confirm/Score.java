package dev.chainkit.examples.confirm;

/**
 * A match score from one player's side: games won, lost and drawn.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param wins games won, 0 or more
 * @param losses games lost, 0 or more
 * @param draws games drawn, 0 or more
 */
public record Score(int wins, int losses, int draws) {

    /**
     * Validates the counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Score {
        if (wins < 0 || losses < 0 || draws < 0) {
            throw new IllegalArgumentException("score counts must be 0 or more but were " + wins + "-" + losses + "-"
                    + draws);
        }
    }

    /**
     * Returns a score without draws.
     *
     * @param wins games won
     * @param losses games lost
     * @return the score {@code wins-losses}
     * @throws IllegalArgumentException if a count is negative
     */
    public static Score of(int wins, int losses) {
        return new Score(wins, losses, 0);
    }

    /**
     * Returns the same match from the other player's side.
     *
     * @return the score with wins and losses swapped
     */
    public Score mirrored() {
        return new Score(losses, wins, draws);
    }

    /** Returns {@code W-L}, or {@code W-L-D} when there were draws. */
    @Override
    public String toString() {
        return wins + "-" + losses + (draws == 0 ? "" : "-" + draws);
    }
}
