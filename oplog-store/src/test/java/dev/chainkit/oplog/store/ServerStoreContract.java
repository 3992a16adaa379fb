package dev.chainkit.oplog.store;

import static dev.chainkit.oplog.store.Ops.genesis;
import static dev.chainkit.oplog.store.Ops.op;
import static dev.chainkit.oplog.store.Ops.registrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.LogTail;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SyncMark;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashMap;
import io.vavr.collection.LinkedHashMap;
import io.vavr.control.Option;
import io.vavr.collection.Vector;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@link ServerStore} contract, checked on every store: in memory, SQLite and PostgreSQL. A subclass says how
 * to make a store and how to open it again as a restarted process would.
 */
abstract class ServerStoreContract {

    private static final AtomicInteger LOGS = new AtomicInteger();
    private static final NodeId C1 = NodeId.of("c1");
    private static final NodeId C2 = NodeId.of("c2");

    /** The store under test (the same one for every call in a test). */
    abstract ServerStore<TournamentOp> store();

    /** The store as a restarted process opens it: what it returns must be what was committed. */
    abstract ServerStore<TournamentOp> reopen();

    /** A log id no other test used, so tests may share a database. */
    static String freshLog() {
        return "log" + LOGS.incrementAndGet();
    }

    private static LogAppend<TournamentOp> append(String logId, int at, Vector<Operation<TournamentOp>> ops) {
        return LogAppend.of(logId, at, ops);
    }

    private static LogAppend<TournamentOp> marks(String logId, int at, Vector<Operation<TournamentOp>> ops,
            io.vavr.collection.Map<NodeId, SyncMark> marks) {
        return new LogAppend<>(logId, at, ops, HashMap.empty(), HashMap.empty(), HashMap.empty(), marks);
    }

    private HashMap<NodeId, SyncMark> marksAfterReopen(String logId) {
        ServerStore<TournamentOp> reopened = reopen();
        HashMap<NodeId, SyncMark> loaded = HashMap.ofEntries(reopened.load(logId).orElseThrow().syncMarks());
        assertEquals(loaded, HashMap.ofEntries(reopened.tail(logId, 1).orElseThrow().syncMarks()),
                "load and tail read the same marks");
        return loaded;
    }

    @Test
    void syncMarksCommitWithTheLogAndReadBackExactlyThroughLoadAndTail() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        Vector<Operation<TournamentOp>> ops = registrations("a", 1, 2);
        SyncMark big = new SyncMark(Long.MAX_VALUE, Long.MAX_VALUE - 1);
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 1, ops, HashMap.of(C1, 2),
                HashMap.empty(), HashMap.empty(), HashMap.of(C1, new SyncMark(3, 7), C2, big)))));

        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(Vector.of(genesis(logId)).appendAll(ops), back.log().ops());
        assertEquals(2, back.cursor(C1));
        assertEquals(HashMap.of(C1, new SyncMark(3, 7), C2, big), HashMap.ofEntries(back.syncMarks()),
                "incarnations and sequences as written, the largest longs too");
        LogTail<TournamentOp> tail = reopen().tail(logId, 2).orElseThrow();
        assertEquals(ops.drop(1), tail.ops());
        assertEquals(HashMap.of(C1, new SyncMark(3, 7), C2, big), HashMap.ofEntries(tail.syncMarks()));
        String unmarked = freshLogWithGenesis();
        assertTrue(reopen().load(unmarked).orElseThrow().syncMarks().isEmpty(),
                "a log without marks has none, and another log's marks are not its");
    }

    private String freshLogWithGenesis() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        return logId;
    }

    @Test
    void aSyncMarkThatIsNotNewerThanTheStoredOneIsAMarkTakenConflictAndWritesNothing() {
        String logId = freshLogWithGenesis();
        assertEquals(Optional.empty(), store().commit(List.of(marks(logId, 1, Vector.empty(),
                HashMap.of(C1, new SyncMark(2, 5), C2, new SyncMark(2, 5))))));

        assertEquals(Optional.of(new AppendConflict.MarkTaken(logId, C1, new SyncMark(2, 5), new SyncMark(2, 4))),
                store().commit(List.of(marks(logId, 1, Vector.empty(), HashMap.of(C1, new SyncMark(2, 4))))),
                "a lower sequence of the same incarnation");
        assertEquals(Optional.of(new AppendConflict.MarkTaken(logId, C2, new SyncMark(2, 5), new SyncMark(1, 99))),
                store().commit(List.of(marks(logId, 1, Vector.empty(), HashMap.of(C2, new SyncMark(1, 99))))),
                "a lower incarnation with a higher sequence");
        assertEquals(Optional.of(new AppendConflict.MarkTaken(logId, C1, new SyncMark(2, 5), new SyncMark(2, 5))),
                store().commit(List.of(marks(logId, 1, registrations("a", 1, 1),
                        HashMap.of(C1, new SyncMark(2, 5))))), "the same mark again: one chain taken up twice");
        assertEquals(HashMap.of(C1, new SyncMark(2, 5), C2, new SyncMark(2, 5)), marksAfterReopen(logId));
        assertEquals(1, reopen().load(logId).orElseThrow().log().size(), "the ops of the refused commit are not in");

        assertEquals(Optional.empty(), store().commit(List.of(marks(logId, 1, registrations("a", 1, 1),
                HashMap.of(C1, new SyncMark(2, 6), C2, new SyncMark(3, 1))))));
        assertEquals(HashMap.of(C1, new SyncMark(2, 6), C2, new SyncMark(3, 1)), marksAfterReopen(logId),
                "a higher sequence, and a higher incarnation with a lower sequence, move it forward");
        assertEquals(Optional.of(new AppendConflict.MarkTaken(logId, C1, new SyncMark(2, 6), new SyncMark(1, 1))),
                reopen().commit(List.of(marks(logId, 2, Vector.empty(), HashMap.of(C1, new SyncMark(1, 1))))),
                "a restarted writer that knows an older mark cannot move it back either");
    }

    @Test
    void aMarkOnlyCommitAtAStalePositionIsALogMovedConflictAndChangesNothing() {
        String logId = freshLogWithGenesis();
        store().commit(List.of(marks(logId, 1, registrations("a", 1, 2), HashMap.of(C1, new SyncMark(1, 1)))));

        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 4, 3)), store().commit(List.of(
                marks(logId, 4, Vector.empty(), HashMap.of(C1, new SyncMark(1, 2), C2, new SyncMark(1, 1))))),
                "a log shorter than expected");
        assertEquals(HashMap.of(C1, new SyncMark(1, 1)), marksAfterReopen(logId));
        assertEquals(Optional.empty(), store().commit(List.of(marks(logId, 2, Vector.empty(),
                HashMap.of(C1, new SyncMark(1, 2))))), "a log longer than expected takes the marks");
        assertEquals(HashMap.of(C1, new SyncMark(1, 2)), marksAfterReopen(logId));
    }

    @Test
    void aCommitThatConflictsWritesNoSyncMark() {
        String logId = freshLogWithGenesis();
        String other = freshLogWithGenesis();
        store().commit(List.of(marks(logId, 1, registrations("a", 1, 2), HashMap.of(C1, new SyncMark(1, 1)))));

        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 1, 3)), store().commit(List.of(
                marks(logId, 1, registrations("b", 1, 1), HashMap.of(C1, new SyncMark(1, 2), C2,
                        new SyncMark(1, 1))))));
        assertEquals(Optional.of(new AppendConflict.OpIdTaken(logId, OpId.of("a1"), 1)), store().commit(List.of(
                marks(logId, 3, Vector.of(op("a1", 99, "register z")), HashMap.of(C1, new SyncMark(1, 3))))));
        assertEquals(Optional.of(new AppendConflict.MarkTaken(logId, C1, new SyncMark(1, 1), new SyncMark(1, 1))),
                store().commit(List.of(marks(logId, 3, registrations("b", 1, 1), HashMap.of(C2, new SyncMark(1, 1),
                        C1, new SyncMark(1, 1))))), "a mark taken: the other member's mark is not written either");
        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 7, 3)), store().commit(List.of(
                marks(other, 1, Vector.empty(), HashMap.of(C1, new SyncMark(5, 5))),
                marks(logId, 7, Vector.empty(), HashMap.of(C1, new SyncMark(1, 4))))),
                "a conflict in a later log of the commit");

        assertEquals(HashMap.of(C1, new SyncMark(1, 1)), marksAfterReopen(logId));
        assertEquals(HashMap.empty(), marksAfterReopen(other), "the first log's marks were undone with the rest");
        assertEquals(3, reopen().load(logId).orElseThrow().log().size(), "and no op of a refused commit is in");
    }

    @Test
    void aLogIsCreatedWithItsMembersAndTheirChangesCommitWithTheLog() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId), LinkedHashMap.of(C1, Role.judge(), C2, Role.player("bob")));
        assertEquals(HashMap.of(C1, Role.judge(), C2, Role.player("bob")),
                HashMap.ofEntries(reopen().load(logId).orElseThrow().members()));

        NodeId c3 = NodeId.of("c3");
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 1, registrations("m", 1, 1),
                HashMap.empty(), HashMap.of(C1, Option.none(), C2, Option.some(Role.judge()), c3,
                        Option.some(Role.organizer()))))));
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(HashMap.of(C2, Role.judge(), c3, Role.organizer()), HashMap.ofEntries(back.members()));
        assertEquals(2, back.log().size());
    }

    @Test
    void memberChangesAtAStalePositionAreALogMovedConflictAndChangeNothing() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId), LinkedHashMap.of(C1, Role.judge()));
        Optional<AppendConflict> conflict = store().commit(List.of(new LogAppend<>(logId, 5, Vector.empty(),
                HashMap.empty(), HashMap.of(C1, Option.none()))));
        assertTrue(conflict.isPresent());
        assertEquals(HashMap.of(C1, Role.judge()), HashMap.ofEntries(reopen().load(logId).orElseThrow().members()));
    }

    @Test
    void anUnknownLogLoadsAsEmpty() {
        assertEquals(Optional.empty(), store().load(freshLog()));
    }

    @Test
    void loadOrCreateMakesALogHoldingOnlyItsGenesisAndFindsItAfterwards() {
        String logId = freshLog();
        StoredLog<TournamentOp> created = store().loadOrCreate(logId, genesis(logId));
        assertEquals(Vector.of(genesis(logId)), created.log().ops());
        assertEquals(created.log(), reopen().loadOrCreate(logId, op("other", "register x")).log(),
                "an existing log is loaded, not created again");
    }

    @Test
    void anAppendAtTheExpectedPositionIsDurableWithItsCursorsExactlyAsWritten() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        Vector<Operation<TournamentOp>> ops = registrations("a", 1, 3);
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 1, ops, HashMap.of(C1, 3)))));

        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(Vector.of(genesis(logId)).appendAll(ops), back.log().ops(), "ids, authors, times, payloads");
        assertEquals(3, back.cursor(C1));
        assertEquals(0, back.cursor(C2), "a client without a cursor is at the genesis");
    }

    @Test
    void anAppendAtAStalePositionIsALogMovedConflictAndChangesNothing() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        store().commit(List.of(append(logId, 1, registrations("a", 1, 2))));

        Optional<AppendConflict> conflict = store().commit(List.of(new LogAppend<>(logId, 1,
                registrations("b", 1, 1), HashMap.of(C1, 1))));
        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 1, 3)), conflict);
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(3, back.log().size());
        assertEquals(0, back.cursor(C1), "the conflicting commit's cursor did not move either");
    }

    @Test
    void creatingALogThatExistsIsALogMovedConflict() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 0, 1)),
                store().commit(List.of(append(logId, 0, Vector.of(op("g2", "register x"))))));
    }

    @Test
    void anOpIdAlreadyInTheLogIsAnOpIdTakenConflictAndChangesNothing() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        store().commit(List.of(append(logId, 1, registrations("a", 1, 2))));

        Optional<AppendConflict> conflict = store().commit(List.of(append(logId, 3,
                Vector.of(op("b1", "register q"), op("a1", 99, "register z")))));
        assertEquals(Optional.of(new AppendConflict.OpIdTaken(logId, OpId.of("a1"), 1)), conflict);
        assertEquals(3, reopen().load(logId).orElseThrow().log().size());
    }

    @Test
    void aCommitOfSeveralLogsIsAllOrNothing() {
        String first = freshLog();
        String second = freshLog();
        store().loadOrCreate(first, genesis(first));
        store().loadOrCreate(second, genesis(second));

        Optional<AppendConflict> conflict = store().commit(List.of(append(first, 1, registrations("a", 1, 1)),
                append(second, 5, registrations("a", 1, 1))));
        assertEquals(Optional.of(new AppendConflict.LogMoved(second, 5, 1)), conflict);
        assertEquals(1, reopen().load(first).orElseThrow().log().size(), "the first log's append was undone");

        assertEquals(Optional.empty(), store().commit(List.of(append(first, 1, registrations("a", 1, 1)),
                append(second, 1, registrations("a", 1, 2)))));
        assertEquals(2, reopen().load(first).orElseThrow().log().size());
        assertEquals(3, reopen().load(second).orElseThrow().log().size(), "one op id may be in two logs");
    }

    @Test
    void aCommitOfCursorsAloneMovesThemAndLeavesTheOpsAlone() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        store().commit(List.of(new LogAppend<>(logId, 1, registrations("a", 1, 2), HashMap.of(C1, 1))));
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 3, Vector.empty(),
                HashMap.of(C1, 2, C2, 2)))));
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(3, back.log().size());
        assertEquals(2, back.cursor(C1));
        assertEquals(2, back.cursor(C2));
    }

    @Test
    void aCommitWithoutOpsNeedsOnlyTheLogToHoldTheOpsItExpects() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        store().commit(List.of(append(logId, 1, registrations("a", 1, 2))));
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 1, Vector.empty(),
                HashMap.of(C1, 0)))), "another server appended since: a cursor at a position it has still holds");
        assertEquals(Optional.of(new AppendConflict.LogMoved(logId, 4, 3)), store().commit(List.of(
                new LogAppend<>(logId, 4, Vector.empty(), HashMap.of(C1, 3)))), "a log shorter than expected");
        assertEquals(0, reopen().load(logId).orElseThrow().cursor(C1));
    }

    @Test
    void aCursorNeverMovesBackWhoeverWritesIt() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        store().commit(List.of(new LogAppend<>(logId, 1, registrations("a", 1, 3), HashMap.of(C1, 3))));
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 4, Vector.empty(),
                HashMap.of(C1, 1, C2, 2)))));
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(3, back.cursor(C1), "a server that knew less did not move it back");
        assertEquals(2, back.cursor(C2));
    }

    @Test
    void whichServerServesAClientIsKeptWithItsCursorAndReplacedByTheNextOne() {
        String logId = freshLog();
        NodeId s1 = NodeId.of("s1");
        NodeId s2 = NodeId.of("s2");
        store().loadOrCreate(logId, genesis(logId));
        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 1, registrations("a", 1, 2),
                HashMap.of(C1, 2), HashMap.empty(), HashMap.of(C1, s1, C2, s1)))));
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(HashMap.of(C1, s1, C2, s1), HashMap.ofEntries(back.servedBy()));
        assertEquals(2, back.cursor(C1));
        assertEquals(0, back.cursor(C2), "a client named only for its server is at the genesis");

        assertEquals(Optional.empty(), store().commit(List.of(new LogAppend<>(logId, 3, Vector.empty(),
                HashMap.of(C2, 1), HashMap.empty(), HashMap.of(C1, s2)))));
        back = reopen().load(logId).orElseThrow();
        assertEquals(HashMap.of(C1, s2, C2, s1), HashMap.ofEntries(back.servedBy()), "a cursor move keeps the server");
        assertEquals(2, back.cursor(C1), "and a server change keeps the cursor");
        assertEquals(1, back.cursor(C2));
    }

    @Test
    void aTailHoldsTheOpsFromAPositionAndTheWholeSmallStateOfTheLog() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId), LinkedHashMap.of(C1, Role.judge()));
        Vector<Operation<TournamentOp>> ops = registrations("a", 1, 4);
        store().commit(List.of(new LogAppend<>(logId, 1, ops, HashMap.of(C1, 4), HashMap.empty(),
                HashMap.of(C1, NodeId.of("s1")))));
        LogTail<TournamentOp> tail = reopen().tail(logId, 3).orElseThrow();
        assertEquals(3, tail.from());
        assertEquals(ops.drop(2), tail.ops());
        assertEquals(5, tail.size());
        assertEquals(HashMap.of(C1, 4), HashMap.ofEntries(tail.cursors()));
        assertEquals(HashMap.of(C1, NodeId.of("s1")), HashMap.ofEntries(tail.servedBy()));
        assertEquals(HashMap.of(C1, Role.judge()), HashMap.ofEntries(tail.members()));
        assertTrue(reopen().tail(logId, 5).orElseThrow().ops().isEmpty(), "a tail at the end holds no op");
        assertEquals(Optional.empty(), reopen().tail(freshLog(), 1));
        assertThrows(IllegalArgumentException.class, () -> reopen().tail(logId, 6), "past the end");
    }

    @Test
    void twoAppendsNamingOneLogInACommitAreRefused() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        assertThrows(IllegalArgumentException.class, () -> store().commit(List.of(
                append(logId, 1, registrations("a", 1, 1)), append(logId, 2, registrations("b", 1, 1)))));
        assertEquals(1, reopen().load(logId).orElseThrow().log().size());
    }

    @Test
    void aLongLogIsAppendedInManyCommitsAndReadBackWhole() {
        String logId = freshLog();
        store().loadOrCreate(logId, genesis(logId));
        int size = 1;
        for (int batch = 0; batch < 20; batch++) {
            Vector<Operation<TournamentOp>> ops = registrations("b" + batch + "x", 1, 25);
            assertEquals(Optional.empty(), store().commit(List.of(append(logId, size, ops))));
            size += ops.size();
        }
        StoredLog<TournamentOp> back = reopen().load(logId).orElseThrow();
        assertEquals(501, back.log().size());
        assertTrue(back.log().contains(OpId.of("b19x25")));
    }
}
