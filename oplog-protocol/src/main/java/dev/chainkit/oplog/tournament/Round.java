package dev.chainkit.oplog.tournament;

import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.Objects;

/**
 * One paired round of a tournament: its matches, its bye (if the player count was odd) and whether
 * its results are confirmed.
 *
 * <p>A value: two rounds are equal when their number, matches, bye and confirmation are. Besides those it keeps
 * an index of where each player sits and how many matches have a result, so that finding a player's match,
 * recording a result and checking completeness cost the same in a round of 4 players as in one of 10,000
 * (a persistent map lookup and a vector update, effectively constant). Only building a round costs O(matches).
 *
 * <p>Thread safety: immutable value, thread-safe.
 */
public final class Round {

    /** Where the bye sits in {@link #seats}: no match index. */
    private static final int BYE_SEAT = -1;

    private final int number;
    private final Vector<Match> matches;
    private final Option<String> bye;
    private final boolean confirmed;
    /** Each seated player's match index, or {@link #BYE_SEAT}. Derived from matches and bye. */
    private final HashMap<String, Integer> seats;
    /** How many matches have a result. Derived from matches. */
    private final int reported;

    private Round(int number, Vector<Match> matches, Option<String> bye, boolean confirmed,
                  HashMap<String, Integer> seats, int reported) {
        this.number = number;
        this.matches = matches;
        this.bye = bye;
        this.confirmed = confirmed;
        this.seats = seats;
        this.reported = reported;
    }

    /**
     * Returns a validated round; costs O(matches).
     *
     * @param number the round number, {@code >= 1}
     * @param matches the pairings, in pairing order (best-ranked first)
     * @param bye the player without an opponent, scored as a 2-0 win ({@link Score#BYE})
     * @param confirmed whether the results are confirmed (then no longer changeable)
     * @return the round
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code number < 1}, a player appears twice, or the round
     *     is confirmed while a match has no result
     */
    public static Round of(int number, Vector<Match> matches, Option<String> bye, boolean confirmed) {
        Objects.requireNonNull(matches, "round matches must not be null");
        Objects.requireNonNull(bye, "round bye must not be null (use Option.none())");
        if (number < 1) {
            throw new IllegalArgumentException("round number must be >= 1 but was " + number);
        }
        HashMap<String, Integer> seats = HashMap.empty();
        int reported = 0;
        for (int i = 0; i < matches.size(); i++) {
            Match m = Objects.requireNonNull(matches.get(i), "round matches must not contain null");
            seats = seat(seats, m.first(), i, number, matches, bye);
            seats = seat(seats, m.second(), i, number, matches, bye);
            reported += m.score().isDefined() ? 1 : 0;
        }
        for (String b : bye) {
            seats = seat(seats, b, BYE_SEAT, number, matches, bye);
        }
        if (confirmed && reported < matches.size()) {
            throw new IllegalArgumentException("round " + number
                    + " cannot be confirmed while a match has no result: " + matches);
        }
        return new Round(number, matches, bye, confirmed, seats, reported);
    }

    private static HashMap<String, Integer> seat(HashMap<String, Integer> seats, String player, int index,
                                                 int number, Vector<Match> matches, Option<String> bye) {
        HashMap<String, Integer> more = seats.put(player, index);
        if (more.size() == seats.size()) {
            throw new IllegalArgumentException("round " + number
                    + " must seat each player at most once but got " + matches + " bye " + bye);
        }
        return more;
    }

    /**
     * The round number.
     *
     * @return {@code >= 1}
     */
    public int number() {
        return number;
    }

    /**
     * The pairings, in pairing order (best-ranked first).
     *
     * @return the matches
     */
    public Vector<Match> matches() {
        return matches;
    }

    /**
     * The player without an opponent, scored as a 2-0 win ({@link Score#BYE}).
     *
     * @return the bye, empty when the player count was even
     */
    public Option<String> bye() {
        return bye;
    }

    /**
     * Whether the results are confirmed (then no longer changeable).
     *
     * @return true once confirmed
     */
    public boolean confirmed() {
        return confirmed;
    }

    /**
     * Returns the match a player plays in this round; effectively constant cost.
     *
     * @param player a player name
     * @return the match, empty if the player has the bye or is not in this round
     */
    public Option<Match> matchOf(String player) {
        int i = seats.get(player).getOrElse(BYE_SEAT);
        return i == BYE_SEAT ? Option.none() : Option.some(matches.get(i));
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
     * Tells whether every match (byes excluded) has a result; constant cost.
     *
     * @return true if all results are in
     */
    public boolean isComplete() {
        return reported == matches.size();
    }

    /**
     * How many matches still lack a result; constant cost.
     *
     * @return 0 when complete
     */
    public int missingResults() {
        return matches.size() - reported;
    }

    /**
     * Returns the match points a player earned in this round: 3 for the bye, else its match result
     * (0 while unreported or when not in the round); effectively constant cost.
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
     * Returns this round with a result recorded from a player's side, replacing any earlier one;
     * effectively constant cost.
     *
     * @param player a player with a match in this round
     * @param score the score from {@code player}'s side
     * @return the updated round
     * @throws IllegalArgumentException if {@code player} has no match in this round
     */
    Round withResult(String player, Score score) {
        int i = seats.get(player).getOrElse(BYE_SEAT);
        if (i == BYE_SEAT) {
            throw new IllegalArgumentException("'" + player + "' has no match in round " + number);
        }
        Match before = matches.get(i);
        return new Round(number, matches.update(i, before.withScoreFor(player, score)), bye, confirmed, seats,
                reported + (before.score().isEmpty() ? 1 : 0));
    }

    /**
     * Returns this round confirmed.
     *
     * @return the confirmed round
     * @throws IllegalArgumentException if a match has no result
     */
    Round confirm() {
        if (!isComplete()) {
            throw new IllegalArgumentException("round " + number + " cannot be confirmed while "
                    + missingResults() + " of its matches lack a result");
        }
        return new Round(number, matches, bye, true, seats, reported);
    }

    /** Equal when number, matches, bye and confirmation are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Round r && number == r.number && confirmed == r.confirmed && bye.equals(r.bye)
                && (matches == r.matches || matches.equals(r.matches));
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, matches, bye, confirmed);
    }

    /** Returns {@code Round[number=N, matches=..., bye=..., confirmed=B]}. */
    @Override
    public String toString() {
        return "Round[number=" + number + ", matches=" + matches + ", bye=" + bye + ", confirmed=" + confirmed + "]";
    }
}
