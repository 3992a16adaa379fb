package dev.chainkit.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import org.junit.jupiter.api.Test;

/** The incremental "state is the replay of its log" check stays exact: it misses nothing a full replay catches. */
class LogWatchTest {

    private static final Tournament RULES = new Tournament();
    private static final Author HQ = new Author("hq", Role.organizer());
    private static final Operation<TournamentOp> GENESIS = op("o0", new TournamentOp.Create("t", "hq"));

    private final SharedResults<TournamentState, TournamentOp> shared = new SharedResults<>(RULES);
    private final LogWatch<TournamentState, TournamentOp> watch = new LogWatch<>(shared);

    private static Operation<TournamentOp> op(String id, TournamentOp payload) {
        return new Operation<>(OpId.of(id), HQ, 0, payload);
    }

    private static Operation<TournamentOp> register(String id, String player) {
        return op(id, new TournamentOp.Register(player));
    }

    private TournamentState replay(OpLog<TournamentOp> log) {
        return shared.replay(log);
    }

    @Test
    void confirmsAGrowingLogAndReplaysOnlyTheNewOps() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice"));
        assertNull(watch.moveTo(log, replay(log)));
        OpLog<TournamentOp> longer = log.append(register("a2", "bob"));

        assertNull(watch.moveTo(longer, replay(longer)));
        assertEquals(2, watch.unchangedPrefix());
    }

    @Test
    void catchesAStateThatMissedTheNewOps() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice"));
        TournamentState state = replay(log);
        assertNull(watch.moveTo(log, state));

        assertEquals("state is not the replay of its log", watch.moveTo(log.append(register("a2", "bob")), state));
    }

    @Test
    void catchesAnEarlyOpReplacedWhileTheLastOneStayed() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice")).append(register("a2", "bob"));
        TournamentState state = replay(log);
        assertNull(watch.moveTo(log, state));
        OpLog<TournamentOp> rewritten = OpLog.genesis(GENESIS).append(register("c1", "carol"))
                .append(register("a2", "bob"));

        assertEquals("state is not the replay of its log", watch.moveTo(rewritten, state));
        assertEquals(0, watch.unchangedPrefix(), "the failed move kept the confirmed version");
    }

    @Test
    void followsATruncatedAndRebuiltLogFromWhereItForked() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice")).append(register("a2", "bob"));
        assertNull(watch.moveTo(log, replay(log)));
        OpLog<TournamentOp> rebased = log.truncateAfter(OpId.of("a1")).append(register("b1", "dave"))
                .append(register("a2", "bob"));

        assertNull(watch.moveTo(rebased, replay(rebased)));
        assertEquals(2, watch.unchangedPrefix());
    }

    @Test
    void acceptsAnEqualStateComputedWithoutTheSharedResults() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice"));
        TournamentState own = RULES.replay(log);
        assertNotSame(own, replay(log));

        assertNull(watch.moveTo(log, own));
    }

    @Test
    void catchesALogThatDoesNotReplay() {
        OpLog<TournamentOp> log = OpLog.genesis(GENESIS).append(register("a1", "alice")).append(register("a2",
                "alice"));

        assertEquals("log does not replay: op a2 at position 2 does not apply (already-registered: 'register"
                + " alice': a name may be registered only once, but 'alice' already is (active))",
                watch.moveTo(log, RULES.empty()));
    }
}
