package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Objects;

/**
 * The tournament rules as a {@link Domain}: who may make which op, and when each op applies.
 *
 * <p>Roles are checked first (kind {@link OpError#UNAUTHORIZED}): an organizer may make every op; a
 * judge every op but {@code create}, {@code start} and {@code end}; {@code player:NAME} may only
 * {@code register NAME}, {@code drop NAME} and record results of its own matches (a result naming
 * itself, or naming its opponent in that round). Then the rules, each refusing with its own kind:
 * <ul>
 *   <li>{@code create}: only as the first op ({@link #ALREADY_CREATED}); every other op needs it
 *       first ({@link #NOT_CREATED}).</li>
 *   <li>{@code register NAME}: not started ({@link #ALREADY_STARTED}); NAME not registered yet,
 *       active or dropped ({@link #ALREADY_REGISTERED}).</li>
 *   <li>{@code drop NAME}: not ended ({@link #ENDED}); NAME registered ({@link #NOT_REGISTERED})
 *       and active ({@link #ALREADY_DROPPED}).</li>
 *   <li>{@code start}: not started ({@link #ALREADY_STARTED}); at least 2 active players
 *       ({@link #NOT_ENOUGH_PLAYERS}).</li>
 *   <li>{@code pair ROUND}: started ({@link #NOT_STARTED}); not ended ({@link #ENDED}); ROUND is
 *       the last round + 1 ({@link #WRONG_ROUND}); the previous round confirmed
 *       ({@link #ROUND_NOT_CONFIRMED}); at least 2 active players ({@link #NOT_ENOUGH_PLAYERS}).
 *       Active players are ranked by match points descending, then name ascending; first plays
 *       second, third plays fourth, ...; an odd last one gets the bye (a 2-0 win, 3 points).</li>
 *   <li>{@code result ROUND NAME W-L[-D]}: not ended ({@link #ENDED}); ROUND paired
 *       ({@link #NOT_PAIRED}) and not confirmed ({@link #ALREADY_CONFIRMED}); NAME plays a match,
 *       not the bye, in ROUND ({@link #NO_MATCH}). The score is stored for the match from NAME's
 *       side (the opponent sees it mirrored); recording again overwrites.</li>
 *   <li>{@code confirm ROUND}: not ended ({@link #ENDED}); ROUND paired ({@link #NOT_PAIRED}), not
 *       yet confirmed ({@link #ALREADY_CONFIRMED}) and every match has a result
 *       ({@link #RESULTS_MISSING}).</li>
 *   <li>{@code end}: started ({@link #NOT_STARTED}), not ended ({@link #ENDED}).</li>
 * </ul>
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class Tournament implements Domain<TournamentState, TournamentOp> {

    /** Kind: an op other than create came before the tournament was created. */
    public static final String NOT_CREATED = "not-created";
    /** Kind: create when the tournament already exists. */
    public static final String ALREADY_CREATED = "already-created";
    /** Kind: register of a name already registered (active or dropped). */
    public static final String ALREADY_REGISTERED = "already-registered";
    /** Kind: drop of a name never registered. */
    public static final String NOT_REGISTERED = "not-registered";
    /** Kind: drop of a player already dropped. */
    public static final String ALREADY_DROPPED = "already-dropped";
    /** Kind: register or start after the start. */
    public static final String ALREADY_STARTED = "already-started";
    /** Kind: pair or end before the start. */
    public static final String NOT_STARTED = "not-started";
    /** Kind: any op after the end. */
    public static final String ENDED = "ended";
    /** Kind: start or pair with fewer than 2 active players. */
    public static final String NOT_ENOUGH_PLAYERS = "not-enough-players";
    /** Kind: pair of a round other than the next one. */
    public static final String WRONG_ROUND = "wrong-round";
    /** Kind: pair while the previous round is not confirmed. */
    public static final String ROUND_NOT_CONFIRMED = "round-not-confirmed";
    /** Kind: result or confirm of a round not paired. */
    public static final String NOT_PAIRED = "not-paired";
    /** Kind: result or confirm of a round already confirmed. */
    public static final String ALREADY_CONFIRMED = "already-confirmed";
    /** Kind: result for a player without a match (bye, or not in the round). */
    public static final String NO_MATCH = "no-match";
    /** Kind: confirm while a match has no result. */
    public static final String RESULTS_MISSING = "results-missing";

    /** How many missing results a refused {@code confirm} names. */
    private static final int MISSING_SHOWN = 5;

    /** Writes ops in their text form ({@link TournamentOp#text()}) and reads them with {@link TournamentOp#parse}. */
    private static final PayloadCodec<TournamentOp> TEXT = new PayloadCodec<>() {
        @Override
        public String encode(TournamentOp payload) {
            return payload.text();
        }

        @Override
        public Either<String, TournamentOp> decode(String text) {
            return TournamentOp.parse(text);
        }
    };

    /** Creates the (stateless) tournament domain. */
    public Tournament() {
    }

    /** Tournament ops travel and are stored in their one-line text form, e.g. {@code result 1 bob 2-1}. */
    @Override
    public PayloadCodec<TournamentOp> payloads() {
        return TEXT;
    }

    @Override
    public TournamentState empty() {
        return TournamentState.empty();
    }

    @Override
    public Either<OpError, TournamentState> apply(TournamentState state, Operation<TournamentOp> op) {
        Objects.requireNonNull(state, "state must not be null (use empty() before the genesis op)");
        Objects.requireNonNull(op, "operation must not be null");
        TournamentOp p = op.payload();
        Option<OpError> denied = authorize(state, op.author().role(), p);
        if (denied.isDefined()) {
            return Either.left(denied.get());
        }
        if (p instanceof TournamentOp.Create c) {
            return create(state, c);
        }
        if (!state.created()) {
            return fail(NOT_CREATED, p, "the first op must be 'create'; nothing else applies before it");
        }
        if (state.ended()) {
            return fail(ENDED, p, "the tournament has ended; no op applies after 'end'");
        }
        if (p instanceof TournamentOp.Register r) {
            return register(state, r);
        }
        if (p instanceof TournamentOp.Drop d) {
            return drop(state, d);
        }
        if (p instanceof TournamentOp.Start s) {
            return start(state, s);
        }
        if (p instanceof TournamentOp.Pair pr) {
            return pair(state, pr);
        }
        if (p instanceof TournamentOp.Result r) {
            return result(state, r);
        }
        if (p instanceof TournamentOp.Confirm c) {
            return confirm(state, c);
        }
        return end(state, (TournamentOp.End) p);
    }

    private static Option<OpError> authorize(TournamentState state, Role role, TournamentOp p) {
        if (role instanceof Role.Organizer) {
            return Option.none();
        }
        if (role instanceof Role.Judge) {
            if (p instanceof TournamentOp.Create || p instanceof TournamentOp.Start
                    || p instanceof TournamentOp.End) {
                return Option.some(OpError.unauthorized("'" + p.text() + "' by judge: a judge may make"
                        + " every op except create, start and end (those are the organizer's)"));
            }
            return Option.none();
        }
        String me = ((Role.Player) role).name();
        boolean allowed;
        if (p instanceof TournamentOp.Register r) {
            allowed = r.player().equals(me);
        } else if (p instanceof TournamentOp.Drop d) {
            allowed = d.player().equals(me);
        } else if (p instanceof TournamentOp.Result r) {
            allowed = r.player().equals(me) || state.round(r.round())
                    .flatMap(round -> round.matchOf(r.player()))
                    .exists(m -> m.involves(me));
        } else {
            allowed = false;
        }
        if (allowed) {
            return Option.none();
        }
        return Option.some(OpError.unauthorized("'" + p.text() + "' by " + role + ": a player may only"
                + " register or drop itself and record results of its own matches"));
    }

    private static Either<OpError, TournamentState> create(TournamentState state, TournamentOp.Create c) {
        if (state.created()) {
            return fail(ALREADY_CREATED, c, "'create' is only valid as the first op but tournament '"
                    + state.name() + "' already exists");
        }
        return Either.right(state.withCreated(c.name(), c.organizer()));
    }

    private static Either<OpError, TournamentState> register(TournamentState state, TournamentOp.Register r) {
        if (state.started()) {
            return fail(ALREADY_STARTED, r, "players may only register before 'start'");
        }
        if (state.isRegistered(r.player())) {
            return fail(ALREADY_REGISTERED, r, "a name may be registered only once, but '" + r.player()
                    + "' already is (" + state.players().get(r.player()).get().name().toLowerCase() + ")");
        }
        return Either.right(state.withPlayer(r.player(), PlayerStatus.ACTIVE));
    }

    private static Either<OpError, TournamentState> drop(TournamentState state, TournamentOp.Drop d) {
        if (!state.isRegistered(d.player())) {
            return fail(NOT_REGISTERED, d, "only a registered player can drop, but '" + d.player()
                    + "' is not registered");
        }
        if (!state.isActive(d.player())) {
            return fail(ALREADY_DROPPED, d, "only an active player can drop, but '" + d.player()
                    + "' already dropped");
        }
        return Either.right(state.withPlayer(d.player(), PlayerStatus.DROPPED));
    }

    private static Either<OpError, TournamentState> start(TournamentState state, TournamentOp.Start s) {
        if (state.started()) {
            return fail(ALREADY_STARTED, s, "the tournament can start only once");
        }
        int active = state.activeCount();
        if (active < 2) {
            return fail(NOT_ENOUGH_PLAYERS, s, "starting needs at least 2 active players but there are "
                    + active);
        }
        return Either.right(state.withStarted());
    }

    private static Either<OpError, TournamentState> pair(TournamentState state, TournamentOp.Pair p) {
        if (!state.started()) {
            return fail(NOT_STARTED, p, "rounds can be paired only after 'start'");
        }
        int next = state.currentRound() + 1;
        if (p.round() != next) {
            return fail(WRONG_ROUND, p, "the next round to pair is " + next + " but got " + p.round());
        }
        if (state.currentRound() > 0 && !state.isConfirmed(state.currentRound())) {
            return fail(ROUND_NOT_CONFIRMED, p, "round " + state.currentRound()
                    + " must be confirmed before round " + next + " is paired");
        }
        if (state.activeCount() < 2) {
            return fail(NOT_ENOUGH_PLAYERS, p, "pairing needs at least 2 active players but there are "
                    + state.activeCount());
        }
        Vector<String> ranked = state.standings()
                .map(Standing::player)
                .filter(state::isActive);
        Vector<Match> matches = Vector.empty();
        for (int i = 0; i + 1 < ranked.size(); i += 2) {
            matches = matches.append(Match.of(ranked.get(i), ranked.get(i + 1)));
        }
        Option<String> bye = ranked.size() % 2 == 1 ? Option.some(ranked.last()) : Option.none();
        return Either.right(state.withNewRound(Round.of(next, matches, bye, false)));
    }

    private static Either<OpError, TournamentState> result(TournamentState state, TournamentOp.Result r) {
        Option<Round> found = state.round(r.round());
        if (found.isEmpty()) {
            return fail(NOT_PAIRED, r, "results can be recorded only for a paired round but round "
                    + r.round() + " is not paired (current round " + state.currentRound() + ")");
        }
        Round round = found.get();
        if (round.confirmed()) {
            return fail(ALREADY_CONFIRMED, r, "results of a confirmed round cannot change but round "
                    + r.round() + " is confirmed");
        }
        if (round.hasBye(r.player())) {
            return fail(NO_MATCH, r, "results are recorded only for matches but '" + r.player()
                    + "' has the bye in round " + r.round());
        }
        if (round.matchOf(r.player()).isEmpty()) {
            return fail(NO_MATCH, r, "results are recorded only for matches but '" + r.player()
                    + "' plays no match in round " + r.round());
        }
        return Either.right(state.withResult(round, r.player(), r.score()));
    }

    private static Either<OpError, TournamentState> confirm(TournamentState state, TournamentOp.Confirm c) {
        Option<Round> found = state.round(c.round());
        if (found.isEmpty()) {
            return fail(NOT_PAIRED, c, "only a paired round can be confirmed but round " + c.round()
                    + " is not paired (current round " + state.currentRound() + ")");
        }
        Round round = found.get();
        if (round.confirmed()) {
            return fail(ALREADY_CONFIRMED, c, "a round is confirmed only once but round " + c.round()
                    + " already is");
        }
        if (!round.isComplete()) {
            // Refused: listing what is missing walks the round (O(matches)), only on this error path.
            Vector<Match> missing = round.matches().filter(m -> m.score().isEmpty());
            return fail(RESULTS_MISSING, c, "every match must have a result before confirming but round "
                    + c.round() + " lacks " + missing.take(MISSING_SHOWN).map(m -> m.first() + " vs " + m.second())
                    .mkString(", ") + (missing.size() > MISSING_SHOWN ? " and " + (missing.size() - MISSING_SHOWN)
                    + " more" : ""));
        }
        return Either.right(state.withConfirmed(round));
    }

    private static Either<OpError, TournamentState> end(TournamentState state, TournamentOp.End e) {
        if (!state.started()) {
            return fail(NOT_STARTED, e, "the tournament can end only after 'start'");
        }
        return Either.right(state.withEnded());
    }

    private static Either<OpError, TournamentState> fail(String kind, TournamentOp op, String rule) {
        return Either.left(new OpError(kind, "'" + op.text() + "': " + rule));
    }

    /** Returns {@code Tournament}. */
    @Override
    public String toString() {
        return "Tournament";
    }
}
