package dev.chainkit.oplog.tournament;

import static dev.chainkit.oplog.OpError.UNAUTHORIZED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.OpError;
import org.junit.jupiter.api.Test;

class TournamentRolesTest {

    @Test
    void organizerMayMakeEveryOp() {
        TournamentState s = Script.started("alice", "bob", "carol").org("drop carol").org("pair 1")
                .org("result 1 alice 2-0").org("confirm 1").org("end").state();
        assertTrue(s.ended());
    }

    @Test
    void judgeMayRegisterDropPairRecordAndConfirm() {
        Script s = Script.created().ok("judge", "register alice").ok("judge", "register bob")
                .ok("judge", "register carol").ok("judge", "drop carol").org("start")
                .ok("judge", "pair 1").ok("judge", "result 1 bob 2-1").ok("judge", "confirm 1");
        assertTrue(s.state().isConfirmed(1));
    }

    @Test
    void judgeMayNotCreateStartOrEnd() {
        Script.empty().rejected("judge", "create open orga", UNAUTHORIZED);
        Script s = Script.registered("alice", "bob");
        OpError e = s.rejected("judge", "start", UNAUTHORIZED);
        assertTrue(e.message().contains("judge"), e.message());
        s.org("start").rejected("judge", "end", UNAUTHORIZED);
    }

    @Test
    void playerMayRegisterAndDropOnlyItself() {
        Script s = Script.created().ok("player:alice", "register alice");
        s.rejected("player:alice", "register bob", UNAUTHORIZED);
        s.org("register bob");
        s.rejected("player:alice", "drop bob", UNAUTHORIZED);
        s.ok("player:bob", "drop bob");
        assertEquals(false, s.state().isActive("bob"));
    }

    @Test
    void playerMayRecordResultsOfItsOwnMatchFromEitherSide() {
        Script s = Script.started("alice", "bob", "carol", "dave").org("pair 1");
        s.ok("player:alice", "result 1 alice 2-0");
        s.ok("player:alice", "result 1 bob 0-2");   // naming the opponent in its own match
        s.ok("player:bob", "result 1 bob 2-1");
        assertEquals(3, s.state().matchPoints("bob"));
    }

    @Test
    void playerMayNotRecordResultsOfOtherMatches() {
        Script s = Script.started("alice", "bob", "carol", "dave").org("pair 1");
        OpError e = s.rejected("player:alice", "result 1 carol 2-0", UNAUTHORIZED);
        assertTrue(e.message().contains("own matches"), e.message());
        s.rejected("player:alice", "result 2 bob 2-0", UNAUTHORIZED);
    }

    @Test
    void playerMayNotCreateStartPairConfirmOrEnd() {
        Script.empty().rejected("player:alice", "create open alice", UNAUTHORIZED);
        Script s = Script.registered("alice", "bob");
        s.rejected("player:alice", "start", UNAUTHORIZED);
        s.org("start").rejected("player:alice", "pair 1", UNAUTHORIZED);
        s.org("pair 1").ok("player:alice", "result 1 alice 2-0");
        s.rejected("player:alice", "confirm 1", UNAUTHORIZED);
        s.rejected("player:alice", "end", UNAUTHORIZED);
    }

    @Test
    void rolesAreCheckedBeforeTheRules() {
        // the rule would say already-started, but the role check comes first
        Script.started("alice", "bob").rejected("player:alice", "register carol", UNAUTHORIZED);
        // allowed by role, then refused by the rule
        Script.started("alice", "bob").rejected("player:carol", "register carol", Tournament.ALREADY_STARTED);
    }
}
