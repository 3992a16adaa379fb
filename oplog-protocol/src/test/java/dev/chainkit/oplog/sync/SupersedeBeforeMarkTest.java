package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Role;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A supersede is a first answer too: a chain whose conflict waits for its mark is not superseded ("sync failed") when
 * an earlier commit lands and the log moved meanwhile, until its mark is durable. Otherwise (found by review) the
 * client dropped the op in its local rebase, the server crashed before the mark's commit, and a held copy of the
 * chain's opening, taken up by the restarted server, brought the op back.
 */
class SupersedeBeforeMarkTest {

    private static final NodeId C1 = NodeId.of("c1");

    private HeldStore store;
    private final SyncFixture f = new SyncFixture.Builder()
            .client("c1", Role.organizer(), DecisionPolicy.skip())
            .client("c2", Role.judge(), DecisionPolicy.skip())
            .serverStore(inner -> store = new HeldStore(inner))
            .execution(ctx -> dev.chainkit.oplog.sync.StoreExecution.offloaded(store.executor(),
                    task -> ctx.scheduler().schedule(0, task)))
            .build();

    private void run(long ms) {
        f.sim.runFor(Duration.ofMillis(ms));
    }

    private void settleReleasing() {
        for (int i = 0; i < 600 && !(f.hq().isIdle() && store.held.isEmpty() && f.clients.values().stream()
                .allMatch(c -> c.app().isIdle())); i++) {
            store.release();
            run(100);
        }
        f.settle();
    }

    @Test
    void aChainSupersededBeforeItsMarkIsDurableIsNotTakenUpAgainAfterACrash() {
        f.op("c1", "r1", "register p1");
        f.op("c1", "r2", "register p2");
        settleReleasing();

        f.sim.addRule(FaultRule.delay(1, "OpSync", C1, HQ, Duration.ofSeconds(5))); // s's first copy, held
        f.op("hq", "d", "drop p2");            // batch 1 [d] in flight, held
        f.op("c1", "s", "start");              // chain X: OpSync(r2, [s])
        run(1000);
        // the retransmission meets the conflict; its answer waits for X's mark
        f.op("c2", "r3", "register p3");       // final in memory: the log moved; staged with X's mark (batch 2)
        run(20);
        assertEquals(1, store.release(), "batch 1 [d] lands");
        run(50);                               // without the guard, X was superseded here, before its mark

        f.sim.crash(HQ);                       // batch 2 (X's mark, r3) never lands
        store.held.clear();
        f.sim.restart(HQ);
        for (int i = 0; i < 200; i++) {        // c2 syncs r3 again; the held copy of X arrives at about 5 s
            store.release();
            run(100);
        }
        String seen = "hq: " + f.labels("hq") + "; c1: " + f.labels("c1") + "; s on c1: "
                + f.client("c1").opRecords().get(OpId.of("s")) + "; staleSyncs " + f.hq().staleSyncs();
        boolean dropped = f.client("c1").opRecords().get(OpId.of("s")).fate() == OpFate.DROPPED;
        boolean inLog = f.hq().log().contains(OpId.of("s"));
        assertEquals(false, dropped && inLog, "an op c1's user was told was dropped is in hq's log; " + seen);
        assertEquals(f.labels("hq"), f.labels("c1"), "c1 converges to hq's log; " + seen);
    }
}
