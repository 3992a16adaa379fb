package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A sync refused {@code OP_TOO_LARGE} makes its client drop the op (REJECTED), so the refusal waits for the chain's
 * durable mark like every first answer: when the server restarts with a larger limit (a configuration change), a held
 * copy of that chain's opening is not taken up again and the op stays out (found by review: the size check used to
 * run before the take-up).
 */
class RefusedBeforeTakeUpTest {

    private static final NodeId C1 = NodeId.of("c1");

    @Test
    void anOpRefusedTooLargeStaysOutAfterARestartWithALargerLimit() {
        SyncFixture.Builder b = new SyncFixture.Builder().client("c1", Role.judge(), DecisionPolicy.skip())
                .limits(SyncLimits.defaults().withMaxOpBytes(32));
        SyncFixture f = b.build();
        f.sim.addRule(FaultRule.delay(1, "OpSync", C1, HQ, Duration.ofSeconds(5))); // the first copy, held
        f.client("c1").submit(OpId.of("big"), new TournamentOp.Register("a" + "b".repeat(40)));
        f.sim.runUntil(() -> f.client("c1").opRecords().get(OpId.of("big")).fate() == OpFate.REJECTED,
                Duration.ofSeconds(2));          // the retransmission is refused OP_TOO_LARGE
        assertEquals(OpFate.REJECTED, f.client("c1").opRecords().get(OpId.of("big")).fate());

        b.limits(SyncLimits.defaults());         // the operator raises the limit and restarts hq
        f.sim.crash(HQ);                         // hq is down while c1 pauses and retries
        f.sim.at(Duration.ofMillis(4900), () -> f.sim.restart(HQ));
        f.settle();                              // the held copy arrives at about 5 s

        assertEquals(OpFate.REJECTED, f.client("c1").opRecords().get(OpId.of("big")).fate());
        assertEquals("o0", f.labels("hq"), "the op c1's user was told was refused stays out of the log");
        assertEquals("o0", f.labels("c1"));
    }
}
