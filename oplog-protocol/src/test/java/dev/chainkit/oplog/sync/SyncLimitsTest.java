package dev.chainkit.oplog.sync;

import static dev.chainkit.oplog.sync.SyncFixture.HQ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.Outcome;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import io.vavr.collection.Vector;
import org.junit.jupiter.api.Test;

/** A sync over the server's limits is refused whole, before it touches a log; an honest client stays under them. */
class SyncLimitsTest {

    private static final Author RAW = new Author("raw", Role.judge());

    private static SyncMessage<TournamentOp> send(SyncFixture f, SimNode<ChainNode> raw,
            Vector<Operation<TournamentOp>> ops) {
        ChainHandle<SyncMessage<TournamentOp>> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("o0"), ops),
                (chain, reply) -> InitiatorAction.complete(reply));
        f.settle();
        return ((Outcome.Completed<SyncMessage<TournamentOp>>) h.outcome().join()).result();
    }

    private static Vector<Operation<TournamentOp>> registrations(String prefix, int n) {
        return Vector.range(0, n).map(i -> new Operation<>(OpId.of(prefix + i), RAW, 0,
                (TournamentOp) new TournamentOp.Register("p" + i)));
    }

    @Test
    void aSyncOfMoreOpsThanTheLimitIsRefusedWhole() {
        SyncFixture f = new SyncFixture.Builder().member("raw", Role.judge())
                .limits(SyncLimits.defaults().withMaxOpsPerSync(10)).build();
        SimNode<ChainNode> raw = f.rawNode("raw");

        SyncMessage<TournamentOp> answer = send(f, raw, registrations("x", 11));

        assertTrue(answer instanceof SyncMessage.SyncRejected<TournamentOp> r
                && r.reason() == SyncMessage.SyncRejected.Reason.TOO_MANY_OPS, () -> "" + answer);
        assertEquals("o0", f.labels("hq"));
        assertTrue(send(f, raw, registrations("y", 10)) instanceof SyncMessage.SyncSuccess<?>, "10 fit");
    }

    @Test
    void anOpLargerThanTheLimitIsRefusedAndNamed() {
        SyncFixture f = new SyncFixture.Builder().member("raw", Role.judge())
                .limits(SyncLimits.defaults().withMaxOpBytes(32)).build();
        SimNode<ChainNode> raw = f.rawNode("raw");
        Operation<TournamentOp> big = new Operation<>(OpId.of("big"), RAW, 0,
                new TournamentOp.Register("a" + "b".repeat(40)));

        SyncMessage<TournamentOp> answer = send(f, raw, Vector.of(registrations("x", 1).head(), big));

        assertTrue(answer instanceof SyncMessage.SyncRejected<TournamentOp> r
                && r.reason() == SyncMessage.SyncRejected.Reason.OP_TOO_LARGE
                && r.log().map(Operation::id).equals(Vector.of(OpId.of("big"))), () -> "" + answer);
        assertEquals("o0", f.labels("hq"), "the small op of that sync was not applied either");
    }

    @Test
    void aClientWithMoreOpsThanTheServerTakesSendsThemInBatchesAndConverges() {
        SyncFixture f = new SyncFixture.Builder().client("a", Role.judge(), DecisionPolicy.skip())
                .client("b", Role.judge(), DecisionPolicy.skip())
                .limits(SyncLimits.defaults().withMaxOpsPerSync(7)).build();
        for (int i = 0; i < 40; i++) {
            f.client("a").submit(new TournamentOp.Register("p" + i));
        }
        f.settle();

        assertEquals(41, f.hq().log().size());
        f.assertAllLogs(f.labels("hq"));
        assertTrue(f.client("a").refusals() >= 1, "it learned the limit from a TOO_MANY_OPS");
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SyncLimits(0, 1024));
        assertThrows(IllegalArgumentException.class, () -> new SyncLimits(10, 8));
    }
}
