package dev.chainkit.oplog.tournament;

/**
 * The game score of one match seen from one player's side: games won, lost and drawn.
 *
 * <p>A match is won by the player with more game wins and drawn when both won as many games;
 * a won match is worth 3 match points, a drawn one 1, a lost one 0.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param wins games won, {@code >= 0}
 * @param losses games lost, {@code >= 0}
 * @param draws games drawn, {@code >= 0}
 */
public record Score(int wins, int losses, int draws) {

    /** Match points for a won match. */
    public static final int WIN_POINTS = 3;
    /** Match points for a drawn match. */
    public static final int DRAW_POINTS = 1;
    /** The score a bye counts as: a 2-0 win. */
    public static final Score BYE = new Score(2, 0, 0);

    /**
     * Validates the score.
     *
     * @param wins games won, {@code >= 0}
     * @param losses games lost, {@code >= 0}
     * @param draws games drawn, {@code >= 0}
     * @throws IllegalArgumentException if a count is negative
     */
    public Score {
        if (wins < 0 || losses < 0 || draws < 0) {
            throw new IllegalArgumentException("score counts must be non-negative (W-L-D) but were "
                    + wins + "-" + losses + "-" + draws);
        }
    }

    /**
     * Returns the same score seen from the opponent's side (wins and losses swapped).
     *
     * @return the mirrored score
     */
    public Score mirrored() {
        return new Score(losses, wins, draws);
    }

    /**
     * Returns the match points this side earns: 3 for more wins than losses, 1 for as many, else 0.
     *
     * @return 3, 1 or 0
     */
    public int matchPoints() {
        if (wins > losses) {
            return WIN_POINTS;
        }
        return wins == losses ? DRAW_POINTS : 0;
    }

    /**
     * Returns the text form {@code W-L}, or {@code W-L-D} when there are drawn games.
     *
     * @return the text form
     */
    public String text() {
        return draws == 0 ? wins + "-" + losses : wins + "-" + losses + "-" + draws;
    }

    /** Returns {@link #text()}. */
    @Override
    public String toString() {
        return text();
    }
}
