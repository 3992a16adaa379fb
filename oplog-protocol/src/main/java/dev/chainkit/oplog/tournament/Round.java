package dev.chainkit.oplog.tournament;

import io.vavr.collection.HashSet;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.Objects;

/**
 * One paired round of a tournament: its matches, its bye (if the player count was odd) and whether
 * its results are confirmed.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param number the round number, {@code >= 1}
 * @param matches the pairings, in pairing order (best-ranked first)
 * @param bye the player without an opponent, scored as a 2-0 win ({@link Score#BYE})
 * @param confirmed whether the results are confirmed (then no longer changeable)
 */
public record Round(int number, Vector<Match> matches, Option<String> bye, boolean confirmed) {

    /**
     * Validates the round.
     *
     * @param number the round number, {@code >= 1}
     * @param matches the pairings, in pairing order (best-ranked first)
     * @param bye the player without an opponent, scored as a 2-0 win ({@link Score#BYE})
     * @param confirmed whether the results are confirmed (then no longer changeable)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code number < 1}, a player appears twice, or the round
     *     is confirmed while a match has no result
     */
    public Round {
        Objects.requireNonNull(matches, "round matches must not be null");
        Objects.requireNonNull(bye, "round bye must not be null (use Option.none())");
        if (number < 1) {
            throw new IllegalArgumentException("round number must be >= 1 but was " + number);
        }
        Vector<String> everyone = matches.flatMap(m -> Vector.of(m.first(), m.second())).appendAll(bye);
        if (HashSet.ofAll(everyone).size() != everyone.size()) {
            throw new IllegalArgumentException("round " + number
                    + " must seat each player at most once but got " + matches + " bye " + bye);
        }
        if (confirmed && !matches.forAll(m -> m.score().isDefined())) {
            throw new IllegalArgumentException("round " + number
                    + " cannot be confirmed while a match has no result: " + matches);
        }
    }

    /**
     * Returns the match a player plays in this round.
     *
     * @param player a player name
     * @return the match, empty if the player has the bye or is not in this round
     */
    public Option<Match> matchOf(String player) {
        return matches.find(m -> m.involves(player));
    }

    /**
     * Tells whether the player has the bye in this round.
     *
     * @param player a player name
     * @return true if {@code player} is the bye
     */
    public boolean hasBye(String player) {
        return bye.contains(player);
    }

    /**
     * Tells whether every match (byes excluded) has a result.
     *
     * @return true if all results are in
     */
    public boolean isComplete() {
        return matches.forAll(m -> m.score().isDefined());
    }

    /**
     * Returns the match points a player earned in this round: 3 for the bye, else its match result
     * (0 while unreported or when not in the round).
     *
     * @param player a player name
     * @return 3, 1 or 0
     */
    public int matchPointsOf(String player) {
        if (hasBye(player)) {
            return Score.BYE.matchPoints();
        }
        return matchOf(player).map(m -> m.matchPointsOf(player)).getOrElse(0);
    }

    /**
     * Returns this round with a result recorded from a player's side, replacing any earlier one.
     *
     * @param player a player with a match in this round
     * @param score the score from {@code player}'s side
     * @return the updated round
     * @throws IllegalArgumentException if {@code player} has no match in this round
     */
    Round withResult(String player, Score score) {
        int i = matches.indexWhere(m -> m.involves(player));
        if (i < 0) {
            throw new IllegalArgumentException("'" + player + "' has no match in round " + number);
        }
        return new Round(number, matches.update(i, matches.get(i).withScoreFor(player, score)), bye, confirmed);
    }

    /**
     * Returns this round confirmed.
     *
     * @return the confirmed round
     * @throws IllegalArgumentException if a match has no result
     */
    Round confirm() {
        return new Round(number, matches, bye, true);
    }
}
