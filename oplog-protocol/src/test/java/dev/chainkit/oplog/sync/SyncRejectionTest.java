package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.Outcome;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the server does with syncs it cannot take as they are: unknown anchors, invalid decisions, unauthorized
 * ops, ops it already has. A raw chain node plays a client that says exactly what the test wants.
 */
class SyncRejectionTest {

    private final SyncFixture f = new SyncFixture.Builder().client("a", Role.judge(), DecisionPolicy.skip())
            .member("raw", Role.judge()).build(); // raw: a member whose syncs the tests write by hand
    private final SimNode<ChainNode> raw = f.rawNode("raw");
    private final List<SyncMessage<TournamentOp>> replies = new ArrayList<>();

    private ChainHandle<String> sync(OpId anchor, Vector<Operation<TournamentOp>> ops,
            java.util.function.Function<SyncMessage.OpProcessor<TournamentOp>, SyncMessage<TournamentOp>> decide) {
        return raw.app().start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, anchor, ops), (chain, reply) -> {
                    replies.add(reply);
                    if (reply instanceof SyncMessage.OpProcessor<TournamentOp> p && !chain.terminal()) {
                        return InitiatorAction.reply(decide.apply(p));
                    }
                    return InitiatorAction.complete(reply.getClass().getSimpleName());
                });
    }

    private static Operation<TournamentOp> op(String id, Role role, String text) {
        return new Operation<>(OpId.of(id), new Author("raw", role),
                0, TournamentOp.parse(text).getOrElseThrow(msg -> new IllegalArgumentException(msg)));
    }

    @Test
    void anUnknownAnchorIsAnsweredWithTheServersWholeLogAndNothingChanges() {
        f.op("hq", "h1", "register p1");
        ChainHandle<String> h = sync(OpId.of("nowhere"), Vector.of(op("x1", Role.judge(), "register p2")), null);
        f.settle();

        assertEquals(new Outcome.Completed<>("SyncRejected"), h.outcome().join());
        SyncMessage.SyncRejected<TournamentOp> r = (SyncMessage.SyncRejected<TournamentOp>) replies.get(0);
        assertEquals(SyncMessage.SyncRejected.Reason.UNKNOWN_ANCHOR, r.reason());
        assertEquals(f.hq().log().ops(), r.log(), "what the sender needs to recover");
        assertEquals("o0 h1", f.labels("hq"));
    }

    @Test
    void aDecisionThatKeepsTheProblematicOpEndsTheChainAsFailed() {
        f.op("hq", "r1", "register p1");
        f.op("hq", "d1", "drop p1");
        ChainHandle<String> h = sync(OpId.of("r1"), Vector.of(op("x1", Role.judge(), "drop p1"),
                op("x2", Role.judge(), "register p2")),
                p -> new SyncMessage.ProcessorDecision<>(Vector.of(OpId.of("x2"))));
        f.settle();

        assertInstanceOf(SyncMessage.OpProcessor.class, replies.get(0));
        SyncMessage.SyncRejected<TournamentOp> r = (SyncMessage.SyncRejected<TournamentOp>) replies.get(1);
        assertEquals(SyncMessage.SyncRejected.Reason.INVALID_DECISION, r.reason());
        assertEquals("o0 r1 d1", f.labels("hq"), "nothing of the chain was finalized");
    }

    @Test
    void anUnauthorizedNewOpIsAConflictOfKindUnauthorized() {
        f.hq().join(NodeId.of("raw"), Role.player("zed"));
        ChainHandle<String> h = sync(OpId.of("o0"), Vector.of(op("x1", Role.player("zed"), "register bob")),
                p -> new SyncMessage.ProcessorDecision<>(Vector.of(p.problematic().id())));
        f.settle();

        SyncMessage.OpProcessor<TournamentOp> p = (SyncMessage.OpProcessor<TournamentOp>) replies.get(0);
        assertEquals(OpError.UNAUTHORIZED, p.error().kind());
        assertEquals(new Outcome.Completed<>("SyncSuccessWithNewOps"), h.outcome().join());
        assertEquals("o0", f.labels("hq"));
    }

    @Test
    void opsTheServerAlreadyHasAreNeitherReappliedNorReauthorized() {
        f.op("a", "a1", "register p1");
        f.settle();
        // x2 is new; a1 is already in the log and would fail both the role check (a player may not register p1)
        // and the rules (p1 is registered) if it were applied again.
        Operation<TournamentOp> a1 = f.hq().log().last();
        Operation<TournamentOp> replayedAsPlayer = new Operation<>(a1.id(), new Author("raw", Role.player("zed")),
                0, a1.payload());
        ChainHandle<String> h = sync(OpId.of("o0"), Vector.of(replayedAsPlayer, op("x2", Role.judge(),
                "register p2")), null);
        f.settle();

        assertEquals(new Outcome.Completed<>("SyncSuccessWithNewOps"), h.outcome().join());
        assertEquals("o0 a1 x2", f.labels("hq"));
    }

    @Test
    void anOpIdThatComesAgainWithOtherContentIsRefusedAndNothingOfTheSyncApplies() {
        f.op("a", "a1", "register p1");
        f.settle();
        ChainHandle<String> h = sync(OpId.of("o0"), Vector.of(op("x1", Role.judge(), "register p3"),
                op("a1", Role.judge(), "register p2")), null);
        f.settle();

        assertEquals(new Outcome.Completed<>("SyncRejected"), h.outcome().join());
        SyncMessage.SyncRejected<TournamentOp> r = (SyncMessage.SyncRejected<TournamentOp>) replies.get(0);
        assertEquals(SyncMessage.SyncRejected.Reason.OP_ID_REUSED, r.reason());
        assertEquals(Vector.of(f.hq().log().last()), r.log(), "the server's op of that id");
        assertEquals("o0 a1", f.labels("hq"), "x1 was not applied either");
    }

    @Test
    void aSyncForAnotherLogIsRejected() {
        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>("saturday", OpId.of("o0"), Vector.empty()),
                (chain, reply) -> InitiatorAction.complete(reply.toString()));
        f.settle();

        assertEquals(new Outcome.Completed<>("SyncRejected[WRONG_LOG: this server hosts no log saturday; it hosts [friday]]"),
                h.outcome().join());
    }

    @Test
    void aConflictHoldsTheRebasedPrefixUncommittedUntilTheDecision() {
        f.op("hq", "r1", "register p1");
        f.op("hq", "d1", "drop p1");
        List<String> logDuringConflict = new ArrayList<>();
        ChainHandle<String> h = sync(OpId.of("r1"), Vector.of(op("x1", Role.judge(), "register p2"),
                op("x2", Role.judge(), "drop p1"), op("x3", Role.judge(), "register p3")), p -> {
                    logDuringConflict.add(f.labels("hq"));
                    return new SyncMessage.ProcessorDecision<>(Vector.of(p.problematic().id()));
                });
        f.settle();

        SyncMessage.OpProcessor<TournamentOp> p = (SyncMessage.OpProcessor<TournamentOp>) replies.get(0);
        assertEquals(Vector.of(OpId.of("x1")), p.rebased().map(Operation::id));
        assertEquals(Vector.of(OpId.of("x3")), p.remaining().map(Operation::id));
        assertEquals(Tournament.ALREADY_DROPPED, p.error().kind());
        assertEquals(List.of("o0 r1 d1"), logDuringConflict, "x1 is not final while the decision is pending");
        assertEquals(new Outcome.Completed<>("SyncSuccessWithNewOps"), h.outcome().join());
        assertEquals("o0 r1 d1 x1 x3", f.labels("hq"));
    }
}
