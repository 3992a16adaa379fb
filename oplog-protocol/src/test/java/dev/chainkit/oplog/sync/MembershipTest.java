package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may write to a log: only its members, and only as themselves in their registered role. Hand-built syncs on
 * the simulator stand for a hostile or confused node; the same cases run over real sockets in the examples
 * ({@code RefusalsOverNettyTest}).
 */
class MembershipTest {

    private final List<SyncMessage.SyncRejected.Reason> refusals = new ArrayList<>();
    private final SyncFixture f = new SyncFixture.Builder()
            .client("a", Role.judge(), DecisionPolicy.skip())
            .member("alice", Role.player("alice"))
            .listener(new ServerListener() {
                @Override
                public void refused(String logId, NodeId peer, SyncMessage.SyncRejected.Reason reason) {
                    refusals.add(reason);
                }
            })
            .build();
    private final SimNode<ChainNode> alice = f.rawNode("alice");
    private final SimNode<ChainNode> mallory = f.rawNode("mallory");

    private static Operation<TournamentOp> op(String id, Author author, String text) {
        return new Operation<>(OpId.of(id), author, 0, TournamentOp.parse(text).get());
    }

    private ChainHandle<SyncMessage<TournamentOp>> sync(SimNode<ChainNode> from, OpId anchor,
            Vector<Operation<TournamentOp>> ops) {
        return from.app().start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, anchor, ops), (chain, reply) -> InitiatorAction.complete(
                        reply));
    }

    private static SyncMessage.SyncRejected<TournamentOp> rejection(ChainHandle<SyncMessage<TournamentOp>> h) {
        Outcome<SyncMessage<TournamentOp>> outcome = h.outcome().join();
        assertTrue(outcome instanceof Outcome.Completed<SyncMessage<TournamentOp>> c
                && c.result() instanceof SyncMessage.SyncRejected<?>, () -> "expected a SyncRejected, got " + outcome);
        return (SyncMessage.SyncRejected<TournamentOp>) ((Outcome.Completed<SyncMessage<TournamentOp>>) outcome)
                .result();
    }

    @Test
    void aPlayerWhoseOpsClaimTheOrganizerCannotStartOrEndTheTournament() {
        f.op("a", "r1", "register alice");
        f.op("a", "r2", "register bob");
        f.settle();
        Author organizer = new Author("hq", Role.organizer());
        ChainHandle<SyncMessage<TournamentOp>> h = sync(alice, OpId.of("r2"),
                Vector.of(op("x1", organizer, "start"), op("x2", organizer, "end")));
        f.settle();

        SyncMessage.SyncRejected<TournamentOp> r = rejection(h);
        assertEquals(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR, r.reason());
        assertEquals(Vector.of(OpId.of("x1"), OpId.of("x2")), r.log().map(Operation::id), "the refused ops");
        assertTrue(r.detail().contains("must name alice/player:alice"), r.detail());
        f.assertAllLogs("o0 r1 r2");
        assertEquals(List.of(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR), refusals);
    }

    @Test
    void aMemberThatNamesItselfInAnotherRoleIsRefusedToo() {
        ChainHandle<SyncMessage<TournamentOp>> h = sync(alice, OpId.of("o0"),
                Vector.of(op("x1", new Author("alice", Role.judge()), "register zed")));
        f.settle();

        assertEquals(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR, rejection(h).reason());
        f.assertAllLogs("o0");
    }

    @Test
    void aNodeThatIsNotAMemberCannotWriteToTheLog() {
        ChainHandle<SyncMessage<TournamentOp>> h = sync(mallory, OpId.of("o0"),
                Vector.of(op("m1", new Author("mallory", Role.judge()), "register mallory")));
        f.settle();

        SyncMessage.SyncRejected<TournamentOp> r = rejection(h);
        assertEquals(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER, r.reason());
        assertEquals(Vector.empty(), r.log());
        f.assertAllLogs("o0");
        assertEquals(0, f.hq().forwardCursor(NodeId.of("mallory")));
    }

    @Test
    void aStrangerWithAnUnknownAnchorLearnsNothingOfTheLog() {
        f.op("a", "r1", "register alice");
        f.settle();
        ChainHandle<SyncMessage<TournamentOp>> h = sync(mallory, OpId.of("nowhere"), Vector.empty());
        f.settle();

        SyncMessage.SyncRejected<TournamentOp> r = rejection(h);
        assertEquals(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER, r.reason());
        assertTrue(r.log().isEmpty(), "no ops for a stranger");
    }

    @Test
    void aMemberAddedAtRunTimeWritesAndOneRemovedIsRefused() {
        f.hq().join(NodeId.of("mallory"), Role.judge());
        ChainHandle<SyncMessage<TournamentOp>> joined = sync(mallory, OpId.of("o0"),
                Vector.of(op("m1", new Author("mallory", Role.judge()), "register zed")));
        f.settle();
        assertTrue(joined.outcome().join() instanceof Outcome.Completed<SyncMessage<TournamentOp>> c
                && c.result() instanceof SyncMessage.SyncSuccess<?>, () -> "" + joined.outcome().join());
        f.assertAllLogs("o0 m1");

        f.hq().leave(NodeId.of("mallory"));
        ChainHandle<SyncMessage<TournamentOp>> left = sync(mallory, OpId.of("m1"),
                Vector.of(op("m2", new Author("mallory", Role.judge()), "register yan")));
        f.settle();
        assertEquals(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER, rejection(left).reason());
        f.assertAllLogs("o0 m1");
        assertEquals(Role.judge(), f.hq().members().get(NodeId.of("a")).get());
        assertTrue(f.hq().members().get(NodeId.of("mallory")).isEmpty());
    }

    @Test
    void theRegistrySurvivesARestartOfTheServer() {
        f.hq().join(NodeId.of("mallory"), Role.player("mallory"));
        f.hq().leave(NodeId.of("alice"));
        f.settle();
        f.sim.crash(HQ);
        f.sim.restart(HQ);
        f.settle();

        assertEquals(Role.player("mallory"), f.hq().members().get(NodeId.of("mallory")).get());
        assertTrue(f.hq().members().get(NodeId.of("alice")).isEmpty());
    }

    @Test
    void aMemberSubscribesAndLearnsItsRoleAndTheGenesisAStrangerIsRefused() {
        f.op("a", "r1", "register alice");
        f.settle();
        ChainHandle<SubscribeMessage<TournamentOp>> member = alice.app().start(
                OplogProtocols.<TournamentOp>subscribe(), HQ, new SubscribeMessage.Subscribe<>(SyncFixture.LOG),
                (chain, reply) -> InitiatorAction.complete(reply));
        ChainHandle<SubscribeMessage<TournamentOp>> stranger = mallory.app().start(
                OplogProtocols.<TournamentOp>subscribe(), HQ, new SubscribeMessage.Subscribe<>(SyncFixture.LOG),
                (chain, reply) -> InitiatorAction.complete(reply));
        ChainHandle<SubscribeMessage<TournamentOp>> elsewhere = alice.app().start(
                OplogProtocols.<TournamentOp>subscribe(), HQ, new SubscribeMessage.Subscribe<>("saturday"),
                (chain, reply) -> InitiatorAction.complete(reply));
        f.settle();

        assertEquals(new Outcome.Completed<>(new SubscribeMessage.Subscribed<>(SyncFixture.LOG, Role.player("alice"),
                SyncFixture.GENESIS)), member.outcome().join());
        assertTrue(stranger.outcome().join() instanceof Outcome.Completed<SubscribeMessage<TournamentOp>> c
                && c.result() instanceof SubscribeMessage.Refused<TournamentOp> r
                && r.reason() == SyncMessage.SyncRejected.Reason.NOT_A_MEMBER, () -> "" + stranger.outcome().join());
        assertTrue(elsewhere.outcome().join() instanceof Outcome.Completed<SubscribeMessage<TournamentOp>> c
                && c.result() instanceof SubscribeMessage.Refused<TournamentOp> r
                && r.reason() == SyncMessage.SyncRejected.Reason.WRONG_LOG, () -> "" + elsewhere.outcome().join());
        assertEquals(1, f.hq().forwardCursor(NodeId.of("alice")), "the subscriber was caught up by a forward");
    }

    @Test
    void aClientWhoseRoleChangedHasItsRefusedOpsMarkedRejectedAndStopsRetrying() {
        f.hq().join(NodeId.of("a"), Role.player("a")); // the organizer demotes the judge's device
        f.op("a", "a1", "register zed");
        f.settle();

        OpRecord record = f.client("a").opRecords().get(OpId.of("a1"));
        assertEquals(OpFate.REJECTED, record.fate());
        assertTrue(record.reason().contains("FORGED_AUTHOR"), record.reason());
        assertEquals(SyncMessage.SyncRejected.Reason.FORGED_AUTHOR, f.client("a").lastRefusal().get().reason());
        assertTrue(f.client("a").pendingOps().isEmpty());
        assertEquals("o0", f.labels("hq"));
    }
}
