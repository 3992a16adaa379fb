package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Role;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sync chain's paths as the design note describes them, on the simulator. */
class SyncChainTest {

    @Test
    void fastForwardAnswersSyncSuccess() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("a", "a1", "register p1");
        f.settle();

        f.assertAllLogs("o0 a1");
        assertEquals(1, f.sent("OpSync"));
        assertEquals(1, f.sent("SyncSuccess"));
        assertEquals(0, f.sent("SyncSuccessWithNewOps"));
        assertEquals(OpFate.SYNCED, f.client("a").opRecords().get(op("a1")).fate());
        assertEquals("completed", f.client("a").opRecords().get(op("a1")).firstOutcome());
    }

    @Test
    void syncOnAMovedLogIsRebasedAndAnsweredWithTheNewOps() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("hq", "b1", "register p2");
        f.op("a", "a1", "register p1");
        f.settle();

        f.assertAllLogs("o0 b1 a1");
        assertEquals(1, f.sent("SyncSuccessWithNewOps"));
        assertEquals(0, f.sent("SyncSuccess"));
    }

    @Test
    void opsMadeAtTheSameInstantTravelInOneSync() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("a", "a1", "register p1");
        f.op("a", "a2", "register p2");
        f.settle();

        f.assertAllLogs("o0 a1 a2");
        assertEquals(1, f.sent("OpSync"));
        assertEquals(1, f.sent("ForwardSync"), "b gets both ops in one forward");
    }

    @Test
    void anOpMadeDuringASyncIsSentAfterItWithoutUserAction() {
        SyncFixture f = new SyncFixture.Builder().client("a", Role.judge(), DecisionPolicy.skip())
                .network(NetworkConfig.reliable().withLatency(Duration.ofMillis(50))).build();
        f.at(0, "a", "a1", "register p1");
        f.at(20, "a", "a2", "register p2");
        f.settle();

        f.assertAllLogs("o0 a1 a2");
        assertEquals(2, f.chainNode("a").stats().count(dev.chainkit.core.ChainEventType.STARTED),
                "one sync chain per batch, the second after the first ended");
        assertEquals(0, f.sent("SyncFailed"));
    }

    @Test
    void aConflictResolvedBySkipDropsOnlyTheProblematicOp() {
        SyncFixture f = SyncFixture.judges("a", "b");
        conflictWhileCutOff(f);
        f.settle();

        f.assertAllLogs("o0 r1 d1 a2");
        assertEquals(1, f.sent("OpProcessor"));
        assertEquals(1, f.sent("ProcessorDecision"));
        assertEquals(1, f.client("a").conflictRounds());
        assertEquals(OpFate.DROPPED, f.client("a").opRecords().get(op("a1")).fate());
        assertEquals(OpFate.SYNCED, f.client("a").opRecords().get(op("a2")).fate());
    }

    @Test
    void aConflictResolvedByPurgeDropsTheRemainingOpsToo() {
        SyncFixture f = new SyncFixture.Builder().client("a", Role.judge(), DecisionPolicy.purge())
                .client("b", Role.judge(), DecisionPolicy.skip()).build();
        conflictWhileCutOff(f);
        f.settle();

        f.assertAllLogs("o0 r1 d1");
        assertEquals(OpFate.DROPPED, f.client("a").opRecords().get(op("a2")).fate());
        assertEquals(1, f.sent("OpProcessor"));
    }

    @Test
    void conflictRoundsNeverExceedTheOpsTheSyncCarried() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("hq", "r1", "register p1");
        f.op("hq", "r2", "register p2");
        f.op("hq", "r3", "register p3");
        f.settle();
        f.sim.partition(Set.of(NodeId.of("a")), Set.of(HQ, NodeId.of("b")));
        f.op("hq", "d1", "drop p1");
        f.op("hq", "d2", "drop p2");
        f.op("hq", "d3", "drop p3");
        f.op("a", "a1", "drop p1");
        f.op("a", "a2", "drop p2");
        f.op("a", "a3", "drop p3");
        f.sim.runFor(Duration.ofMillis(100));
        f.sim.heal();
        f.settle();

        f.assertAllLogs("o0 r1 r2 r3 d1 d2 d3");
        assertEquals(3, f.sent("OpProcessor"), "one round per conflicting op");
        assertEquals(3, f.client("a").conflictRounds());
    }

    @Test
    void aChainWaitingForADecisionIsSupersededWhenTheLogChanges() {
        SyncFixture f = new SyncFixture.Builder()
                .client("a", Role.judge(), DecisionPolicy.of(Decision::skip, Duration.ofSeconds(2)))
                .client("b", Role.judge(), DecisionPolicy.skip()).build();
        conflictWhileCutOff(f);
        f.sim.runFor(Duration.ofMillis(500)); // a got the OpProcessor and is thinking
        assertEquals(1, f.sent("OpProcessor"));
        f.op("b", "b1", "register p3");       // another client's sync finalizes meanwhile
        f.settle();

        assertTrue(f.sent("SyncFailed") >= 1, "the waiting chain is answered 'sync failed'");
        assertEquals("superseded", f.client("a").opRecords().get(op("a2")).firstOutcome());
        f.assertAllLogs("o0 r1 d1 b1 a2");
        assertTrue(f.client("a").opRecords().get(op("a1")).reason().startsWith("does not apply after rebase"),
                "a1 was dropped when a rebased on the new ops, not by the stale decision: "
                        + f.client("a").opRecords().get(op("a1")));
    }

    @Test
    void aLostSuccessAnswerIsResentFromTheTombstoneAndTheOpAppliedOnce() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.addRule(dev.chainkit.sim.fault.FaultRule.drop(1, "SyncSuccess", HQ, NodeId.of("a")));
        f.op("a", "a1", "register p1");
        f.settle();

        f.assertAllLogs("o0 a1");
        assertEquals(2, f.sent("OpSync"), "the retransmission");
        assertEquals(1, f.chainNode("hq").stats().count(dev.chainkit.core.ChainEventType.DUPLICATE_ANSWERED));
        assertEquals(1, f.sent("ForwardSync"), "the op is forwarded once");
    }

    @Test
    void aRetransmittedOpSyncAfterTheServerRestartedIsAnsweredFromTheLogWithoutBeingTakenUpAgain() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.addRule(dev.chainkit.sim.fault.FaultRule.drop(1, "SyncSuccess", HQ, NodeId.of("a")));
        f.op("a", "a1", "register p1");
        f.sim.runFor(Duration.ofMillis(10));  // committed, answer lost
        f.sim.crash(HQ);
        f.sim.restart(HQ);
        f.settle();

        f.assertAllLogs("o0 a1");
        assertEquals(2, f.server.incarnation());
        assertEquals(1, f.hq().staleSyncs(), "the new incarnation knows it took the chain up");
        assertEquals(1, f.sent("SyncFailed"), "and answers it from its log: 'sync failed', with a1 after the anchor");
        assertTrue(f.client("a").pendingOps().isEmpty(), "the client takes a1 as synced");
    }

    @Test
    void pendingOpsSurviveAClientCrash() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.partition(Set.of(NodeId.of("a")), Set.of(HQ, NodeId.of("b")));
        f.op("a", "a1", "register p1");
        f.sim.runFor(Duration.ofMillis(50));
        f.sim.crash(NodeId.of("a"));
        f.sim.heal();
        f.sim.restart(NodeId.of("a"));
        f.settle();

        f.assertAllLogs("o0 a1");
        assertFalse(f.client("a").log().ops().isEmpty());
    }

    @Test
    void aUserWhoThinksLongerThanTheChainsDeadlineIsAskedOnceAndTheSyncEnds() {
        SyncFixture f = new SyncFixture.Builder()
                .client("a", Role.judge(), DecisionPolicy.of(Decision::skip, Duration.ofSeconds(40)))
                .build();
        f.op("hq", "h1", "register dave");
        f.op("a", "a1", "register dave");   // conflicts on the server: dave is registered already
        f.settle();

        f.assertAllLogs("o0 h1");
        assertEquals(1, f.sent("OpProcessor"), "the user is asked once, although the chain timed out meanwhile");
        assertEquals(OpFate.DROPPED, f.client("a").opRecords().get(op("a1")).fate());
        assertEquals("timed-out", f.client("a").opRecords().get(op("a1")).firstOutcome());
    }

    /**
     * While {@code a} is cut off, the server drops p1 and a's user drops p1 too and registers p2 (one sync): when
     * the partition heals, a1 conflicts with d1 on the server.
     */
    private static void conflictWhileCutOff(SyncFixture f) {
        f.op("hq", "r1", "register p1");
        f.settle();
        f.sim.partition(Set.of(NodeId.of("a")), Set.of(HQ, NodeId.of("b")));
        f.op("hq", "d1", "drop p1");
        f.op("a", "a1", "drop p1");
        f.op("a", "a2", "register p2");
        f.sim.runFor(Duration.ofMillis(100));
        f.sim.heal();
    }

    private static dev.chainkit.oplog.OpId op(String label) {
        return dev.chainkit.oplog.OpId.of(label);
    }
}
