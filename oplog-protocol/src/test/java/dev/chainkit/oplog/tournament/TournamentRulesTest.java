package dev.chainkit.oplog.tournament;

import static dev.chainkit.oplog.tournament.Tournament.ALREADY_CONFIRMED;
import static dev.chainkit.oplog.tournament.Tournament.ALREADY_CREATED;
import static dev.chainkit.oplog.tournament.Tournament.ALREADY_DROPPED;
import static dev.chainkit.oplog.tournament.Tournament.ALREADY_REGISTERED;
import static dev.chainkit.oplog.tournament.Tournament.ALREADY_STARTED;
import static dev.chainkit.oplog.tournament.Tournament.ENDED;
import static dev.chainkit.oplog.tournament.Tournament.NOT_CREATED;
import static dev.chainkit.oplog.tournament.Tournament.NOT_ENOUGH_PLAYERS;
import static dev.chainkit.oplog.tournament.Tournament.NOT_PAIRED;
import static dev.chainkit.oplog.tournament.Tournament.NOT_REGISTERED;
import static dev.chainkit.oplog.tournament.Tournament.NOT_STARTED;
import static dev.chainkit.oplog.tournament.Tournament.NO_MATCH;
import static dev.chainkit.oplog.tournament.Tournament.RESULTS_MISSING;
import static dev.chainkit.oplog.tournament.Tournament.ROUND_NOT_CONFIRMED;
import static dev.chainkit.oplog.tournament.Tournament.WRONG_ROUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.OpError;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import org.junit.jupiter.api.Test;

class TournamentRulesTest {

    @Test
    void createAppliesAsTheFirstOpAndNamesTheTournament() {
        TournamentState s = Script.created().state();
        assertTrue(s.created());
        assertEquals("spring-open", s.name());
        assertEquals("orga", s.organizer());
        assertFalse(s.started());
        assertFalse(TournamentState.empty().created());
    }

    @Test
    void createRejectedOnceTheTournamentExists() {
        OpError e = Script.created().orgRejected("create again orga", ALREADY_CREATED);
        assertTrue(e.message().contains("only valid as the first op"), e.message());
    }

    @Test
    void anyOpBeforeCreateIsRejectedAsNotCreated() {
        Script s = Script.empty();
        s.orgRejected("register alice", NOT_CREATED);
        s.orgRejected("start", NOT_CREATED);
        s.orgRejected("end", NOT_CREATED);
    }

    @Test
    void registerAddsAnActivePlayer() {
        TournamentState s = Script.registered("bob", "alice").state();
        assertEquals(Vector.of("alice", "bob"), s.activePlayers());
        assertEquals(HashMap.of("alice", PlayerStatus.ACTIVE, "bob", PlayerStatus.ACTIVE), s.players());
    }

    @Test
    void registerRejectsDuplicateName() {
        OpError e = Script.registered("alice").orgRejected("register alice", ALREADY_REGISTERED);
        assertTrue(e.message().contains("registered only once"), e.message());
        assertTrue(e.message().startsWith("'register alice'"), e.message());
    }

    @Test
    void registerRejectsTheNameOfADroppedPlayer() {
        Script.registered("alice").org("drop alice").orgRejected("register alice", ALREADY_REGISTERED);
    }

    @Test
    void registerRejectedAfterStart() {
        Script.started("alice", "bob").orgRejected("register carol", ALREADY_STARTED);
    }

    @Test
    void dropMarksThePlayerDroppedButKeepsItRegistered() {
        TournamentState s = Script.registered("alice", "bob").org("drop alice").state();
        assertTrue(s.isRegistered("alice"));
        assertFalse(s.isActive("alice"));
        assertEquals(Vector.of("bob"), s.activePlayers());
        assertEquals(Vector.of("alice", "bob"), s.playerNames());
    }

    @Test
    void dropRejectsUnregisteredAndAlreadyDroppedPlayers() {
        Script s = Script.registered("alice");
        s.orgRejected("drop zed", NOT_REGISTERED);
        s.org("drop alice").orgRejected("drop alice", ALREADY_DROPPED);
    }

    @Test
    void dropAllowedAfterStartButRejectedAfterEnd() {
        Script s = Script.started("alice", "bob", "carol").org("drop carol");
        assertEquals(Vector.of("alice", "bob"), s.state().activePlayers());
        s.org("end").orgRejected("drop bob", ENDED);
    }

    @Test
    void startNeedsAtLeastTwoActivePlayers() {
        Script.registered("alice").orgRejected("start", NOT_ENOUGH_PLAYERS);
        Script.registered("alice", "bob").org("drop bob").orgRejected("start", NOT_ENOUGH_PLAYERS);
        assertTrue(Script.registered("alice", "bob").org("start").state().started());
    }

    @Test
    void startRejectedTheSecondTime() {
        Script.started("alice", "bob").orgRejected("start", ALREADY_STARTED);
    }

    @Test
    void pairRejectedBeforeStart() {
        Script.registered("alice", "bob").orgRejected("pair 1", NOT_STARTED);
    }

    @Test
    void pairRejectsAnyRoundButTheNextOne() {
        Script s = Script.started("alice", "bob");
        OpError e = s.orgRejected("pair 2", WRONG_ROUND);
        assertTrue(e.message().contains("next round to pair is 1"), e.message());
        s.org("pair 1").org("result 1 alice 2-0").org("confirm 1");
        s.orgRejected("pair 1", WRONG_ROUND);
        s.orgRejected("pair 3", WRONG_ROUND);
        s.org("pair 2");
        assertEquals(2, s.state().currentRound());
    }

    @Test
    void pairRejectedWhileThePreviousRoundIsUnconfirmed() {
        Script s = Script.started("alice", "bob").org("pair 1").org("result 1 alice 2-0");
        s.orgRejected("pair 2", ROUND_NOT_CONFIRMED);
        s.org("confirm 1").org("pair 2");
    }

    @Test
    void pairRejectedWithFewerThanTwoActivePlayers() {
        Script.started("alice", "bob").org("drop bob").orgRejected("pair 1", NOT_ENOUGH_PLAYERS);
    }

    @Test
    void pairRejectedAfterEnd() {
        Script.started("alice", "bob").org("end").orgRejected("pair 1", ENDED);
    }

    @Test
    void resultRejectedForARoundNotPaired() {
        Script s = Script.started("alice", "bob");
        s.orgRejected("result 1 alice 2-0", NOT_PAIRED);
        s.org("pair 1").orgRejected("result 2 alice 2-0", NOT_PAIRED);
    }

    @Test
    void resultRejectedOnceTheRoundIsConfirmed() {
        Script.started("alice", "bob").org("pair 1").org("result 1 alice 2-0").org("confirm 1")
                .orgRejected("result 1 alice 0-2", ALREADY_CONFIRMED);
    }

    @Test
    void resultRejectedForAByeOrAPlayerOutsideTheRound() {
        Script s = Script.started("alice", "bob", "carol").org("pair 1");
        OpError bye = s.orgRejected("result 1 carol 2-0", NO_MATCH);
        assertTrue(bye.message().contains("bye"), bye.message());
        s.orgRejected("result 1 zed 2-0", NO_MATCH);
    }

    @Test
    void resultRejectedAfterEnd() {
        Script.started("alice", "bob").org("pair 1").org("end").orgRejected("result 1 alice 2-0", ENDED);
    }

    @Test
    void confirmNeedsEveryMatchResultButNotTheBye() {
        Script s = Script.started("alice", "bob", "carol", "dave", "erin").org("pair 1")
                .org("result 1 alice 2-1");
        OpError e = s.orgRejected("confirm 1", RESULTS_MISSING);
        assertTrue(e.message().contains("carol vs dave"), e.message());
        s.org("result 1 dave 2-0").org("confirm 1");
        assertTrue(s.state().isConfirmed(1));
    }

    @Test
    void confirmRejectsUnpairedAndAlreadyConfirmedRounds() {
        Script s = Script.started("alice", "bob");
        s.orgRejected("confirm 1", NOT_PAIRED);
        s.org("pair 1").org("result 1 bob 1-1").org("confirm 1").orgRejected("confirm 1", ALREADY_CONFIRMED);
    }

    @Test
    void endNeedsAStartedTournamentAndAppliesOnce() {
        Script s = Script.registered("alice", "bob");
        s.orgRejected("end", NOT_STARTED);
        s.org("start").org("end");
        assertTrue(s.state().ended());
        s.orgRejected("end", ENDED);
        s.orgRejected("confirm 1", ENDED);
    }
}
