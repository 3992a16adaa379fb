package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Role;
import io.vavr.control.Option;
import java.util.Objects;

/**
 * One pairing of a round: two players and, once reported, the score from the first player's side.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param first the higher-ranked player at pairing time
 * @param second the other player (different from {@code first})
 * @param score the result from {@code first}'s side, empty until reported
 */
public record Match(String first, String second, Option<Score> score) {

    /**
     * Validates the match.
     *
     * @param first the higher-ranked player at pairing time
     * @param second the other player (different from {@code first})
     * @param score the result from {@code first}'s side, empty until reported
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a name is not a valid player name or both are the same
     */
    public Match {
        Objects.requireNonNull(first, "match first player must not be null");
        Objects.requireNonNull(second, "match second player must not be null");
        Objects.requireNonNull(score, "match score must not be null (use Option.none() when unreported)");
        if (!Role.isValidName(first) || !Role.isValidName(second)) {
            throw new IllegalArgumentException("match players must match " + Role.NAME_PATTERN.pattern()
                    + " but were '" + first + "' and '" + second + "'");
        }
        if (first.equals(second)) {
            throw new IllegalArgumentException("a match needs two different players but got '"
                    + first + "' twice");
        }
    }

    /**
     * Returns an unreported match.
     *
     * @param first the higher-ranked player
     * @param second the other player
     * @return the match without a score
     * @throws NullPointerException if a name is null
     * @throws IllegalArgumentException if a name is invalid or both are the same
     */
    public static Match of(String first, String second) {
        return new Match(first, second, Option.none());
    }

    /**
     * Tells whether the player plays in this match.
     *
     * @param player a player name
     * @return true if {@code player} is {@code first} or {@code second}
     */
    public boolean involves(String player) {
        return first.equals(player) || second.equals(player);
    }

    /**
     * Returns the opponent of a player of this match.
     *
     * @param player {@code first} or {@code second}
     * @return the other player
     * @throws IllegalArgumentException if {@code player} does not play in this match
     */
    public String opponentOf(String player) {
        requireInvolved(player);
        return first.equals(player) ? second : first;
    }

    /**
     * Returns the reported score from a player's side (mirrored for {@code second}).
     *
     * @param player {@code first} or {@code second}
     * @return the score from that player's side, empty until reported
     * @throws IllegalArgumentException if {@code player} does not play in this match
     */
    public Option<Score> scoreFor(String player) {
        requireInvolved(player);
        return first.equals(player) ? score : score.map(Score::mirrored);
    }

    /**
     * Returns this match with a score reported from a player's side, replacing any earlier score.
     *
     * @param player {@code first} or {@code second}
     * @param playerScore the score from {@code player}'s side
     * @return the reported match
     * @throws NullPointerException if {@code playerScore} is null
     * @throws IllegalArgumentException if {@code player} does not play in this match
     */
    public Match withScoreFor(String player, Score playerScore) {
        requireInvolved(player);
        Objects.requireNonNull(playerScore, "score must not be null");
        Score firstSide = first.equals(player) ? playerScore : playerScore.mirrored();
        return new Match(first, second, Option.some(firstSide));
    }

    /**
     * Returns the match points a player of this match earned so far (0 while unreported).
     *
     * @param player {@code first} or {@code second}
     * @return 3, 1 or 0
     * @throws IllegalArgumentException if {@code player} does not play in this match
     */
    public int matchPointsOf(String player) {
        return scoreFor(player).map(Score::matchPoints).getOrElse(0);
    }

    private void requireInvolved(String player) {
        if (!involves(player)) {
            throw new IllegalArgumentException("'" + player + "' does not play in match " + this
                    + "; expected '" + first + "' or '" + second + "'");
        }
    }

    /** Returns {@code first vs second W-L[-D]}, or {@code first vs second (no result)}. */
    @Override
    public String toString() {
        return first + " vs " + second + " " + score.map(Score::text).getOrElse("(no result)");
    }
}
