package dev.chainkit.oplog.tournament;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Vector;
import io.vavr.control.Option;
import org.junit.jupiter.api.Test;

class TournamentPairingTest {

    private static Vector<String> pairs(TournamentState s, int round) {
        return s.pairings(round).map(m -> m.first() + "-" + m.second());
    }

    @Test
    void firstRoundPairsByNameWhenNobodyHasPoints() {
        TournamentState s = Script.started("dave", "bob", "carol", "alice").org("pair 1").state();
        assertEquals(Vector.of("alice-bob", "carol-dave"), pairs(s, 1));
        assertEquals(Option.none(), s.bye(1));
        assertEquals(1, s.currentRound());
        assertTrue(!s.isConfirmed(1));
    }

    @Test
    void laterRoundsPairByMatchPointsThenName() {
        TournamentState s = Script.started("alice", "bob", "carol", "dave").org("pair 1")
                .org("result 1 bob 2-0")      // bob beats alice
                .org("result 1 carol 1-2")    // dave beats carol
                .org("confirm 1").org("pair 2").state();
        assertEquals(Vector.of(new Standing("bob", 3), new Standing("dave", 3), new Standing("alice", 0),
                new Standing("carol", 0)), s.standings());
        assertEquals(Vector.of("bob-dave", "alice-carol"), pairs(s, 2));
    }

    @Test
    void drawsGiveOnePointEachAndRankBetweenWinsAndLosses() {
        TournamentState s = Script.started("alice", "bob", "carol", "dave").org("pair 1")
                .org("result 1 alice 1-1-1")  // alice draws bob
                .org("result 1 dave 2-1")     // dave beats carol
                .org("confirm 1").org("pair 2").state();
        assertEquals(1, s.matchPoints("alice"));
        assertEquals(1, s.matchPoints("bob"));
        assertEquals(3, s.matchPoints("dave"));
        assertEquals(0, s.matchPoints("carol"));
        assertEquals(Vector.of("dave-alice", "bob-carol"), pairs(s, 2));
    }

    @Test
    void oddPlayerCountGivesTheLastRankedPlayerTheBye() {
        TournamentState s = Script.started("alice", "bob", "carol").org("pair 1").state();
        assertEquals(Vector.of("alice-bob"), pairs(s, 1));
        assertEquals(Option.some("carol"), s.bye(1));
    }

    @Test
    void byeScoresAsATwoZeroWinWorthThreePoints() {
        Script script = Script.started("alice", "bob", "carol").org("pair 1");
        assertEquals(new Score(2, 0, 0), Score.BYE);
        assertEquals(3, script.state().matchPoints("carol"));
        TournamentState s = script.org("result 1 bob 0-2").org("confirm 1").org("pair 2").state();
        // alice 3 and carol 3 (bye) meet, bob 0 gets the bye
        assertEquals(Vector.of("alice-carol"), pairs(s, 2));
        assertEquals(Option.some("bob"), s.bye(2));
        assertEquals(3, s.matchPoints("bob"));
    }

    @Test
    void droppedPlayersAreNotPairedButKeepTheirPoints() {
        TournamentState s = Script.started("alice", "bob", "carol", "dave").org("pair 1")
                .org("result 1 alice 2-0").org("result 1 carol 2-0").org("confirm 1")
                .org("drop alice").org("pair 2").state();
        assertEquals(Vector.of("carol-bob"), pairs(s, 2));
        assertEquals(Option.some("dave"), s.bye(2));
        assertEquals(3, s.matchPoints("alice"));
        assertTrue(s.standings().contains(new Standing("alice", 3)));
    }

    @Test
    void resultIsStoredForTheMatchSoTheOpponentSeesItMirrored() {
        TournamentState s = Script.started("alice", "bob").org("pair 1").org("result 1 bob 1-2-1").state();
        Match m = s.pairings(1).head();
        assertEquals(Option.some(new Score(2, 1, 1)), m.scoreFor("alice"));
        assertEquals(Option.some(new Score(1, 2, 1)), m.scoreFor("bob"));
        assertEquals(3, s.matchPoints("alice"));
        assertEquals(0, s.matchPoints("bob"));
    }

    @Test
    void recordingAgainOverwritesTheResult() {
        Script script = Script.started("alice", "bob").org("pair 1").org("result 1 alice 2-0");
        assertEquals(3, script.state().matchPoints("alice"));
        TournamentState s = script.org("result 1 bob 2-1").state();
        assertEquals(Option.some(new Score(1, 2, 0)), s.pairings(1).head().scoreFor("alice"));
        assertEquals(0, s.matchPoints("alice"));
        assertEquals(3, s.matchPoints("bob"));
        assertEquals(Vector.of(new Standing("bob", 3), new Standing("alice", 0)), s.standings());
    }
}
