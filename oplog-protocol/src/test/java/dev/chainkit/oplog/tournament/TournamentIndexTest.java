package dev.chainkit.oplog.tournament;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The indexes a {@link TournamentState} and its {@link Round}s keep so that an op costs the same in a big
 * tournament as in a small one (match points per player, the active count, where each player sits, how many
 * results a round has): after every op of long random tournaments, each index must say what a recount from the
 * state's components says, and rebuilding the state from its components ({@link TournamentState#of}) must give an
 * equal state with the same indexes. Seeded: the seed is printed, {@code -Dchainkit.seed=N} replays one.
 */
class TournamentIndexTest {

    private static final Tournament RULES = new Tournament();
    private static final Author ORGANIZER = new Author("hq", Role.organizer());

    @Test
    void indexesAgreeWithARecountAfterEveryOpOfRandomTournaments() {
        String fixed = System.getProperty("chainkit.seed");
        long first = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        int runs = fixed != null ? 1 : 20;
        System.out.println("TournamentIndexTest seed " + first + " (" + runs + " tournaments from it)");
        for (int run = 0; run < runs; run++) {
            long seed = first + run;
            playAndCheck(seed);
        }
    }

    @Test
    void aRoundThatIsNotCompleteCannotBeConfirmed() {
        Round r = Round.of(1, Vector.of(Match.of("a", "b"), Match.of("c", "d")), Option.none(), false)
                .withResult("a", new Score(2, 0, 0));
        assertEquals(1, r.missingResults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::confirm);
        assertTrue(e.getMessage().contains("1 of its matches lack a result"), e.getMessage());
        assertTrue(r.withResult("d", new Score(1, 1, 1)).confirm().confirmed());
    }

    @Test
    void aRoundRefusesAPlayerSeatedTwice() {
        assertThrows(IllegalArgumentException.class,
                () -> Round.of(1, Vector.of(Match.of("a", "b"), Match.of("b", "c")), Option.none(), false));
        assertThrows(IllegalArgumentException.class,
                () -> Round.of(1, Vector.of(Match.of("a", "b")), Option.some("a"), false));
    }

    @Test
    void aRefusedConfirmNamesAFewMissingResultsAndCountsTheRest() {
        Script s = Script.started("p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", "p11",
                "p12", "p13", "p14", "p15", "p16").org("pair 1");
        Either<?, TournamentState> refused = RULES.apply(s.state(), op(99, new TournamentOp.Confirm(1)));
        String message = refused.getLeft().toString();
        assertTrue(message.contains(Tournament.RESULTS_MISSING), message);
        assertTrue(message.contains("p01 vs p02"), message);
        assertTrue(message.contains("and 3 more"), message);
    }

    private static void playAndCheck(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TournamentState state = RULES.apply(TournamentState.empty(), op(0, new TournamentOp.Create("t", "hq"))).get();
        int players = 3 + random.nextInt(40);
        for (int i = 0; i < 400; i++) {
            TournamentOp next = draw(random, state, players);
            Either<?, TournamentState> applied = RULES.apply(state, op(i + 1, next));
            if (applied.isRight()) {
                state = applied.get();
                check(state, "seed " + seed + " after op " + (i + 1) + " '" + next.text() + "'");
            }
        }
    }

    /** An op that often applies: registrations first, then rounds of results, overwrites and confirmations. */
    private static TournamentOp draw(SplittableRandom random, TournamentState state, int players) {
        String someone = "p" + random.nextInt(players);
        if (!state.started()) {
            int roll = random.nextInt(10);
            return roll < 7 ? new TournamentOp.Register(someone) : roll < 8 ? new TournamentOp.Drop(someone)
                    : new TournamentOp.Start();
        }
        Option<Round> current = state.round(state.currentRound());
        if (current.isEmpty() || current.get().confirmed()) {
            return random.nextInt(20) == 0 ? new TournamentOp.Drop(someone)
                    : new TournamentOp.Pair(state.currentRound() + 1);
        }
        Round r = current.get();
        if (random.nextInt(8) == 0 || r.matches().isEmpty()) {
            return new TournamentOp.Confirm(r.number());
        }
        Match m = r.matches().get(random.nextInt(r.matches().size()));
        String side = random.nextBoolean() ? m.first() : m.second();
        return new TournamentOp.Result(r.number(), side, random.nextInt(3), random.nextInt(3), random.nextInt(2));
    }

    private static void check(TournamentState state, String where) {
        int active = 0;
        for (var p : state.players()) {
            active += p._2 == PlayerStatus.ACTIVE ? 1 : 0;
            int recount = state.rounds().foldLeft(0, (sum, r) -> sum + recountPoints(r, p._1));
            assertEquals(recount, state.matchPoints(p._1), where + ": match points of " + p._1);
        }
        assertEquals(active, state.activeCount(), where + ": active count");
        for (Round r : state.rounds()) {
            assertEquals(r.matches().count(m -> m.score().isEmpty()), r.missingResults(), where + ": missing");
            for (Match m : r.matches()) {
                assertEquals(Option.some(m), r.matchOf(m.first()), where + ": seat of " + m.first());
                assertEquals(Option.some(m), r.matchOf(m.second()), where + ": seat of " + m.second());
            }
            for (String b : r.bye()) {
                assertEquals(Option.none(), r.matchOf(b), where + ": the bye plays no match");
            }
        }
        TournamentState rebuilt = TournamentState.of(state.name(), state.organizer(), state.players(),
                state.started(), state.ended(), state.rounds().map(r -> Round.of(r.number(), r.matches(), r.bye(),
                        r.confirmed())));
        assertEquals(state, rebuilt, where + ": rebuilt from its components");
        assertEquals(state.hashCode(), rebuilt.hashCode(), where + ": hash code");
        assertEquals(state.standings(), rebuilt.standings(), where + ": standings");
        assertEquals(state.activeCount(), rebuilt.activeCount(), where + ": active count rebuilt");
    }

    /** Points of one round, counted from its matches without any index. */
    private static int recountPoints(Round r, String player) {
        if (r.bye().contains(player)) {
            return Score.BYE.matchPoints();
        }
        return r.matches().find(m -> m.involves(player)).map(m -> m.scoreFor(player).map(Score::matchPoints)
                .getOrElse(0)).getOrElse(0);
    }

    private static Operation<TournamentOp> op(int n, TournamentOp payload) {
        return new Operation<>(OpId.of("o" + n), ORGANIZER, n, payload);
    }

    @Test
    void ofValidatesAStateBuiltFromOutside() {
        assertThrows(IllegalArgumentException.class, () -> TournamentState.of("t", "hq",
                HashMap.of("bad name", PlayerStatus.ACTIVE), false, false, Vector.empty()));
        assertThrows(IllegalArgumentException.class, () -> TournamentState.of("t", "hq",
                HashMap.of("a", PlayerStatus.ACTIVE), true, false, Vector.of(Round.of(1,
                        Vector.of(Match.of("a", "b")), Option.none(), false))));
        assertEquals(1, TournamentState.of("t", "hq", HashMap.of("a", PlayerStatus.ACTIVE, "b",
                PlayerStatus.DROPPED), false, false, Vector.empty()).activeCount());
    }
}
