package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Role;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A network copy of an old OpSync that reaches a server after it restarted (its tombstones lost) is not taken up
 * again, so it cannot bring back an op its user dropped since (docs/findings/stale-opsync-resurrects-a-dropped-op.md;
 * the design note "Each sync chain is taken up once" of {@link SyncResponder}).
 */
class StaleOpSyncTest {

    private static final NodeId C1 = NodeId.of("c1");

    @Test
    void aCopyOfAnOldOpSyncAfterARestartDoesNotBringBackAnOpItsUserDropped() {
        SyncFixture f = new SyncFixture.Builder().client("c1", Role.organizer(), DecisionPolicy.skip())
                .client("c2", Role.judge(), DecisionPolicy.skip()).build();
        f.op("c1", "r1", "register p1");
        f.op("c1", "r2", "register p2");
        f.settle();

        f.sim.addRule(FaultRule.delay(1, "OpSync", C1, HQ, Duration.ofSeconds(5))); // the first copy of s's sync
        f.op("hq", "d", "drop p2");
        f.op("c1", "s", "start");                // applies on c1 (two players); conflicts on hq after d
        f.sim.runFor(Duration.ofSeconds(1));     // c1's retransmission meets the conflict; its user skips s
        assertEquals(OpFate.DROPPED, f.client("c1").opRecords().get(OpId.of("s")).fate());

        f.op("c2", "r3", "register p3");         // now s would apply (p1 and p3 are active)
        f.sim.runFor(Duration.ofSeconds(1));
        f.sim.crash(HQ);                         // hq forgets c1's ended chain, not that it took it up
        f.sim.restart(HQ);
        f.settle();                              // the held first copy of s's sync arrives at about 5 s

        assertEquals("o0 r1 r2 d r3", f.labels("hq"), "the op c1's user dropped stays out of the log");
        assertEquals("o0 r1 r2 d r3", f.labels("c1"));
        assertEquals("o0 r1 r2 d r3", f.labels("c2"));
        assertEquals(OpFate.DROPPED, f.client("c1").opRecords().get(OpId.of("s")).fate());
        assertEquals(1, f.hq().staleSyncs(), "the held copy reached the restarted hq and was not taken up");
    }

    @Test
    void aCopyFromAnOlderIncarnationOfTheClientIsRefusedIncarnationRegressed() {
        List<SyncMessage.SyncRejected.Reason> refused = new ArrayList<>();
        SyncFixture f = twoJudgesRecordingRefusals(refused);
        f.sim.addRule(FaultRule.delay(1, "OpSync", C1, HQ, Duration.ofSeconds(5))); // incarnation 1's first copy
        f.op("c1", "a1", "register p1");
        f.sim.runFor(Duration.ofSeconds(1));     // the retransmission lands a1
        f.sim.crash(C1);
        f.sim.restart(C1);
        f.op("c1", "a2", "register p2");         // incarnation 2 syncs a new op: hq takes up a newer chain
        f.sim.runFor(Duration.ofSeconds(1));
        f.sim.crash(HQ);                         // hq forgets c1's chains and its incarnations, not its mark
        f.sim.restart(HQ);
        f.settle();                              // the held copy from incarnation 1 arrives

        assertEquals(List.of(SyncMessage.SyncRejected.Reason.INCARNATION_REGRESSED), refused);
        assertEquals(1, f.hq().staleSyncs());
        f.assertAllLogs("o0 a1 a2");
        assertEquals(Optional.empty(), f.client("c1").lastRefusal(), "the refusal reached no one: c1 is past it");
    }

    @Test
    void anOlderCopyFromTheSameIncarnationIsRefusedIncarnationReused() {
        List<SyncMessage.SyncRejected.Reason> refused = new ArrayList<>();
        SyncFixture f = twoJudgesRecordingRefusals(refused);
        f.sim.addRule(FaultRule.delay(1, "OpSync", C1, HQ, Duration.ofSeconds(5))); // chain 1's first copy
        f.op("c1", "a1", "register p1");
        f.sim.runFor(Duration.ofSeconds(1));     // the retransmission lands a1
        f.op("c1", "a2", "register p2");         // a newer chain of the same incarnation is taken up
        f.sim.runFor(Duration.ofSeconds(1));
        f.sim.crash(HQ);
        f.sim.restart(HQ);
        f.settle();                              // the held copy of the older chain arrives

        assertEquals(List.of(SyncMessage.SyncRejected.Reason.INCARNATION_REUSED), refused);
        assertEquals(1, f.hq().staleSyncs());
        f.assertAllLogs("o0 a1 a2");
        assertEquals(Optional.empty(), f.client("c1").lastRefusal(), "the refusal reached no one");
    }

    /** Judges c1 and c2, the server's refusals recorded in {@code refused}. */
    private static SyncFixture twoJudgesRecordingRefusals(List<SyncMessage.SyncRejected.Reason> refused) {
        return new SyncFixture.Builder().client("c1", Role.judge(), DecisionPolicy.skip())
                .client("c2", Role.judge(), DecisionPolicy.skip())
                .listener(new ServerListener() {
                    @Override
                    public void refused(String logId, NodeId peer, SyncMessage.SyncRejected.Reason reason) {
                        refused.add(reason);
                    }
                }).build();
    }
}
