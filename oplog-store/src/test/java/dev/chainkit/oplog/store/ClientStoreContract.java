package dev.chainkit.oplog.store;

import static dev.chainkit.oplog.store.Ops.genesis;
import static dev.chainkit.oplog.store.Ops.op;
import static dev.chainkit.oplog.store.Ops.registrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import org.junit.jupiter.api.Test;

/**
 * The {@link ClientStore} contract, checked on every store: in memory, SQLite and PostgreSQL. A subclass says how to
 * make a store for a log and how to open it again as a restarted process would.
 */
abstract class ClientStoreContract {

    static final String LOG = "friday";

    /** The store under test, holding only the genesis of {@link #LOG} at first. */
    abstract ClientStore<TournamentOp> store();

    /** The store as a restarted process opens it. */
    abstract ClientStore<TournamentOp> reopen();

    @Test
    void aNewStoreHoldsItsGenesisSynced() {
        assertEquals(OpLog.genesis(genesis(LOG)), store().log());
        assertEquals(OpId.of("o0"), store().syncedTip());
    }

    @Test
    void pendingOpsAndTheSyncedTipSurviveARestart() {
        OpLog<TournamentOp> log = Ops.log(LOG, registrations("a", 1, 4));
        store().save(log, OpId.of("a2"));
        ClientStore<TournamentOp> back = reopen();
        assertEquals(log, back.log());
        assertEquals(OpId.of("a2"), back.syncedTip());
    }

    @Test
    void aLogCutAndGrownAgainIsStoredAsTheNewLog() {
        store().save(Ops.log(LOG, registrations("a", 1, 4)), OpId.of("a2"));
        // the server's ops arrive after a1; a3 and a4 are rebased after them, a2 was dropped
        OpLog<TournamentOp> rebased = Ops.log(LOG, registrations("a", 1, 1))
                .append(op("s1", "register s")).append(op("s2", "register t"))
                .append(registrations("a", 3, 1).head()).append(registrations("a", 4, 1).head());
        store().save(rebased, OpId.of("s2"));
        ClientStore<TournamentOp> back = reopen();
        assertEquals(rebased, back.log());
        assertEquals(OpId.of("s2"), back.syncedTip());
    }

    @Test
    void aSavedLogCanShrinkToItsSyncedPart() {
        store().save(Ops.log(LOG, registrations("a", 1, 3)), OpId.of("o0"));
        OpLog<TournamentOp> shorter = Ops.log(LOG, registrations("a", 1, 1));
        store().save(shorter, OpId.of("a1"));
        assertEquals(shorter, reopen().log());
    }

    @Test
    void opNumbersAreReservedDurablyAndNeverHandedOutTwice() {
        assertEquals(1, store().nextOpNumber());
        assertEquals(2, store().nextOpNumber());
        assertEquals(3, reopen().nextOpNumber(), "a restarted client goes on after the last reserved number");
    }

    @Test
    void aSyncedTipOutsideTheLogIsRefusedAndNothingChanges() {
        OpLog<TournamentOp> log = Ops.log(LOG, registrations("a", 1, 2));
        store().save(log, OpId.of("a1"));
        assertThrows(IllegalArgumentException.class,
                () -> store().save(Ops.log(LOG, registrations("a", 1, 3)), OpId.of("nowhere")));
        assertEquals(log, reopen().log());
        assertEquals(OpId.of("a1"), reopen().syncedTip());
    }
}
