package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.TraceEvent;
import dev.chainkit.sim.fault.FaultRule;
import io.vavr.collection.Vector;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forward chain: applied, deferred, behind, retransmitted, never back to the origin. */
class ForwardChainTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    @Test
    void aQuietClientAppliesAForwardWithoutSyncing() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("a", "a1", "register p1");
        f.settle();

        assertEquals("o0 a1", f.labels("b"));
        assertEquals(OpId.of("a1"), f.client("b").syncedTip());
        assertEquals(0, f.chainNode("b").stats().count(dev.chainkit.core.ChainEventType.STARTED), "b never synced");
        assertEquals(1, f.sent("ForwardAck"));
    }

    @Test
    void aClientWithPendingOpsDefersTheForwardAndFetchesItThroughItsOwnSync() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.partition(Set.of(B), Set.of(HQ, A));
        f.op("b", "b1", "register p2");             // pending on b
        f.op("a", "a1", "register p1");             // forwarded to b while b1 is pending
        f.sim.runFor(Duration.ofMillis(50));
        f.sim.heal();
        f.settle();

        f.assertAllLogs("o0 a1 b1");
        assertTrue(f.chainNode("hq").stats().count(dev.chainkit.core.ChainEventType.COMPLETED) >= 1);
        assertEquals(1, f.sent("SyncSuccessWithNewOps"), "b's sync brought a1 before b1");
    }

    /**
     * Found by the tournament sync's property sweep (seed 81391): a forward that reached a client in the instant
     * between the end of its sync and the start of the next was deferred to a sync that never started, because
     * nothing was pending, and the client missed the op for good.
     */
    @Test
    void aForwardDeferredJustAfterASyncEndedIsStillFetched() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.at(100, "a", "a1", "register p1"); // a's sync ends at 102 ms ...
        f.at(100, "b", "b1", "register p2"); // ... the instant b1's forward reaches a
        f.settle();

        f.assertAllLogs("o0 a1 b1");
    }

    @Test
    void aForwardWithAnUnknownAnchorIsAnsweredBehindAndTriggersACatchUpSync() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.op("a", "a1", "register p1");
        f.settle();
        ChainHandle<ForwardMessage.ForwardAck.Status> h = f.chainNode("hq").start(OplogProtocols.forward(), B,
                new ForwardMessage.ForwardSync<>(SyncFixture.LOG, OpId.of("zz"), Vector.of(new Operation<TournamentOp>(
                        OpId.of("z1"), new Author("hq", Role.organizer()), 0, new TournamentOp.Register("p9")))),
                (chain, reply) -> InitiatorAction.complete(((ForwardMessage.ForwardAck<TournamentOp>) reply).status()));
        f.settle();

        assertEquals(new Outcome.Completed<>(ForwardMessage.ForwardAck.Status.BEHIND), h.outcome().join());
        assertEquals(1, f.chainNode("b").stats().count(dev.chainkit.core.ChainEventType.STARTED),
                "b ran one catch-up sync");
        f.assertAllLogs("o0 a1");
    }

    @Test
    void aLostForwardIsRetransmittedUntilAcknowledged() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.addRule(FaultRule.drop(1, "ForwardSync", HQ, B));
        f.op("a", "a1", "register p1");
        f.settle();

        assertEquals("o0 a1", f.labels("b"));
        assertEquals(2, f.sent("ForwardSync"));
        assertEquals(1, f.sim.counters().of("ForwardSync").retransmitted());
    }

    @Test
    void opsAreNeverForwardedBackToTheirOrigin() {
        SyncFixture f = SyncFixture.judges("a", "b", "c");
        f.op("a", "a1", "register p1");
        f.op("a", "a2", "register p2");
        f.settle();

        f.assertAllLogs("o0 a1 a2");
        long toOrigin = f.sim.trace().events().stream()
                .filter(e -> e.type() == TraceEvent.Type.SENT && "ForwardSync".equals(e.messageKind()))
                .filter(e -> e.to().equals(A)).count();
        assertEquals(0, toOrigin, "a made every op, so nothing is forwarded to a");
        assertEquals(2, f.sent("ForwardSync"), "one forward each to b and c");
    }

    /**
     * Found by {@code chainsim explore}: a network copy of a client's first sync reached a server that had restarted
     * and forgotten the chain; the answer went to a chain that had ended long ago, but the server moved the client's
     * forward cursor to the end of the log on it, and the client missed the later ops for good. A sync that appends
     * nothing proves only its anchor and the client's own ops right after it.
     */
    @Test
    void aSyncThatAppendsNothingMovesTheCursorNoFurtherThanItProves() {
        SyncFixture f = SyncFixture.judges("a", "b");
        Operation<TournamentOp> a1 = f.op("a", "a1", "register p1").get();
        f.settle();
        assertEquals(1, f.hq().forwardCursor(A), "a has o0 a1");
        f.sim.addRule(FaultRule.drop(1, "ForwardSync", HQ, A)); // b1's first forward to a is lost
        f.op("b", "b1", "register p2");
        f.sim.runFor(Duration.ofMillis(20));

        ChainHandle<SyncMessage<TournamentOp>> copy = f.chainNode("a").start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, SyncFixture.GENESIS.id(), Vector.of(a1)),
                (chain, reply) -> InitiatorAction.complete(reply));
        f.sim.runFor(Duration.ofMillis(20));

        assertTrue(copy.outcome().join() instanceof Outcome.Completed<SyncMessage<TournamentOp>> done
                && done.result() instanceof SyncMessage.SyncSuccessWithNewOps<TournamentOp>, copy.outcome().join()
                .toString());
        assertEquals(1, f.hq().forwardCursor(A), "the sync proves o0 and a's own a1, not b1");
        f.settle();
        f.assertAllLogs("o0 a1 b1");
        assertEquals(2, f.hq().forwardCursor(A), "b1 was forwarded again and applied");
    }

    @Test
    void theServersOwnOpIsForwardedToEveryClientOnce() {
        SyncFixture f = SyncFixture.judges("a", "b", "c");
        f.op("hq", "h1", "register p1");
        f.settle();

        f.assertAllLogs("o0 h1");
        assertEquals(3, f.sent("ForwardSync"));
    }

    @Test
    void forwardingToAClientThatIsDownResumesAfterItRestarts() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.crash(B);
        f.op("a", "a1", "register p1");
        f.sim.runFor(Duration.ofSeconds(40));       // the forward to b times out and is tried again later
        f.sim.restart(B);
        f.settle();

        f.assertAllLogs("o0 a1");
    }

    @Test
    void aForwardBatchesEveryOpTheClientLacks() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.partition(Set.of(B), Set.of(HQ, A));
        f.op("a", "a1", "register p1");
        f.sim.runFor(Duration.ofMillis(20));
        f.op("a", "a2", "register p2");
        f.sim.runFor(Duration.ofMillis(20));
        f.sim.heal();
        f.settle();

        f.assertAllLogs("o0 a1 a2");
        assertEquals(2, f.chainNode("hq").stats().count(dev.chainkit.core.ChainEventType.STARTED),
                "a forward for a1, then one for a2 after it: at most one in flight per client");
    }

    @Test
    void aQuietClientCutOffForMinutesIsBroughtUpToDateAfterTheHeal() {
        SyncFixture f = SyncFixture.judges("a", "b");
        f.sim.partition(Set.of(A), Set.of(HQ, B));
        f.op("b", "b1", "register bo");        // a makes no ops: only the server's forwards can reach it
        f.sim.runFor(Duration.ofMinutes(4));    // many forward chains time out meanwhile
        f.sim.heal();
        f.settle();

        f.assertAllLogs("o0 b1");
    }
}
