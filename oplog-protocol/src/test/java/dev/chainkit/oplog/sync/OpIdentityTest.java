package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import org.junit.jupiter.api.Test;

/** A client whose store was rolled back names a new op with a used id: it is told, never silently substituted. */
class OpIdentityTest {

    private static TournamentOp payload(String text) {
        return TournamentOp.parse(text).getOrElseThrow(msg -> new IllegalArgumentException(msg));
    }

    @Test
    void aClientWhoseStoreWasRolledBackIsToldItsReusedOpIdWasRefused() {
        SyncFixture f = SyncFixture.judges("a");
        assertEquals(OpId.of("a.1"), f.client("a").submit(payload("register p1")).get().id());
        f.settle();
        assertEquals("o0 a.1", f.labels("hq"));

        NodeId a = NodeId.of("a");
        f.sim.crash(a);
        f.sim.node(a).durable().put("store", ClientStore.inMemory(OpLog.genesis(SyncFixture.GENESIS))); // a backup
        f.sim.restart(a);
        OpId reused = f.client("a").submit(payload("register p2")).get().id();
        assertEquals(OpId.of("a.1"), reused, "the rolled-back counter hands out 1 again");
        f.settle();

        OpRecord record = f.client("a").opRecords().get(reused);
        assertEquals(OpFate.REJECTED, record.fate());
        assertTrue(record.reason().contains("already names another op on the server"), record.reason());
        assertEquals("o0 a.1", f.labels("hq"), "the server kept its a.1");
        assertEquals("o0 a.1", f.labels("a"), "the client caught up with the server's a.1, not its own");
        assertEquals(payload("register p1"), f.client("a").log().last().payload());

        assertEquals(OpId.of("a.2"), f.client("a").submit(payload("register p2")).get().id(),
                "numbers that name ops of the log are skipped");
        f.settle();
        assertEquals("o0 a.1 a.2", f.labels("hq"));
    }

    @Test
    void anOpSentAgainWithTheSameContentIsADuplicateNotAConflict() {
        SyncFixture f = SyncFixture.judges("a");
        f.op("a", "a1", "register p1");
        f.settle();
        NodeId a = NodeId.of("a");
        OpLog<TournamentOp> synced = f.client("a").log();
        f.sim.crash(a); // restarted on a store that never learned a1 was synced: a1 is sent again, unchanged
        ClientStore<TournamentOp> stale = ClientStore.inMemory(OpLog.genesis(SyncFixture.GENESIS));
        stale.save(synced, SyncFixture.GENESIS.id());
        f.sim.node(a).durable().put("store", stale);
        f.sim.restart(a);
        f.settle();
        assertEquals("o0 a1", f.labels("hq"));
        assertEquals(OpFate.SYNCED, f.client("a").opRecords().get(OpId.of("a1")).fate());
    }
}
