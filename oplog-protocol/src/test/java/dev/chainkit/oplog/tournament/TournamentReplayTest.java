package dev.chainkit.oplog.tournament;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.Vector;
import org.junit.jupiter.api.Test;

class TournamentReplayTest {

    private static Script fullTournament() {
        return Script.started("alice", "bob", "carol").org("pair 1")
                .ok("player:bob", "result 1 bob 2-1").org("confirm 1")
                .ok("player:carol", "drop carol").org("pair 2")
                .ok("judge", "result 2 alice 1-1-1").org("confirm 2").org("end");
    }

    @Test
    void replayOfTheLogEqualsStepByStepApplication() {
        Script script = fullTournament();
        Vector<Operation<TournamentOp>> ops = script.applied();
        OpLog<TournamentOp> log = OpLog.genesis(ops.head()).appendAll(ops.tail());
        assertEquals(script.state(), Script.TOURNAMENT.replay(log));
        assertTrue(Script.TOURNAMENT.replay(log).ended());
    }

    @Test
    void replayOfATruncatedLogEqualsTheStateAtThatOp() {
        Script script = fullTournament();
        Vector<Operation<TournamentOp>> ops = script.applied();
        OpLog<TournamentOp> log = OpLog.genesis(ops.head()).appendAll(ops.tail());
        TournamentState stepwise = Script.TOURNAMENT.empty();
        for (int i = 0; i < ops.size(); i++) {
            stepwise = Script.TOURNAMENT.apply(stepwise, ops.get(i)).get();
            assertEquals(stepwise, Script.TOURNAMENT.replay(log.truncateAfter(ops.get(i).id())), "after op " + i);
        }
    }

    @Test
    void replayRejectsALogWhoseOpDoesNotApply() {
        Script script = Script.registered("alice");
        Operation<TournamentOp> duplicate = script.op("organizer", "register alice");
        OpLog<TournamentOp> log = OpLog.genesis(script.applied().head())
                .appendAll(script.applied().tail()).append(duplicate);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Script.TOURNAMENT.replay(log));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertTrue(e.getMessage().contains(Tournament.ALREADY_REGISTERED), e.getMessage());
    }
}
