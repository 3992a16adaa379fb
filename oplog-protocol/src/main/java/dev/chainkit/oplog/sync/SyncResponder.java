package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.OpDigest;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.HashSet;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the sync chains of one {@link HostedLog}, as the design note says: fast-forward, rebase, OpProcessor, "sync
 * failed, new operations available".
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Answering an {@code OpSync}.</b> Ops already in the log (by id, anywhere) are dropped first: dedup comes
 *   from the log, so it survives restarts. An unknown anchor gets a terminal {@code SyncRejected} carrying the
 *   whole log; on a shared store the log's tail is read first (the anchor may be another server's op this server
 *   has not heard of yet), and the sync is answered on the log as it is then. Otherwise the remaining ops are
 *   applied in order on top of the log: if the anchor was the last op and every op applied, the answer is {@code
 *   SyncSuccess}; if the log had moved on, {@code SyncSuccessWithNewOps}. At the first op that does not apply, an
 *   {@code OpProcessor} goes back and the chain waits for a decision, holding the ops rebased so far uncommitted
 *   (an {@link Attempt}); the decision must drop the problematic op.</li>
 *   <li><b>Each sync chain is taken up once.</b> The engine answers a chain's copies from its reply cache and
 *   tombstones, but a server that restarted has neither, and would answer a network copy of an old {@code OpSync} as
 *   a new sync: it could bring back an op its user dropped since (skipped on an {@code OpProcessor}, refused, or
 *   dropped in a local rebase), once a later log lets the op apply. So a log keeps, durably and per member, the
 *   newest sync chain it took up ({@link SyncMark}: a client's chain ids only grow, and it runs one sync of a log at a
 *   time, as {@link OplogClient} does). The chain of the mark itself, met again after a restart, is answered "sync
 *   failed, new operations available" with the log after its anchor (its client may still wait: its answer was lost
 *   in the crash; it adopts what the answer carries and syncs the rest in a newer chain). An older chain is refused,
 *   {@code INCARNATION_REGRESSED} or {@code INCARNATION_REUSED}: only a copy from the past, whose answer reaches no
 *   one, or a node whose incarnation went back or was reused, which must be told rather than loop. Neither applies
 *   anything, moves a cursor or takes a client over. A sync is taken up after the membership and anchor checks,
 *   which apply nothing either; if it carries ops new to the log, its first answer, whatever it is (a refusal, an
 *   {@code OpProcessor}, a success, a supersede), waits until its mark is durable, and a mark commit that finds the
 *   store's mark as new or newer (another server on a shared store took the chain or a newer one up first) is an
 *   append conflict: the chain is answered "sync failed" and nothing of it lands. A sync without new ops costs no
 *   write: a copy of it can bring nothing back.</li>
 *   <li><b>Op identity.</b> An op whose id is in the log but whose content ({@link OpDigest}) differs is not a
 *   duplicate: the sync is refused with {@code SyncRejected(OP_ID_REUSED)} carrying the log's ops under those ids,
 *   and nothing of it is applied (a client whose store was rolled back named a new op with a used id).</li>
 *   <li><b>Commit before reply.</b> A success computed on a log that is not yet durable is deferred until it is; the
 *   chain then holds a {@link Waiting} mark with its anchor, so that if the commit is lost to another server's
 *   append the chain can be superseded with the durable log after its anchor. A commit that throws answers it
 *   {@code SyncRejected(STORE_FAILED)}.</li>
 *   <li><b>Stale rebases.</b> A decision that arrives after the log changed (the change perhaps not yet durable) is
 *   answered {@code SyncFailed} with the log after its anchor; a held rebase is never finalized on a stale base.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the server's node thread.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's op payload type
 */
final class SyncResponder<S, P> {

    private static final Logger log = LoggerFactory.getLogger(SyncResponder.class);

    private final HostedLog<S, P> hosted;
    private final OplogServer.Context<S, P> ctx;
    private final String logId;
    private long conflictRounds;
    private long staleSyncs;

    SyncResponder(HostedLog<S, P> hosted) {
        this.hosted = hosted;
        this.ctx = hosted.ctx();
        this.logId = hosted.id();
    }

    long conflictRounds() {
        return conflictRounds;
    }

    long staleSyncs() {
        return staleSyncs;
    }

    ResponderAction<SyncMessage<P>> onOpSync(ResponderChain chain, SyncMessage.OpSync<P> sync) {
        return onOpSync(chain, sync, hosted.shared());
    }

    /**
     * @param mayRead whether an unknown anchor may first make the server read the log's tail (a shared store, and
     *     not read for this sync yet)
     */
    private ResponderAction<SyncMessage<P>> onOpSync(ResponderChain chain, SyncMessage.OpSync<P> sync,
            boolean mayRead) {
        LogView<S, P> view = hosted.view();
        OpLog<P> opLog = view.log();
        NodeId peer = chain.peer();
        Optional<SyncMessage.SyncRejected<P>> notMember = ctx.admission().authors(logId, peer,
                view.members().get(peer), Vector.empty());
        if (notMember.isPresent()) {
            return refuse(chain, notMember.get());
        }
        if (!opLog.contains(sync.anchor())) {
            if (mayRead) {
                log.debug("Sync chain [{}] from [{}] has anchor [{}], unknown here: reading log [{}] first",
                        chain.id(), peer, sync.anchor(), logId);
                CompletableFuture<Void> read = hosted.refresh();
                return ResponderAction.defer(read.handle((ok, failure) -> null)
                        .thenCompose(x -> answerOf(onOpSync(chain, sync, false))));
            }
            log.warn("Sync chain [{}] from [{}] has unknown anchor [{}]", chain.id(), peer, sync.anchor());
            return whenDurable(chain, null, ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.UNKNOWN_ANCHOR, "anchor " + sync.anchor()
                    + " is not in the log", opLog.ops())));
        }
        SyncMark mark = SyncMark.of(chain.id());
        Option<SyncMark> newest = view.syncMarks().get(peer);
        if (newest.isDefined() && newest.get().compareTo(mark) > 0) {
            return refuseOlder(chain, mark, newest.get());
        }
        if (newest.isDefined() && newest.get().equals(mark)) {
            staleSyncs++;
            log.info("Sync chain [{}] from [{}] on log [{}] was taken up before this server's restart: answered "
                    + "'sync failed' without applying it", chain.id(), peer, logId);
            return whenDurable(chain, null, ResponderAction.replyAndTerminate(syncFailedAfter(sync.anchor())));
        }
        view.takeUp(peer, mark);
        Vector<Operation<P>> fresh = sync.ops().filter(op -> !opLog.contains(op.id()));
        if (fresh.isEmpty()) { // a copy of it could bring nothing back: its mark need not be durable first
            return takenUp(chain, sync, fresh);
        }
        CompletableFuture<Void> taken = hosted.committer().mark(peer, mark);
        return afterTakeUp(taken, sync.anchor(), takenUp(chain, sync, fresh));
    }

    /**
     * Refuses a sync chain older than {@code newest}, the newest of its member the log took up: no one waits for
     * it (a copy from the past), unless its node restarted without a new incarnation, or with an older one.
     */
    private ResponderAction<SyncMessage<P>> refuseOlder(ResponderChain chain, SyncMark mark, SyncMark newest) {
        staleSyncs++;
        NodeId peer = chain.peer();
        boolean regressed = newest.incarnation() > mark.incarnation();
        // info, not warn: on a network that copies and delays, old copies are normal; a node that waits for the
        // refusal is told, and the listener counts it
        log.info("Sync chain [{}] from [{}] on log [{}] is older than [{}], the newest of its syncs the log took up: a "
                + "copy from the past, or a node whose incarnation {}; refused", chain.id(), peer, logId, newest,
                regressed ? "went back" : "was reused");
        String detail = "node " + peer + " synced log " + logId + " in chain " + newest + " (incarnation/sequence) "
                + "already; this sync is chain " + mark + ". If this node waits for it, it ";
        SyncMessage.SyncRejected<P> refusal = regressed
                ? new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.INCARNATION_REGRESSED, detail
                        + "started with an older incarnation (its incarnation file was lost or replaced): give it an "
                        + "incarnation above " + newest.incarnation(), Vector.empty())
                : new SyncMessage.SyncRejected<>(SyncMessage.SyncRejected.Reason.INCARNATION_REUSED, detail
                        + "restarted without a new incarnation: keep its incarnation in an incarnation file",
                        Vector.empty());
        hosted.refused(peer, refusal.reason());
        return ResponderAction.replyAndTerminate(refusal);
    }

    /**
     * Answers a sync chain taken up, whose ops new to the log are {@code fresh}: refuses it, reports a conflict, or
     * applies it.
     */
    private ResponderAction<SyncMessage<P>> takenUp(ResponderChain chain, SyncMessage.OpSync<P> sync,
            Vector<Operation<P>> fresh) {
        LogView<S, P> view = hosted.view();
        OpLog<P> opLog = view.log();
        NodeId peer = chain.peer();
        Optional<SyncMessage.SyncRejected<P>> tooBig = ctx.admission().sizes(sync);
        if (tooBig.isPresent()) {
            return refuse(chain, tooBig.get());
        }
        Optional<SyncMessage.SyncRejected<P>> refusal = ctx.admission().authors(logId, peer,
                view.members().get(peer), fresh);
        if (refusal.isPresent()) {
            return refuse(chain, refusal.get());
        }
        Vector<Operation<P>> reused = Vector.empty(); // ours, under ids the sync names for other ops
        for (Operation<P> theirs : sync.ops().filter(op -> opLog.contains(op.id()))) {
            Operation<P> ours = opLog.get(opLog.indexOf(theirs.id()));
            if (!OpDigest.sameContent(ours, theirs, ctx.domain().payloads())) {
                reused = reused.append(ours);
            }
        }
        if (!reused.isEmpty()) {
            log.warn("Sync chain [{}] from [{}] reuses op ids [{}] for other ops; refused", chain.id(), peer,
                    reused.map(Operation::id).mkString(", "));
            hosted.refused(peer, SyncMessage.SyncRejected.Reason.OP_ID_REUSED);
            return whenDurable(chain, null, ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.OP_ID_REUSED, "op ids " + reused.map(Operation::id).mkString(", ")
                    + " already name other ops in log " + logId, reused)));
        }
        hosted.attach(peer);
        Attempt<S, P> attempt = new Attempt<>(sync.anchor(), sync.ops().map(Operation::id), opLog.last().id(),
                view.version(), view.state(), Vector.empty(), null, PlantedFaults.planted(
                        PlantedFaults.Fault.SERVER_APPENDS_OPS_IT_HAS) ? sync.ops() : fresh); // see PlantedFaults
        return rebase(chain, attempt);
    }

    /**
     * {@code action}, the first answer of a sync chain taken up, once the chain's sync mark is durable ({@code
     * taken}): at once if it is, else deferred. If another server took up this chain or a newer one of its member
     * first, "sync failed" with the durable ops after {@code anchor} instead; if the mark's commit fails, {@code
     * SyncRejected(STORE_FAILED)} (the client syncs again, in a newer chain).
     */
    private ResponderAction<SyncMessage<P>> afterTakeUp(CompletableFuture<Void> taken, OpId anchor,
            ResponderAction<SyncMessage<P>> action) {
        if (taken.isDone() && !taken.isCompletedExceptionally()) {
            return action;
        }
        return ResponderAction.defer(taken.handle((ok, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return answerOf(action);
            }
            return CompletableFuture.completedFuture(lostRace(failure)
                    ? ResponderAction.replyAndTerminate(syncFailedAfter(anchor)) : storeFailed());
        }));
    }

    /** Whether a durability stage failed because another server's append came first (not a store error). */
    private static boolean lostRace(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        return cause instanceof GroupCommit.LostRace;
    }

    /** The answer to a sync whose answer cannot be made durable. */
    private static <P> ResponderAction<SyncMessage<P>> storeFailed() {
        return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                SyncMessage.SyncRejected.Reason.STORE_FAILED, "the server could not make the log durable; sync again "
                + "later", Vector.empty()));
    }

    /** The answer a deferred action stands for, as a stage (a chain's deferred answer must not defer again). */
    @SuppressWarnings("unchecked")
    private static <M> CompletionStage<ResponderAction<M>> answerOf(ResponderAction<M> action) {
        if (action instanceof ResponderAction.Defer<M> d) {
            return (CompletionStage<ResponderAction<M>>) d.answer();
        }
        return CompletableFuture.completedFuture(action);
    }

    ResponderAction<SyncMessage<P>> onDecision(ResponderChain chain, SyncMessage.ProcessorDecision<P> decision) {
        @SuppressWarnings("unchecked")
        Attempt<S, P> attempt = (Attempt<S, P>) chain.state();
        if (!decision.dropped().contains(attempt.problematic().id())) {
            log.warn("Sync chain [{}]: decision {} keeps the problematic op [{}]", chain.id(), decision.dropped(),
                    attempt.problematic().id());
            return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.INVALID_DECISION, "the decision must drop the problematic op "
                    + attempt.problematic().id(), Vector.empty()));
        }
        HashSet<OpId> dropped = HashSet.ofAll(decision.dropped());
        Vector<Operation<P>> remaining = attempt.remaining().filter(op -> !dropped.contains(op.id()));
        LogView<S, P> view = hosted.view();
        Optional<SyncMessage.SyncRejected<P>> refusal = ctx.admission().authors(logId, chain.peer(),
                view.members().get(chain.peer()), remaining); // the member may have left or changed role meanwhile
        if (refusal.isPresent()) {
            chain.setState(null);
            return refuse(chain, refusal.get());
        }
        if (attempt.logVersion() != view.version()) { // the log changed since the conflict, perhaps not yet durably
            chain.setState(null);
            OpLog<P> opLog = view.log();
            return whenDurable(chain, null, ResponderAction.replyAndTerminate(new SyncMessage.SyncFailed<>(
                    attempt.anchor(), opLog.contains(attempt.anchor()) ? opLog.opsAfter(attempt.anchor())
                    : Vector.empty())));
        }
        return rebase(chain, attempt.withRemaining(remaining));
    }

    private ResponderAction<SyncMessage<P>> refuse(ResponderChain chain, SyncMessage.SyncRejected<P> refusal) {
        log.warn("Sync chain [{}] from [{}] on log [{}] refused: {}", chain.id(), chain.peer(), logId, refusal);
        hosted.refused(chain.peer(), refusal.reason());
        return ResponderAction.replyAndTerminate(refusal);
    }

    /** Applies the attempt's remaining ops; answers a conflict, or commits and answers success. */
    private ResponderAction<SyncMessage<P>> rebase(ResponderChain chain, Attempt<S, P> attempt) {
        S current = attempt.state();
        Vector<Operation<P>> applied = attempt.applied();
        Vector<Operation<P>> remaining = attempt.remaining();
        while (!remaining.isEmpty()) {
            Operation<P> op = remaining.head();
            remaining = remaining.tail();
            Either<OpError, S> next = ctx.domain().apply(current, op);
            if (next.isLeft()) {
                conflictRounds++;
                chain.setState(new Attempt<>(attempt.anchor(), attempt.sentIds(), attempt.tipAtStart(),
                        attempt.logVersion(), current, applied, op, remaining));
                log.debug("Sync chain [{}]: op [{}] conflicts: {}", chain.id(), op.id(), next.getLeft());
                return ResponderAction.reply(new SyncMessage.OpProcessor<>(remaining, applied, op, next.getLeft()));
            }
            current = next.get();
            applied = applied.append(op);
        }
        chain.setState(null);
        hosted.finalizeOps(applied, current);
        hosted.synced(chain.peer(), attempt.anchor(), attempt.sentIds(), !applied.isEmpty());
        OpLog<P> opLog = hosted.view().log();
        if (attempt.anchor().equals(attempt.tipAtStart()) && applied.map(Operation::id).equals(attempt.sentIds())) {
            return whenDurable(chain, attempt.anchor(), ResponderAction.replyAndTerminate(
                    new SyncMessage.SyncSuccess<>(opLog.last().id())));
        }
        return whenDurable(chain, attempt.anchor(), ResponderAction.replyAndTerminate(
                new SyncMessage.SyncSuccessWithNewOps<>(attempt.anchor(), opLog.opsAfter(attempt.anchor()))));
    }

    /**
     * {@code answer}, computed on the log as it is now, sent once the log is durable up to its present size: at
     * once if it is, else deferred (the chain marked {@link Waiting} on {@code anchor}, when it has one, so a lost
     * commit can supersede it); if its ops are lost to another server's append first, and the chain was not
     * superseded (its mark was not yet durable), the answer is "sync failed" with the durable ops after {@code
     * anchor}; if a commit fails, {@code SyncRejected(STORE_FAILED)}.
     */
    private ResponderAction<SyncMessage<P>> whenDurable(ResponderChain chain, OpId anchor,
            ResponderAction<SyncMessage<P>> answer) {
        int size = hosted.view().log().size();
        GroupCommit<P> committer = hosted.committer();
        if (committer.durableSize() >= size) {
            return answer;
        }
        if (anchor != null) {
            chain.setState(new Waiting(anchor));
        }
        return ResponderAction.defer(committer.durable(size).handle((ok, failure) -> {
            if (failure == null) {
                return answer;
            }
            return anchor != null && lostRace(failure)
                    ? ResponderAction.replyAndTerminate(syncFailedAfter(anchor)) : storeFailed();
        }));
    }

    /**
     * Supersedes, with "sync failed, new operations available", the sync chains that hold a rebase on an older
     * version of the log and, if {@code lostCommits}, those whose answers waited for ops that will never be durable;
     * only chains whose sync mark is durable, since that answer is a first answer too (a client may drop an op in
     * the rebase it makes on it). The others answer once their mark is durable: an {@code OpProcessor} whose
     * decision then meets the changed log, or {@code STORE_FAILED} for ops that were lost.
     *
     * @return how many chains were superseded
     */
    int supersede(boolean lostCommits) {
        long version = hosted.view().version();
        GroupCommit<P> committer = hosted.committer();
        return ctx.node().supersede(OplogProtocols.<P>sync(), logId,
                chain -> committer.markDurable(chain.peer(), SyncMark.of(chain.id()))
                        && (chain.state() instanceof Attempt<?, ?> a && a.logVersion() != version
                        || lostCommits && chain.state() instanceof Waiting),
                this::syncFailedFor);
    }

    /** "Sync failed, new operations available" with the durable ops after the chain's anchor. */
    private SyncMessage<P> syncFailedFor(ResponderChain chain) {
        return syncFailedAfter(chain.state() instanceof Attempt<?, ?> a ? a.anchor()
                : ((Waiting) chain.state()).anchor());
    }

    /** "Sync failed, new operations available" with the durable ops after {@code anchor}. */
    private SyncMessage.SyncFailed<P> syncFailedAfter(OpId anchor) {
        OpLog<P> opLog = hosted.view().log();
        int from = opLog.indexOf(anchor) + 1;
        int to = hosted.committer().durableSize();
        return new SyncMessage.SyncFailed<>(anchor, from > 0 && from < to ? opLog.ops().slice(from, to)
                : Vector.empty());
    }

    /**
     * A sync chain's place while it waits for a decision: what it was about and the ops rebased so far,
     * uncommitted.
     */
    record Attempt<S, P>(OpId anchor, Vector<OpId> sentIds, OpId tipAtStart, long logVersion, S state,
            Vector<Operation<P>> applied, Operation<P> problematic, Vector<Operation<P>> remaining)
            implements StateDigestible {

        /** Writes the attempt (the state left out: it is the replay of the log and the applied ops). */
        @Override
        public void digest(StateSink sink) {
            sink.putString(anchor.value());
            StateDigests.putIds(sink, sentIds);
            sink.putString(tipAtStart.value()).putLong(logVersion);
            StateDigests.putOps(sink, applied);
            StateDigests.putOp(sink, problematic);
            StateDigests.putOps(sink, remaining);
        }

        Attempt<S, P> withRemaining(Vector<Operation<P>> newRemaining) {
            return new Attempt<>(anchor, sentIds, tipAtStart, logVersion, state, applied, null, newRemaining);
        }
    }

    /** A sync chain whose answer waits for its ops to be durable; {@code anchor} is the sync's anchor. */
    record Waiting(OpId anchor) implements StateDigestible {

        @Override
        public void digest(StateSink sink) {
            sink.putString(anchor.value());
        }
    }
}
