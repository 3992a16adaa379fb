package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The server answers a sync only once its ops are durable, batches the syncs that arrive during a commit into the
 * next one, forwards only durable ops, and rolls back on a failed commit. The store's commits are held by the test
 * ({@link HeldStore}), as a slow disk or database would hold them.
 */
class CommitBeforeReplyTest {

    private HeldStore store;
    private final SyncFixture f = new SyncFixture.Builder()
            .client("a", Role.judge(), DecisionPolicy.skip())
            .client("b", Role.judge(), DecisionPolicy.skip())
            .client("c", Role.judge(), DecisionPolicy.skip())
            .member("raw", Role.judge())
            .serverStore(inner -> store = new HeldStore(inner))
            .execution(ctx -> StoreExecution.offloaded(store.executor(), task -> ctx.scheduler().schedule(0, task)))
            .build();
    /** A member whose syncs two tests write by hand. */
    private final SimNode<ChainNode> raw = f.rawNode("raw");

    private void run(long ms) {
        f.sim.runFor(Duration.ofMillis(ms));
    }

    /** Runs, releasing every commit, until everything is quiet. */
    private void settleReleasing() {
        for (int i = 0; i < 600 && !(f.hq().isIdle() && store.held.isEmpty() && f.clients.values().stream()
                .allMatch(c -> c.app().isIdle())); i++) {
            store.release();
            run(100);
        }
        f.settle();
    }

    @Test
    void aSyncIsAnsweredOnlyOnceItsOpsAreDurable() {
        f.op("a", "a1", "register p1");
        run(500);
        assertEquals("o0 a1", f.labels("hq"), "finalized in memory");
        assertEquals(1, f.hq().durableSize(), "but not durable");
        assertEquals(1, f.client("a").pendingOps().size(), "so the client has no answer");
        assertEquals("o0", f.labels("b"), "and nothing was forwarded");

        assertEquals(1, store.release());
        run(50);
        assertEquals(2, f.hq().durableSize());
        assertTrue(f.client("a").pendingOps().isEmpty(), "answered once durable");
        settleReleasing();
        f.assertAllLogs("o0 a1");
    }

    @Test
    void syncsThatArriveDuringACommitShareTheNextCommitAndAreAnsweredInLogOrder() {
        f.op("a", "a1", "register p1");
        run(5);
        assertEquals(1, store.held.size(), "the first commit is in flight");
        f.op("b", "b1", "register p2");
        f.op("c", "c1", "register p3");
        run(50);
        assertEquals("o0 a1 b1 c1", f.labels("hq"), "later syncs see the log as it will be");
        assertEquals(1, store.held.size(), "one commit at a time");

        store.release();
        run(5);
        assertTrue(f.client("a").pendingOps().isEmpty());
        assertEquals(1, f.client("b").pendingOps().size(), "b1 is in the second commit, not yet durable");
        assertEquals(1, f.client("c").pendingOps().size());
        store.release();
        run(50);
        assertEquals(2, store.commits.size());
        assertEquals(2, store.commits.get(1).ops().size(), "b1 and c1 in one commit");
        assertEquals(2, store.commits.get(1).expectedSize(), "appended where the first commit ended");
        settleReleasing();
        f.assertAllLogs("o0 a1 b1 c1");
        assertEquals(0, f.chainNode("hq").stats().count(dev.chainkit.core.ChainEventType.SUPERSEDED),
                "a sync waiting for its commit is never superseded by an earlier commit");
    }

    @Test
    void aSyncWithNewOpsCommitsItsMarkWithThemAndOneWithoutCostsNoCommit() {
        f.op("a", "a1", "register p1");
        settleReleasing();
        int commits = store.commits.size();
        ChainHandle<String> empty = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("a1"), Vector.empty()),
                (chain, reply) -> InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(50);
        assertEquals(new Outcome.Completed<>("SyncSuccess"), empty.outcome().getNow(null),
                "a copy of a sync without new ops can bring nothing back: answered at once");
        assertEquals(0, store.held.size(), "without a commit");

        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("a1"), Vector.of(rawOp("x1", "register p9"))),
                (chain, reply) -> InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(50);
        assertEquals(null, h.outcome().getNow(null), "no answer before the op and the mark are durable");
        assertEquals(1, store.release());
        run(50);
        assertEquals(new Outcome.Completed<>("SyncSuccess"), h.outcome().getNow(null));
        assertEquals(commits + 1, store.commits.size(), "one commit");
        LogAppend<TournamentOp> commit = store.commits.get(commits);
        assertEquals(Vector.of(OpId.of("x1")), commit.ops().map(Operation::id), "with the op");
        assertEquals(io.vavr.collection.HashMap.of(raw.app().id(), SyncMark.of(h.id())), commit.syncMarks(),
                "and the mark of its chain");
    }

    @Test
    void aSyncWhoseMarkCannotBeMadeDurableIsAnsweredStoreFailedAndSyncsAgainInANewerChain() {
        f.op("a", "a1", "register p1");
        settleReleasing();
        store.failNext = true;
        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("a1"), Vector.of(rawOp("x1", "register p9"))),
                (chain, reply) -> InitiatorAction.complete(reply instanceof SyncMessage.SyncRejected<?> r
                        ? r.reason().name() : reply.getClass().getSimpleName()));
        run(20);
        store.release();
        run(50);
        assertEquals(new Outcome.Completed<>("STORE_FAILED"), h.outcome().getNow(null));
        ChainHandle<String> again = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("a1"), Vector.of(rawOp("x1", "register p9"))),
                (chain, reply) -> InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(20);
        store.release();
        run(50);
        assertEquals(new Outcome.Completed<>("SyncSuccess"), again.outcome().getNow(null),
                "the failed mark is no mark: the next chain is taken up");
        assertEquals(0, f.hq().staleSyncs());
        assertEquals("o0 a1 x1", f.labels("hq"));
    }

    /** An op of the raw member. */
    private static Operation<TournamentOp> rawOp(String id, String text) {
        return new Operation<>(OpId.of(id), new Author("raw", Role.judge()), 0, TournamentOp.parse(text).get());
    }

    @Test
    void aConflictIsNotSupersededBeforeItsSyncMarkIsDurable() {
        f.op("hq", "r1", "register p1");
        f.op("hq", "d1", "drop p1");
        settleReleasing();
        f.op("b", "b1", "register p2");
        run(5);
        assertEquals(1, store.held.size(), "b1's commit is in flight");
        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("r1"), Vector.of(new Operation<>(OpId.of("x1"),
                        new Author("raw", Role.judge()), 0, TournamentOp.parse("drop p1").get()))),
                (chain, reply) -> InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(20);                                 // a conflict, its mark staged behind b1's commit
        f.op("c", "c1", "register p3");          // the log moves on, staged with the mark
        run(20);
        store.release();                         // b1 is durable: the conflict holds a rebase on an older log
        run(20);
        assertEquals(null, h.outcome().getNow(null), "no answer of any kind before the chain's mark is durable");
        store.release();
        run(20);
        assertTrue(store.commits.stream().anyMatch(c -> c.syncMarks().containsKey(raw.app().id())));
        assertTrue(h.outcome().getNow(null) != null, "answered once the mark is durable");
        settleReleasing();
    }

    @Test
    void aFailedCommitIsAnsweredStoreFailedRolledBackAndSyncedAgain() {
        store.failNext = true;
        f.op("a", "a1", "register p1");
        run(5);
        store.release();
        run(50);
        assertEquals("o0", f.labels("hq"), "rolled back to what the store holds");
        assertEquals(1, f.client("a").pendingOps().size(), "a1 is still pending on its client");
        assertTrue(f.client("a").opRecords().get(OpId.of("a1")).firstOutcome().startsWith("failed"));

        settleReleasing();
        f.assertAllLogs("o0 a1");
        assertEquals(2, f.hq().log().size());
    }

    @Test
    void aCommitThatThrowsAfterItLandedCountsAsDurable() {
        store.failAfterNext = true;
        f.op("a", "a1", "register p1");
        run(5);
        store.release();
        run(50);
        assertEquals(2, f.hq().durableSize(), "the store says the ops are there, so they are durable");
        assertTrue(f.client("a").pendingOps().isEmpty(), "and the sync was answered");
        settleReleasing();
        f.assertAllLogs("o0 a1");
    }

    @Test
    void anAppendConflictReloadsTheTailAnswersSyncFailedAndTheClientSyncsAgainOnTheTrueLog() {
        store.foreignOps = Vector.of(new Operation<>(OpId.of("x1"), new Author("hq2", Role.organizer()), 0,
                TournamentOp.parse("register p9").get()));
        f.op("a", "a1", "register p1");
        run(5);
        store.release();
        run(50);
        assertEquals(null, f.client("a").opRecords().get(OpId.of("a1")).firstOutcome(),
                "a1's sync lost the race with its sync mark: no answer until the mark, staged again, is durable");
        store.release();
        run(50);
        assertEquals("completed", f.client("a").opRecords().get(OpId.of("a1")).firstOutcome(),
                "answered: sync failed, new operations available");
        assertEquals(2, f.hq().durableSize(), "the server took the log as the store holds it");
        assertEquals("o0 x1 a1", f.labels("hq"), "and a1 came again, rebased on x1");
        assertEquals("o0 x1 a1", f.labels("a"), "the client adopted x1 before its pending a1");
        assertEquals(1, f.client("a").pendingOps().size(), "a1 is not answered before it is durable");
        settleReleasing();
        f.assertAllLogs("o0 x1 a1");
    }

    @Test
    void aDecisionWhoseBaseChangedBeforeTheChangeIsDurableIsAnsweredSyncFailed() {
        f.op("hq", "r1", "register p1");
        f.op("hq", "d1", "drop p1");
        settleReleasing();
        CompletableFuture<InitiatorAction<SyncMessage<TournamentOp>, String>> decision = new CompletableFuture<>();
        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("r1"), Vector.of(new Operation<>(OpId.of("x1"),
                        new Author("raw", Role.judge()), 0, TournamentOp.parse("drop p1").get()))),
                (chain, reply) -> reply instanceof SyncMessage.OpProcessor<TournamentOp> && !chain.terminal()
                        ? InitiatorAction.defer(decision)
                        : InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(20);
        store.release(); // the sync's mark is durable: the conflict is answered; the raw client thinks
        run(20);
        f.op("b", "b1", "register p2");
        run(20); // b1 is final in memory, its commit held: the decision arrives before it is durable
        decision.complete(InitiatorAction.reply(new SyncMessage.ProcessorDecision<>(Vector.of(OpId.of("x1")))));
        run(20);
        assertTrue(h.outcome().toCompletableFuture().getNow(null) == null, "the SyncFailed waits for b1's commit");
        store.release();
        run(50);
        assertEquals(new Outcome.Completed<>("SyncFailed"), h.outcome().toCompletableFuture().getNow(null),
                "the held rebase is not finalized on a stale base");
        settleReleasing();
        assertEquals("o0 r1 d1 b1", f.labels("hq"));
    }

    @Test
    void aConflictHeldWhileAnotherSyncCommitsIsSupersededOnceTheCommitIsDurable() {
        f.op("hq", "r1", "register p1");
        f.op("hq", "d1", "drop p1");
        settleReleasing();
        ChainHandle<String> h = raw.app().start(OplogProtocols.<TournamentOp>sync(), SyncFixture.HQ,
                new SyncMessage.OpSync<>(SyncFixture.LOG, OpId.of("r1"), Vector.of(new Operation<>(OpId.of("x1"),
                        new Author("raw", Role.judge()), 0, TournamentOp.parse("drop p1").get()))),
                (chain, reply) -> reply instanceof SyncMessage.OpProcessor<TournamentOp> && !chain.terminal()
                        ? InitiatorAction.defer(new CompletableFuture<>()) // thinks for ever
                        : InitiatorAction.complete(reply.getClass().getSimpleName()));
        run(20);
        store.release(); // the sync's mark is durable: the conflict is answered
        run(20);
        f.op("b", "b1", "register p2");
        run(20);
        assertTrue(h.outcome().toCompletableFuture().getNow(null) == null, "not superseded before b1 is durable");
        store.release();
        run(50);
        Outcome<String> outcome = h.outcome().toCompletableFuture().getNow(null);
        assertTrue(outcome instanceof Outcome.Superseded<String> s
                && s.info() instanceof SyncMessage.SyncFailed<?> failed
                && failed.ops().map(Operation::id).equals(Vector.of(OpId.of("d1"), OpId.of("b1"))),
                () -> "superseded with the durable ops after its anchor: " + outcome);
    }
}
