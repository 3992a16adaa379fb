package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Role;
import io.vavr.Tuple2;
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
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Applying an op costs the same at 10 players as at 100,000</b> (amortized, effectively constant:
 *   persistent vavr maps and vectors, O(log32 n)). A state is derived from the previous one by the package's
 *   {@code withX} methods, which trust the {@link Tournament} rules that called them and update only what the op
 *   touched; nothing re-checks every player or copies a key set. Only pairing a round costs O(players log
 *   players): it ranks the active players.</li>
 *   <li><b>Derived indexes.</b> Besides its six components the state keeps each player's match points and the
 *   count of active players, maintained as results, byes and drops come in, and each {@link Round} keeps where
 *   its players sit. They are functions of the components, so they take no part in equality.</li>
 *   <li><b>Validation at the door.</b> {@link #of} validates a state built from outside (O(size)); the
 *   {@code withX} methods do not, since each is called only after the rule that allows its change.</li>
 *   <li><b>Equality</b> compares the components, taking identical sub-structures (a round, the player map) as
 *   equal without walking them, so comparing two states that share most of their structure is cheap.</li>
 * </ul>
 *
 * <p>Thread safety: immutable value, thread-safe.
 */
public final class TournamentState {

    private static final TournamentState EMPTY =
            new TournamentState("", "", HashMap.empty(), false, false, Vector.empty(), HashMap.empty(), 0);

    private static final Comparator<Standing> RANKING =
            Comparator.comparingInt(Standing::matchPoints).reversed().thenComparing(Standing::player);

    private final String name;
    private final String organizer;
    private final HashMap<String, PlayerStatus> players;
    private final boolean started;
    private final boolean ended;
    private final Vector<Round> rounds;
    /** Match points per player; a player without any is absent. Derived from rounds. */
    private final HashMap<String, Integer> points;
    /** How many players are active. Derived from players. */
    private final int active;

    private TournamentState(String name, String organizer, HashMap<String, PlayerStatus> players, boolean started,
                            boolean ended, Vector<Round> rounds, HashMap<String, Integer> points, int active) {
        this.name = name;
        this.organizer = organizer;
        this.players = players;
        this.started = started;
        this.ended = ended;
        this.rounds = rounds;
        this.points = points;
        this.active = active;
    }

    /**
     * Returns a validated state; costs O(players + matches).
     *
     * @param name the tournament name, {@code ""} before creation
     * @param organizer the organizer named at creation, {@code ""} before creation
     * @param players every registered player with its status (dropped players stay)
     * @param started whether the tournament has started
     * @param ended whether the tournament has ended
     * @param rounds the paired rounds, round {@code i + 1} at index {@code i}
     * @return the state
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the state is inconsistent: only one of name/organizer is
     *     empty; an uncreated state has players, rounds or flags; {@code ended} without
     *     {@code started}; rounds before the start; rounds not numbered 1, 2, ...; an unconfirmed
     *     round before the last; an invalid or unregistered player name
     */
    public static TournamentState of(String name, String organizer, HashMap<String, PlayerStatus> players,
                                     boolean started, boolean ended, Vector<Round> rounds) {
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
        int active = 0;
        for (Tuple2<String, PlayerStatus> p : players) {
            if (!Role.isValidName(p._1)) {
                throw new IllegalArgumentException("player names must match " + Role.NAME_PATTERN.pattern()
                        + " but got '" + p._1 + "'");
            }
            active += Objects.requireNonNull(p._2, "player status must not be null") == PlayerStatus.ACTIVE ? 1 : 0;
        }
        HashMap<String, Integer> points = HashMap.empty();
        for (int i = 0; i < rounds.size(); i++) {
            Round r = Objects.requireNonNull(rounds.get(i), "rounds must not contain null");
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
                points = addPoints(points, m.first(), m.matchPointsOf(m.first()));
                points = addPoints(points, m.second(), m.matchPointsOf(m.second()));
            }
            for (String b : r.bye()) {
                requireRegistered(players, b, r.number());
                points = addPoints(points, b, Score.BYE.matchPoints());
            }
        }
        return new TournamentState(name, organizer, players, started, ended, rounds, points, active);
    }

    private static void requireRegistered(HashMap<String, PlayerStatus> players, String player, int round) {
        if (!players.containsKey(player)) {
            throw new IllegalArgumentException("round " + round + " seats '" + player
                    + "' who is not registered");
        }
    }

    private static HashMap<String, Integer> addPoints(HashMap<String, Integer> points, String player, int delta) {
        if (delta == 0) {
            return points;
        }
        int now = points.get(player).getOrElse(0) + delta;
        return now == 0 ? points.remove(player) : points.put(player, now);
    }

    /**
     * The tournament name.
     *
     * @return the name, {@code ""} before creation
     */
    public String name() {
        return name;
    }

    /**
     * The organizer named at creation.
     *
     * @return the organizer, {@code ""} before creation
     */
    public String organizer() {
        return organizer;
    }

    /**
     * Every registered player with its status (dropped players stay).
     *
     * @return the players
     */
    public HashMap<String, PlayerStatus> players() {
        return players;
    }

    /**
     * Whether the tournament has started.
     *
     * @return true once started
     */
    public boolean started() {
        return started;
    }

    /**
     * Whether the tournament has ended.
     *
     * @return true once ended
     */
    public boolean ended() {
        return ended;
    }

    /**
     * The paired rounds, round {@code i + 1} at index {@code i}.
     *
     * @return the rounds
     */
    public Vector<Round> rounds() {
        return rounds;
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
     * Returns how many players are registered and not dropped; constant cost.
     *
     * @return the number of active players
     */
    public int activeCount() {
        return active;
    }

    /**
     * Returns the active players, by name ascending; costs O(players log players).
     *
     * @return the active player names
     */
    public Vector<String> activePlayers() {
        return players.filterValues(s -> s == PlayerStatus.ACTIVE).keySet().toVector().sorted();
    }

    /**
     * Returns all registered players (active and dropped), by name ascending; costs O(players log players).
     *
     * @return the player names
     */
    public Vector<String> playerNames() {
        return players.keySet().toVector().sorted();
    }

    /**
     * Returns a player's match points: 3 per won match or bye, 1 per drawn match; effectively constant cost.
     *
     * @param player a player name
     * @return the match points, 0 for an unknown player
     */
    public int matchPoints(String player) {
        return points.get(player).getOrElse(0);
    }

    /**
     * Returns the standings of all registered players (dropped ones included): match points
     * descending, then name ascending; costs O(players log players).
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
        return new TournamentState(newName, newOrganizer, players, started, ended, rounds, points, active);
    }

    /** Registers a new player (active) or changes a registered player's status. */
    TournamentState withPlayer(String player, PlayerStatus status) {
        Option<PlayerStatus> before = players.get(player);
        int newActive = active - (before.contains(PlayerStatus.ACTIVE) ? 1 : 0)
                + (status == PlayerStatus.ACTIVE ? 1 : 0);
        return new TournamentState(name, organizer, players.put(player, status), started, ended, rounds, points,
                newActive);
    }

    TournamentState withStarted() {
        return new TournamentState(name, organizer, players, true, ended, rounds, points, active);
    }

    TournamentState withEnded() {
        return new TournamentState(name, organizer, players, started, true, rounds, points, active);
    }

    /** Appends a freshly paired round (no results yet); its bye earns its points now. */
    TournamentState withNewRound(Round round) {
        HashMap<String, Integer> newPoints = points;
        for (String b : round.bye()) {
            newPoints = addPoints(newPoints, b, Score.BYE.matchPoints());
        }
        return new TournamentState(name, organizer, players, started, ended, rounds.append(round), newPoints,
                active);
    }

    /**
     * Records a result in a paired round, replacing any earlier one, and moves both players' match points by the
     * difference.
     *
     * @throws IllegalArgumentException if {@code player} has no match in that round
     */
    TournamentState withResult(Round round, String player, Score score) {
        Match before = round.matchOf(player).getOrElseThrow(() -> new IllegalArgumentException("'" + player
                + "' has no match in round " + round.number()));
        Round updated = round.withResult(player, score);
        Match after = updated.matchOf(player).get();
        HashMap<String, Integer> newPoints = points;
        for (String p : new String[] {before.first(), before.second()}) {
            newPoints = addPoints(newPoints, p, after.matchPointsOf(p) - before.matchPointsOf(p));
        }
        return new TournamentState(name, organizer, players, started, ended,
                rounds.update(round.number() - 1, updated), newPoints, active);
    }

    /** Confirms a round whose results are all in. @throws IllegalArgumentException if one is missing */
    TournamentState withConfirmed(Round round) {
        return new TournamentState(name, organizer, players, started, ended,
                rounds.update(round.number() - 1, round.confirm()), points, active);
    }

    /**
     * Equal when name, organizer, players, start, end and rounds are equal; identical sub-structures are equal
     * without being walked.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof TournamentState t && started == t.started && ended == t.ended && active == t.active
                && name.equals(t.name) && organizer.equals(t.organizer)
                && (players == t.players || players.equals(t.players))
                && (rounds == t.rounds || rounds.equals(t.rounds));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, organizer, players, started, ended, rounds);
    }

    /** Returns a one-line summary: name, players, round and flags. */
    @Override
    public String toString() {
        if (!created()) {
            return "TournamentState[not created]";
        }
        return "TournamentState[" + name + " by " + organizer + ", players=" + playerNames().mkString(",")
                + ", active=" + active + ", round=" + currentRound()
                + (isConfirmed(currentRound()) ? " (confirmed)" : "") + ", started=" + started
                + ", ended=" + ended + "]";
    }
}
