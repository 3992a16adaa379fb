package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import io.vavr.control.Option;
import java.util.Comparator;
import java.util.Objects;

/**
 * The state of a tournament: its name and organizer, its players, whether it has started or ended,
 * and its rounds; match points and standings are derived.
 *
 * <p>Before the genesis op ({@link #empty()}) the name and organizer are empty strings and
 * {@link #created()} is false. Match points count every recorded result and every bye, in
 * confirmed and unconfirmed rounds alike.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param name the tournament name, {@code ""} before creation
 * @param organizer the organizer named at creation, {@code ""} before creation
 * @param players every registered player with its status (dropped players stay)
 * @param started whether the tournament has started
 * @param ended whether the tournament has ended
 * @param rounds the paired rounds, round {@code i + 1} at index {@code i}
 */
public record TournamentState(String name, String organizer, HashMap<String, PlayerStatus> players,
                              boolean started, boolean ended, Vector<Round> rounds) {

    private static final TournamentState EMPTY =
            new TournamentState("", "", HashMap.empty(), false, false, Vector.empty());

    private static final Comparator<Standing> RANKING =
            Comparator.comparingInt(Standing::matchPoints).reversed().thenComparing(Standing::player);

    /**
     * Validates the state's invariants.
     *
     * @param name the tournament name, {@code ""} before creation
     * @param organizer the organizer named at creation, {@code ""} before creation
     * @param players every registered player with its status (dropped players stay)
     * @param started whether the tournament has started
     * @param ended whether the tournament has ended
     * @param rounds the paired rounds, round {@code i + 1} at index {@code i}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the state is inconsistent: only one of name/organizer is
     *     empty; an uncreated state has players, rounds or flags; {@code ended} without
     *     {@code started}; rounds before the start; rounds not numbered 1, 2, ...; an unconfirmed
     *     round before the last; an invalid or unregistered player name
     */
    public TournamentState {
        Objects.requireNonNull(name, "tournament name must not be null (use \"\" before creation)");
        Objects.requireNonNull(organizer, "organizer must not be null (use \"\" before creation)");
        Objects.requireNonNull(players, "players must not be null");
        Objects.requireNonNull(rounds, "rounds must not be null");
        if (name.isEmpty() != organizer.isEmpty()) {
            throw new IllegalArgumentException("name and organizer must both be empty (not created) or both"
                    + " set but were '" + name + "' and '" + organizer + "'");
        }
        if (name.isEmpty() && (!players.isEmpty() || started || !rounds.isEmpty())) {
            throw new IllegalArgumentException(
                    "a tournament that is not created must have no players, rounds or start");
        }
        if (ended && !started) {
            throw new IllegalArgumentException("a tournament cannot have ended without having started");
        }
        if (!started && !rounds.isEmpty()) {
            throw new IllegalArgumentException("a tournament cannot have rounds before it started");
        }
        for (String player : players.keySet()) {
            if (!Role.isValidName(player)) {
                throw new IllegalArgumentException("player names must match " + Role.NAME_PATTERN.pattern()
                        + " but got '" + player + "'");
            }
        }
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            if (r.number() != i + 1) {
                throw new IllegalArgumentException("rounds must be numbered 1, 2, ... but round at index "
                        + i + " is number " + r.number());
            }
            if (!r.confirmed() && i < rounds.size() - 1) {
                throw new IllegalArgumentException("only the last round may be unconfirmed but round "
                        + r.number() + " of " + rounds.size() + " is");
            }
            for (Match m : r.matches()) {
                requireRegistered(players, m.first(), r.number());
                requireRegistered(players, m.second(), r.number());
            }
            for (String b : r.bye()) {
                requireRegistered(players, b, r.number());
            }
        }
    }

    private static void requireRegistered(HashMap<String, PlayerStatus> players, String player, int round) {
        if (!players.containsKey(player)) {
            throw new IllegalArgumentException("round " + round + " seats '" + player
                    + "' who is not registered");
        }
    }

    /**
     * Returns the state before the genesis op.
     *
     * @return the empty state
     */
    public static TournamentState empty() {
        return EMPTY;
    }

    /**
     * Tells whether the tournament has been created (the genesis op applied).
     *
     * @return true once created
     */
    public boolean created() {
        return !name.isEmpty();
    }

    /**
     * Tells whether the player is registered (active or dropped).
     *
     * @param player a player name
     * @return true if registered
     */
    public boolean isRegistered(String player) {
        return players.containsKey(player);
    }

    /**
     * Tells whether the player is registered and not dropped.
     *
     * @param player a player name
     * @return true if active
     */
    public boolean isActive(String player) {
        return players.get(player).contains(PlayerStatus.ACTIVE);
    }

    /**
     * Returns the active players, by name ascending.
     *
     * @return the active player names
     */
    public Vector<String> activePlayers() {
        return players.filterValues(s -> s == PlayerStatus.ACTIVE).keySet().toVector().sorted();
    }

    /**
     * Returns all registered players (active and dropped), by name ascending.
     *
     * @return the player names
     */
    public Vector<String> playerNames() {
        return players.keySet().toVector().sorted();
    }

    /**
     * Returns a player's match points: 3 per won match or bye, 1 per drawn match.
     *
     * @param player a player name
     * @return the match points, 0 for an unknown player
     */
    public int matchPoints(String player) {
        return rounds.foldLeft(0, (sum, r) -> sum + r.matchPointsOf(player));
    }

    /**
     * Returns the standings of all registered players (dropped ones included): match points
     * descending, then name ascending.
     *
     * @return the standings
     */
    public Vector<Standing> standings() {
        return players.keySet().toVector().map(p -> new Standing(p, matchPoints(p))).sorted(RANKING);
    }

    /**
     * Returns the number of the last paired round.
     *
     * @return the current round number, 0 before the first pairing
     */
    public int currentRound() {
        return rounds.size();
    }

    /**
     * Returns a round.
     *
     * @param number a round number
     * @return the round, empty if not paired (yet)
     */
    public Option<Round> round(int number) {
        return number >= 1 && number <= rounds.size() ? Option.some(rounds.get(number - 1)) : Option.none();
    }

    /**
     * Returns the pairings (matches) of a round.
     *
     * @param number a round number
     * @return the matches in pairing order, empty if the round is not paired
     */
    public Vector<Match> pairings(int number) {
        return round(number).map(Round::matches).getOrElse(Vector.empty());
    }

    /**
     * Returns the player with the bye in a round.
     *
     * @param number a round number
     * @return the bye, empty if none or the round is not paired
     */
    public Option<String> bye(int number) {
        return round(number).flatMap(Round::bye);
    }

    /**
     * Tells whether a round is paired and confirmed.
     *
     * @param number a round number
     * @return true if confirmed
     */
    public boolean isConfirmed(int number) {
        return round(number).exists(Round::confirmed);
    }

    TournamentState withCreated(String newName, String newOrganizer) {
        return new TournamentState(newName, newOrganizer, players, started, ended, rounds);
    }

    TournamentState withPlayer(String player, PlayerStatus status) {
        return new TournamentState(name, organizer, players.put(player, status), started, ended, rounds);
    }

    TournamentState withStarted() {
        return new TournamentState(name, organizer, players, true, ended, rounds);
    }

    TournamentState withEnded() {
        return new TournamentState(name, organizer, players, started, true, rounds);
    }

    TournamentState withNewRound(Round round) {
        return new TournamentState(name, organizer, players, started, ended, rounds.append(round));
    }

    TournamentState withRound(Round round) {
        return new TournamentState(name, organizer, players, started, ended,
                rounds.update(round.number() - 1, round));
    }

    /** Returns a one-line summary: name, players, round and flags. */
    @Override
    public String toString() {
        if (!created()) {
            return "TournamentState[not created]";
        }
        return "TournamentState[" + name + " by " + organizer + ", players=" + playerNames().mkString(",")
                + ", active=" + activePlayers().size() + ", round=" + currentRound()
                + (isConfirmed(currentRound()) ? " (confirmed)" : "") + ", started=" + started
                + ", ended=" + ended + "]";
    }
}
