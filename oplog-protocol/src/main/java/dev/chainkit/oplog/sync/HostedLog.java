package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpDigest;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.HashSet;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log (one tournament) hosted by an {@link OplogServer}: its ops, its member registry, its sync chains and its
 * forwards. The server routes each sync to the log it names; everything here is about that one log.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Who may write.</b> A sync passes {@link Admission} first: the sending node (the one the transport
 *   authenticated, {@code ResponderChain.peer()}) must be a member, and every op new to the log must name that node
 *   in its registered role as author; otherwise it is refused whole ({@code NOT_A_MEMBER}, {@code FORGED_AUTHOR})
 *   and the log is untouched. The domain then checks what that role may do. Ops already in the log are not checked
 *   (they were when they came in). A decision is checked again: the member may have left, or changed role, while
 *   its user thought.</li>
 *   <li><b>Members.</b> The registry changes at run time ({@link #join}, {@link #leave}): at once in memory, and
 *   durably with the log's next commit, in the same transaction as ops and cursors. Every member but the server's
 *   own node gets forwards ({@link Forwarder}).</li>
 *   <li><b>Answering an {@code OpSync}.</b> Ops already in the log (by id, anywhere) are dropped first: dedup comes
 *   from the log, so it survives restarts. An unknown anchor gets a terminal {@code SyncRejected} carrying the
 *   whole log. Otherwise the remaining ops are applied in order on top of the log: if the anchor was the last op
 *   and every op applied, the answer is {@code SyncSuccess}; if the log had moved on, {@code
 *   SyncSuccessWithNewOps}. At the first op that does not apply, an {@code OpProcessor} goes back and the chain
 *   waits for a decision, holding the ops rebased so far uncommitted; the decision must drop the problematic op.</li>
 *   <li><b>Op identity.</b> An op whose id is in the log but whose content ({@link OpDigest}) differs is not a
 *   duplicate: the sync is refused with {@code SyncRejected(OP_ID_REUSED)} carrying the log's ops under those ids,
 *   and nothing of it is applied (a client whose store was rolled back named a new op with a used id).</li>
 *   <li><b>Commit before reply.</b> Finalized ops go into the in-memory log at once (later syncs rebase on the log as
 *   it will be) and are staged for the store ({@link GroupCommit}); the syncs that arrive while a commit is under
 *   way share the next commit. Every terminal answer that confirms or carries log content waits until the log is
 *   durable up to the size it was computed on ({@code ResponderAction.defer}), so no answer reveals an op a crash
 *   could lose, and answers leave in log order. Forwards carry only durable ops. A failed commit rolls the memory
 *   (log, cursors, members) back to what the store holds and answers the waiting syncs {@code
 *   SyncRejected(STORE_FAILED)}; their clients sync again later.</li>
 *   <li><b>Supersede.</b> A sync chain waiting for a decision holds a rebase on the log of its time. Once a change
 *   of the log is durable, such chains are superseded through the engine: their next message is answered {@code
 *   SyncFailed} ("sync failed, new operations available") with the durable log after their anchor. The chains
 *   whose answer is only waiting for durability are spared. A decision that arrives after the log changed but
 *   before the change is durable is answered {@code SyncFailed} itself. So a held, uncommitted rebase is never
 *   finalized on a stale base.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its server's node thread.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's op payload type
 */
public final class HostedLog<S, P> implements StateDigestible {

    private static final Logger log = LoggerFactory.getLogger(HostedLog.class);

    private final OplogServer.Context<S, P> ctx;
    private final String logId;
    private final GroupCommit<P> committer;
    private final Forwarder<P> forwarder;

    private OpLog<P> opLog;
    private S state;
    private Map<NodeId, Role> members;
    /** One more at every change of the in-memory log (growth, roll-back): a held rebase of another version is stale. */
    private long logVersion;
    private long opCounter;
    private long conflictRounds;

    HostedLog(OplogServer.Context<S, P> ctx, StoredLog<P> stored) {
        this.ctx = ctx;
        this.logId = stored.logId();
        this.opLog = stored.log();
        try {
            this.state = ctx.domain().replay(opLog);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("log " + logId + " in " + ctx.store() + " is damaged: " + e.getMessage(), e);
        }
        this.members = LinkedHashMap.ofEntries(stored.members());
        this.committer = new GroupCommit<>(ctx.store(), ctx.execution(), ctx.clock(), logId, opLog.size(),
                new GroupCommit.Listener<>() {
                    @Override
                    public void committed(LogAppend<P> batch, long latencyNs) {
                        onCommitted(batch, latencyNs);
                    }

                    @Override
                    public void failed(StoredLog<P> reloaded, String why) {
                        onCommitFailed(reloaded, why);
                    }
                });
        this.forwarder = new Forwarder<>(ctx.node(), ctx.scheduler(), logId, ctx.limits().maxOpsPerSync(),
                () -> opLog, committer::durableSize, this::isForwardTarget, committer::moveCursor);
        forwarder.reset(stored.cursors());
    }

    /** The log's id. */
    public String id() {
        return logId;
    }

    /** The log. */
    public OpLog<P> log() {
        return opLog;
    }

    /** The state the log folds into. */
    public S state() {
        return state;
    }

    /** The member registry: each member node with its role, in the order they joined. */
    public Map<NodeId, Role> members() {
        return members;
    }

    /** How many conflicts ({@code OpProcessor} answers) this log reported in this server incarnation. */
    public long conflictRounds() {
        return conflictRounds;
    }

    /** The position up to which {@code member} has the log or was sent it (0, the genesis, at first). */
    public int forwardCursor(NodeId member) {
        return forwarder.cursor(member);
    }

    /** How many ops of the log are durable in the store; the rest are being committed. */
    public int durableSize() {
        return committer.durableSize();
    }

    /** How many store commits of this log this server incarnation made (each may carry the ops of many syncs). */
    public long commits() {
        return committer.commits();
    }

    /** Whether nothing is being committed and no forward is in flight or waiting to be tried again. */
    public boolean isIdle() {
        return committer.idle() && forwarder.idle();
    }

    /**
     * Makes {@code member} a member in {@code role}, or changes its role: effective at once, durable with the next
     * commit. A new member is caught up by forwards from its cursor.
     *
     * @throws NullPointerException if an argument is null
     */
    public void join(NodeId member, Role role) {
        java.util.Objects.requireNonNull(member, "member");
        java.util.Objects.requireNonNull(role, "role");
        if (role.equals(members.get(member).getOrNull())) {
            return;
        }
        log.info("Log [{}]: [{}] is a member as [{}]", logId, member, role);
        members = members.put(member, role);
        committer.changeMember(member, Option.some(role));
        forwarder.pump(member);
    }

    /**
     * Removes {@code member}: its syncs and subscriptions are refused from now on ({@code NOT_A_MEMBER}) and it gets
     * no more forwards; durable with the next commit. Its ops stay in the log.
     *
     * @throws NullPointerException if {@code member} is null
     */
    public void leave(NodeId member) {
        if (!members.containsKey(java.util.Objects.requireNonNull(member, "member"))) {
            return;
        }
        log.info("Log [{}]: [{}] is no longer a member", logId, member);
        members = members.remove(member);
        committer.changeMember(member, Option.none());
    }

    /**
     * Makes an op as the server's own user, authored by the server's node in its role in this log: it applies at
     * once and is final; once durable it supersedes the syncs waiting for a decision and is forwarded to every
     * member. Should its commit fail, the log is rolled back to what the store holds, this op included.
     *
     * @param id the op's id, or null to number it {@code node.incarnation.N}
     * @param payload what the op does
     * @return the op, or why it does not apply (then nothing changed); {@code unauthorized} if the server's node is
     *     not a member of this log
     * @throws IllegalArgumentException if an op with that id is already in the log
     */
    public Either<OpError, Operation<P>> submit(OpId id, P payload) {
        NodeId self = ctx.node().id();
        Option<Role> role = members.get(self);
        if (role.isEmpty()) {
            return Either.left(OpError.unauthorized("node " + self + " is not a member of log " + logId));
        }
        OpId opId = id != null ? id : OpId.of(self.name() + "." + ctx.node().incarnation() + "." + (++opCounter));
        if (opLog.contains(opId)) {
            throw new IllegalArgumentException("op id " + opId + " is already in log " + logId + " of " + self);
        }
        Operation<P> op = new Operation<>(opId, new Author(self.name(), role.get()),
                TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime()), payload);
        Either<OpError, S> next = ctx.domain().apply(state, op);
        if (next.isLeft()) {
            return Either.left(next.getLeft());
        }
        finalizeOps(Vector.of(op), next.get(), null);
        return Either.right(op);
    }

    /** Forwards what the cursors say the members still lack (after a restart). */
    void forwardOwed() {
        forwarder.pumpAll(members.keySet());
    }

    // ---------------------------------------------------------------- the subscribe chain (responder)

    SubscribeMessage<P> onSubscribe(NodeId peer) {
        Option<Role> role = members.get(peer);
        if (role.isEmpty()) {
            refused(peer, SyncMessage.SyncRejected.Reason.NOT_A_MEMBER);
            return new SubscribeMessage.Refused<>(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER,
                    "node " + peer + " is not a member of log " + logId);
        }
        forwarder.resume(peer);
        return new SubscribeMessage.Subscribed<>(logId, role.get(), opLog.first());
    }

    // ---------------------------------------------------------------- the sync chain (responder)

    ResponderAction<SyncMessage<P>> onOpSync(ResponderChain chain, SyncMessage.OpSync<P> sync) {
        if (!opLog.contains(sync.anchor())) {
            Optional<SyncMessage.SyncRejected<P>> refusal = ctx.admission().authors(logId, chain.peer(),
                    members.get(chain.peer()), Vector.empty());
            if (refusal.isPresent()) {
                return refuse(chain, refusal.get());
            }
            log.warn("Sync chain [{}] from [{}] has unknown anchor [{}]", chain.id(), chain.peer(), sync.anchor());
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.UNKNOWN_ANCHOR, "anchor " + sync.anchor()
                    + " is not in the log", opLog.ops())));
        }
        Vector<Operation<P>> fresh = sync.ops().filter(op -> !opLog.contains(op.id()));
        Optional<SyncMessage.SyncRejected<P>> refusal = ctx.admission().authors(logId, chain.peer(),
                members.get(chain.peer()), fresh);
        if (refusal.isPresent()) {
            return refuse(chain, refusal.get());
        }
        Vector<Operation<P>> taken = sync.ops().filter(op -> opLog.contains(op.id()));
        Vector<Operation<P>> reused = taken.filter(theirs -> !OpDigest.sameContent(
                opLog.get(opLog.indexOf(theirs.id())), theirs, ctx.domain().payloads()))
                .map(theirs -> opLog.get(opLog.indexOf(theirs.id())));
        if (!reused.isEmpty()) {
            log.warn("Sync chain [{}] from [{}] reuses op ids [{}] for other ops; refused", chain.id(), chain.peer(),
                    reused.map(Operation::id).mkString(", "));
            refused(chain.peer(), SyncMessage.SyncRejected.Reason.OP_ID_REUSED);
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.OP_ID_REUSED, "op ids " + reused.map(Operation::id).mkString(", ")
                    + " already name other ops in log " + logId, reused)));
        }
        Attempt<S, P> attempt = new Attempt<>(sync.anchor(), sync.ops().map(Operation::id), opLog.last().id(),
                logVersion, state, Vector.empty(), null, PlantedFaults.planted(
                        PlantedFaults.Fault.SERVER_APPENDS_OPS_IT_HAS) ? sync.ops() : fresh); // see PlantedFaults
        return rebase(chain, attempt);
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
        Optional<SyncMessage.SyncRejected<P>> refusal = ctx.admission().authors(logId, chain.peer(),
                members.get(chain.peer()), remaining); // the member may have left or changed role meanwhile
        if (refusal.isPresent()) {
            chain.setState(null);
            return refuse(chain, refusal.get());
        }
        if (attempt.logVersion() != logVersion) { // the log changed since the conflict; the change is not yet durable
            chain.setState(null);
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncFailed<>(attempt.anchor(),
                    opLog.contains(attempt.anchor()) ? opLog.opsAfter(attempt.anchor()) : Vector.empty())));
        }
        return rebase(chain, attempt.withRemaining(remaining));
    }

    private ResponderAction<SyncMessage<P>> refuse(ResponderChain chain, SyncMessage.SyncRejected<P> refusal) {
        log.warn("Sync chain [{}] from [{}] on log [{}] refused: {}", chain.id(), chain.peer(), logId, refusal);
        refused(chain.peer(), refusal.reason());
        return ResponderAction.replyAndTerminate(refusal);
    }

    private void refused(NodeId peer, SyncMessage.SyncRejected.Reason reason) {
        OplogServer.tell(() -> ctx.listener().refused(logId, peer, reason));
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
        finalizeOps(applied, current, chain.peer());
        if (attempt.anchor().equals(attempt.tipAtStart()) && applied.map(Operation::id).equals(attempt.sentIds())) {
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncSuccess<>(opLog.last().id())));
        }
        return whenDurable(ResponderAction.replyAndTerminate(
                new SyncMessage.SyncSuccessWithNewOps<>(attempt.anchor(), opLog.opsAfter(attempt.anchor()))));
    }

    /**
     * {@code answer}, computed on the log as it is now, sent once the log is durable up to its present size: at
     * once if it is, else deferred; if a commit fails first, the answer is {@code SyncRejected(STORE_FAILED)}.
     */
    private ResponderAction<SyncMessage<P>> whenDurable(ResponderAction<SyncMessage<P>> answer) {
        int size = opLog.size();
        if (committer.durableSize() >= size) {
            return answer;
        }
        return ResponderAction.defer(committer.durable(size).handle((ok, failure) -> failure == null ? answer
                : ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                        SyncMessage.SyncRejected.Reason.STORE_FAILED, "the server could not make the log durable; "
                        + "sync again later", Vector.empty()))));
    }

    /**
     * Finalizes {@code ops} (already applied into {@code newState}) in memory and stages them for the store;
     * {@code origin} (null for the server's own ops) has everything up to the end of the log once its chain's
     * answer arrives.
     */
    private void finalizeOps(Vector<Operation<P>> ops, S newState, NodeId origin) {
        if (!ops.isEmpty()) {
            opLog = opLog.appendAll(ops);
            state = newState;
            logVersion++;
            committer.append(ops);
        }
        if (origin != null && !PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN)) {
            forwarder.advance(origin, opLog.size() - 1); // see PlantedFaults
        }
    }

    private boolean isForwardTarget(NodeId node) {
        return members.containsKey(node) && !node.equals(ctx.node().id());
    }

    /** On the node's thread, after the answers waiting for {@code batch} were sent. */
    private void onCommitted(LogAppend<P> batch, long latencyNs) {
        OplogServer.tell(() -> ctx.listener().committed(logId, batch.ops().size(), batch.sizeAfter(), latencyNs));
        if (batch.ops().isEmpty()) {
            return;
        }
        int superseded = supersedeStaleAttempts();
        if (superseded > 0) {
            log.debug("Log of [{}] is durable up to [{}] ops; superseded [{}] sync chains", logId,
                    committer.durableSize(), superseded);
        }
        forwarder.pumpAll(members.keySet());
    }

    /** On the node's thread, after the answers waiting for the failed commit were failed. */
    private void onCommitFailed(StoredLog<P> reloaded, String why) {
        OpLog<P> durable = reloaded != null ? reloaded.log()
                : opLog.truncateAfter(opLog.get(committer.durableSize() - 1).id());
        log.warn("Commit to log [{}] failed ({}); the log of [{}] ops in memory gives way to the [{}] ops the "
                + "store holds", logId, why, opLog.size(), durable.size());
        OplogServer.tell(() -> ctx.listener().commitFailed(logId, why));
        opLog = durable;
        state = ctx.domain().replay(opLog);
        logVersion++;
        if (reloaded != null) {
            forwarder.reset(reloaded.cursors());
            members = LinkedHashMap.ofEntries(reloaded.members());
        } else { // a cursor past the rolled-back log would skip the ops that will take those positions
            forwarder.clampTo(opLog.size());
        }
        supersedeStaleAttempts();
        forwarder.pumpAll(members.keySet());
    }

    private int supersedeStaleAttempts() {
        return ctx.node().supersede(OplogProtocols.<P>sync(), logId,
                chain -> chain.state() instanceof Attempt<?, ?> a && a.logVersion() != logVersion,
                this::syncFailedFor);
    }

    /** "Sync failed, new operations available" with the durable ops after the chain's anchor. */
    private SyncMessage<P> syncFailedFor(ResponderChain chain) {
        @SuppressWarnings("unchecked")
        Attempt<S, P> attempt = (Attempt<S, P>) chain.state();
        int from = opLog.indexOf(attempt.anchor()) + 1;
        int to = committer.durableSize();
        return new SyncMessage.SyncFailed<>(attempt.anchor(),
                from > 0 && from < to ? opLog.ops().slice(from, to) : Vector.empty());
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

    /**
     * Writes the hosted log's state for a model checker (see {@link StateSink}): its log, members, version and op
     * counter, what is being committed and what is being forwarded. Left out: the state (the replay of the log) and
     * the counters.
     */
    @Override
    public void digest(StateSink sink) {
        sink.putString(logId);
        StateDigests.putOps(sink, opLog.ops());
        StateDigests.putByNode(sink, members.toJavaMap());
        sink.putLong(logVersion).putLong(opCounter);
        committer.digest(sink);
        forwarder.digest(sink);
    }

    @Override
    public String toString() {
        return "HostedLog[" + logId + " of " + opLog.size() + " ops, " + members.size() + " members]";
    }
}
