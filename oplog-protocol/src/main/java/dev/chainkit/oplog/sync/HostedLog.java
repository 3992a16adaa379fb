package dev.chainkit.oplog.sync;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 *   its user thought. How a sync is answered is {@link SyncResponder}'s.</li>
 *   <li><b>Members.</b> The registry changes at run time ({@link #join}, {@link #leave}): at once in memory, and
 *   durably with the log's next commit, in the same transaction as ops and cursors. Every member but the server's
 *   own node gets forwards ({@link Forwarder}); on a shared store, only the members this server serves.</li>
 *   <li><b>Commit before reply.</b> Finalized ops go into the in-memory log at once (later syncs rebase on the log as
 *   it will be) and are staged for the store ({@link GroupCommit}); the syncs that arrive while a commit is under
 *   way share the next commit. Every answer that confirms or carries log content waits until the log is durable up
 *   to the size it was computed on, so no answer reveals an op a crash could lose, and answers leave in log order.
 *   Forwards carry only durable ops.</li>
 *   <li><b>The view and the store.</b> The in-memory log is a {@link LogView}: the durable prefix, then the
 *   speculative ops being committed. A commit that throws rolls the view back to the durable prefix (the waiting
 *   syncs are answered {@code SyncRejected(STORE_FAILED)}; their clients sync again). On a shared store the view
 *   also moves when another server appended: a commit that lost the race, a hint, or a sync naming an op this
 *   server does not know makes it read the log's tail ({@link #onHint}); the speculative ops are dropped, the tail
 *   appended, and every sync that held a rebase or waited for a lost commit is superseded with "sync failed, new
 *   operations available", carrying the durable log after its anchor. The server's own ops that were lost are
 *   applied again on the new log (or dropped, with the reason, if they no longer apply,
 *   {@link #droppedOwnOps()}).</li>
 *   <li><b>Supersede.</b> A sync chain waiting for a decision holds a rebase on the log of its time. Once a change
 *   of the log is durable, such chains are superseded through the engine: their next message is answered {@code
 *   SyncFailed} with the durable log after their anchor. The chains whose answer is only waiting for durability
 *   are spared (unless their ops were lost).</li>
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
    private final NodeId self;
    private final boolean shared;
    private final LogView<S, P> view;
    private final GroupCommit<P> committer;
    private final Forwarder<P> forwarder;
    private final SyncResponder<S, P> syncs;
    private final java.util.Map<OpId, String> droppedOwn = new LinkedHashMap<>();
    private long opCounter;

    HostedLog(OplogServer.Context<S, P> ctx, StoredLog<P> stored) {
        this.ctx = ctx;
        this.logId = stored.logId();
        this.self = ctx.node().id();
        this.shared = ctx.store().shared();
        try {
            this.view = new LogView<>(ctx.domain(), stored);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("log " + logId + " in " + ctx.store() + " is damaged: " + e.getMessage(), e);
        }
        this.committer = new GroupCommit<>(ctx.store(), ctx.execution(), ctx.clock(), logId, view.log().size(),
                stored.syncMarks(),
                new GroupCommit.Listener<>() {
                    @Override
                    public void committed(LogAppend<P> batch, long latencyNs) {
                        onCommitted(batch, latencyNs);
                    }

                    @Override
                    public void reloaded(LogTail<P> tail, Vector<Operation<P>> lost, GroupCommit.Reload why) {
                        onReloaded(tail, lost, why);
                    }

                    @Override
                    public void failed(String why) {
                        onCommitFailed(why);
                    }
                });
        this.forwarder = new Forwarder<>(ctx.node(), ctx.scheduler(), logId, ctx.limits().maxOpsPerSync(),
                view::log, committer::durableSize, this::isMember, this::servesHere, committer::moveCursor);
        forwarder.reset(stored.cursors());
        this.syncs = new SyncResponder<>(this);
    }

    /** The log's id. */
    public String id() {
        return logId;
    }

    /** The log: the durable ops, then those being committed. */
    public OpLog<P> log() {
        return view.log();
    }

    /** The state the log folds into. */
    public S state() {
        return view.state();
    }

    /** The member registry: each member node with its role, in the order they joined. */
    public Map<NodeId, Role> members() {
        return view.members();
    }

    /** How many conflicts ({@code OpProcessor} answers) this log reported in this server incarnation. */
    public long conflictRounds() {
        return syncs.conflictRounds();
    }

    /**
     * How many syncs this log answered without taking them up in this server incarnation: copies of sync chains
     * not newer than the newest its member had opened here before (see {@link SyncMark}), which reached the server
     * after it restarted ("sync failed"), or syncs from an older incarnation of their node ({@code
     * INCARNATION_REGRESSED}).
     */
    public long staleSyncs() {
        return syncs.staleSyncs();
    }

    /** The position up to which {@code member} has the log or was sent it (0, the genesis, at first). */
    public int forwardCursor(NodeId member) {
        return forwarder.cursor(member);
    }

    /**
     * Whether this server forwards to {@code member}: a member other than the server's node that, on a shared
     * store, this server serves (it last synced or subscribed here; until a client did, no server forwards to it,
     * and the other servers, members too, are never forwarded to).
     */
    public boolean servesHere(NodeId member) {
        return isMember(member) && (!shared || view.servedBy(member).contains(self));
    }

    /** How many ops of the log are durable in the store; the rest are being committed. */
    public int durableSize() {
        return committer.durableSize();
    }

    /** How many store commits of this log this server incarnation made (each may carry the ops of many syncs). */
    public long commits() {
        return committer.commits();
    }

    /**
     * The server's own ops ({@link #submit}) that were lost to another server's append and no longer applied on the
     * log as it turned out, each with the reason: they are in no log. A read-only view.
     */
    public java.util.Map<OpId, String> droppedOwnOps() {
        return Collections.unmodifiableMap(droppedOwn);
    }

    /** Whether nothing is being committed or read and no forward is in flight or waiting to be tried again. */
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
        if (role.equals(view.members().get(member).getOrNull())) {
            return;
        }
        log.info("Log [{}]: [{}] is a member as [{}]", logId, member, role);
        view.putMember(member, role);
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
        if (!view.members().containsKey(java.util.Objects.requireNonNull(member, "member"))) {
            return;
        }
        log.info("Log [{}]: [{}] is no longer a member", logId, member);
        view.removeMember(member);
        committer.changeMember(member, Option.none());
    }

    /**
     * Makes an op as the server's own user, authored by the server's node in its role in this log: it applies at
     * once and is final; once durable it supersedes the syncs waiting for a decision and is forwarded to every
     * member. Should its commit fail, the log is rolled back to what the store holds, this op included; should
     * another server have appended first, it is applied again after that server's ops, or dropped if it no longer
     * applies ({@link #droppedOwnOps()}).
     *
     * @param id the op's id, or null to number it {@code node.incarnation.N}
     * @param payload what the op does
     * @return the op, or why it does not apply (then nothing changed); {@code unauthorized} if the server's node is
     *     not a member of this log
     * @throws IllegalArgumentException if an op with that id is already in the log
     */
    public Either<OpError, Operation<P>> submit(OpId id, P payload) {
        Option<Role> role = view.members().get(self);
        if (role.isEmpty()) {
            return Either.left(OpError.unauthorized("node " + self + " is not a member of log " + logId));
        }
        OpId opId = id != null ? id : OpId.of(self.name() + "." + ctx.node().incarnation() + "." + (++opCounter));
        if (view.log().contains(opId)) {
            throw new IllegalArgumentException("op id " + opId + " is already in log " + logId + " of " + self);
        }
        Operation<P> op = new Operation<>(opId, new Author(self.name(), role.get()),
                TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime()), payload);
        Either<OpError, S> next = ctx.domain().apply(view.state(), op);
        if (next.isLeft()) {
            return Either.left(next.getLeft());
        }
        finalizeOps(Vector.of(op), next.get());
        return Either.right(op);
    }

    /** Forwards what the cursors say the members still lack (after a restart). */
    void forwardOwed() {
        forwarder.pumpAll(view.members().keySet());
    }

    /**
     * A hint that the log changed in a shared store and holds {@code size} ops: reads the tail unless the hint is
     * older than what this server knows.
     */
    void onHint(int size) {
        if (size >= committer.durableSize()) {
            refresh();
        }
    }

    /** Reads the log's tail from the store (after what is in flight); the server hears it as a reload. */
    java.util.concurrent.CompletableFuture<Void> refresh() {
        return committer.refresh();
    }

    // ---------------------------------------------------------------- chains (responder)

    SubscribeMessage<P> onSubscribe(NodeId peer) {
        Option<Role> role = view.members().get(peer);
        if (role.isEmpty()) {
            refused(peer, SyncMessage.SyncRejected.Reason.NOT_A_MEMBER);
            return new SubscribeMessage.Refused<>(SyncMessage.SyncRejected.Reason.NOT_A_MEMBER,
                    "node " + peer + " is not a member of log " + logId);
        }
        attach(peer);
        forwarder.resume(peer);
        return new SubscribeMessage.Subscribed<>(logId, role.get(), view.log().first());
    }

    ResponderAction<SyncMessage<P>> onOpSync(ResponderChain chain, SyncMessage.OpSync<P> sync) {
        return syncs.onOpSync(chain, sync);
    }

    ResponderAction<SyncMessage<P>> onDecision(ResponderChain chain, SyncMessage.ProcessorDecision<P> decision) {
        return syncs.onDecision(chain, decision);
    }

    // ---------------------------------------------------------------- for SyncResponder

    OplogServer.Context<S, P> ctx() {
        return ctx;
    }

    LogView<S, P> view() {
        return view;
    }

    GroupCommit<P> committer() {
        return committer;
    }

    boolean shared() {
        return shared;
    }

    void refused(NodeId peer, SyncMessage.SyncRejected.Reason reason) {
        OplogServer.tell(() -> ctx.listener().refused(logId, peer, reason));
    }

    /** On a shared store: {@code client} talks to this server now, so this server serves it (durably). */
    void attach(NodeId client) {
        if (shared && !view.servedBy(client).contains(self)) {
            view.serve(client, self);
            committer.serve(client, self);
        }
    }

    /** Finalizes {@code ops} (already applied into {@code newState}) in memory and stages them for the store. */
    void finalizeOps(Vector<Operation<P>> ops, S newState) {
        if (!ops.isEmpty()) {
            view.append(ops, newState);
            committer.append(ops);
        }
    }

    /**
     * A sync from {@code origin}, with {@code anchor} and the ops {@code sentIds}, was answered on the log as it is
     * now, {@code appended} saying whether it appended ops: moves the origin's forward cursor as far as the evidence
     * goes ({@link Forwarder}, "A cursor moves on evidence"): to the end of the log if it appended ops, else over the
     * anchor and the origin's own ops right after it.
     */
    void synced(NodeId origin, OpId anchor, Vector<OpId> sentIds, boolean appended) {
        if (PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN)) {
            return; // see PlantedFaults
        }
        OpLog<P> opLog = view.log();
        if (appended) {
            forwarder.advance(origin, opLog.size() - 1);
            return;
        }
        int has = opLog.indexOf(anchor);
        if (has < 0) {
            return; // the anchor is not in the log: the sync proves nothing
        }
        while (has + 1 < opLog.size() && sentIds.contains(opLog.get(has + 1).id())) {
            has++;
        }
        forwarder.advance(origin, has);
    }

    // ---------------------------------------------------------------- what the store says

    private boolean isMember(NodeId node) {
        return view.members().containsKey(node) && !node.equals(self);
    }

    /** On the node's thread, after the answers waiting for {@code batch} were sent. */
    private void onCommitted(LogAppend<P> batch, long latencyNs) {
        view.durableUpTo(batch.sizeAfter());
        OplogServer.tell(() -> ctx.listener().committed(logId, batch.ops().size(), batch.sizeAfter(), latencyNs));
        if (batch.ops().isEmpty()) {
            return;
        }
        int superseded = syncs.supersede(false);
        if (superseded > 0) {
            log.debug("Log of [{}] is durable up to [{}] ops; superseded [{}] sync chains", logId,
                    committer.durableSize(), superseded);
        }
        forwarder.pumpAll(view.members().keySet());
    }

    /** On the node's thread, before the answers waiting for {@code lost} ops are failed. */
    private void onReloaded(LogTail<P> tail, Vector<Operation<P>> lost, GroupCommit.Reload why) {
        int before = view.log().size();
        try {
            view.adopt(tail, !lost.isEmpty(), committer.stagedMembers(), committer.stagedServedBy());
        } catch (IllegalStateException damaged) {
            log.error("Log [{}] cannot take what the store holds; it keeps the [{}] durable ops it has", logId,
                    view.log().size(), damaged);
        }
        forwarder.clampTo(view.log().size());
        forwarder.merge(tail.cursors());
        if (why == GroupCommit.Reload.CONFLICT) { // another server appended first: normal on a shared store
            log.info("Log [{}]: another server appended first; the [{}] ops in memory give way to the [{}] ops the "
                    + "store holds", logId, before, view.log().size());
            OplogServer.tell(() -> ctx.listener().commitFailed(logId, "another server appended first"));
        } else if (why == GroupCommit.Reload.ERROR) {
            log.warn("Commit to log [{}] failed; the log of [{}] ops in memory gives way to the [{}] ops the store "
                    + "holds", logId, before, view.log().size());
            OplogServer.tell(() -> ctx.listener().commitFailed(logId, "the commit failed"));
        }
        if (!tail.ops().isEmpty() || !lost.isEmpty()) {
            int superseded = syncs.supersede(why != GroupCommit.Reload.ERROR);
            log.debug("Log [{}] took [{}] ops from the store ({}), lost [{}]; superseded [{}] sync chains", logId,
                    tail.ops().size(), why, lost.size(), superseded);
            if (why != GroupCommit.Reload.ERROR) {
                applyOwnAgain(lost);
            }
        }
        forwarder.pumpAll(view.members().keySet());
    }

    /** On the node's thread, after a commit failed and the store could not be read back. */
    private void onCommitFailed(String why) {
        int before = view.log().size();
        view.rollBack();
        log.warn("Commit to log [{}] failed ({}); the log of [{}] ops in memory gives way to the [{}] durable ops",
                logId, why, before, view.log().size());
        OplogServer.tell(() -> ctx.listener().commitFailed(logId, why));
        forwarder.clampTo(view.log().size()); // a cursor past the rolled-back log would skip ops
        syncs.supersede(false);
        forwarder.pumpAll(view.members().keySet());
    }

    /** The server's own ops that another server's append pushed out: applied again on the new log, in order. */
    private void applyOwnAgain(Vector<Operation<P>> lost) {
        for (Operation<P> op : lost) {
            if (!op.author().node().equals(self.name()) || view.log().contains(op.id())) {
                continue;
            }
            Either<OpError, S> next = ctx.domain().apply(view.state(), op);
            if (next.isLeft()) {
                log.warn("Log [{}]: the server's op [{}] no longer applies after another server's ops and is "
                        + "dropped: {}", logId, op.id(), next.getLeft());
                droppedOwn.put(op.id(), "no longer applies after another server's ops: " + next.getLeft().message());
                continue;
            }
            finalizeOps(Vector.of(op), next.get());
        }
    }

    /**
     * Writes the hosted log's state for a model checker (see {@link StateSink}): its log, members, sync marks,
     * version and op counter, what is being committed and what is being forwarded. Left out: the state (the replay
     * of the log), the counters, and the own ops another server's append dropped (an account for reports).
     */
    @Override
    public void digest(StateSink sink) {
        sink.putString(logId);
        StateDigests.putOps(sink, view.log().ops());
        StateDigests.putByNode(sink, view.members().toJavaMap());
        StateDigests.putMarks(sink, view.syncMarks().toJavaMap());
        sink.putLong(view.version()).putLong(opCounter);
        committer.digest(sink);
        forwarder.digest(sink);
    }

    @Override
    public String toString() {
        return "HostedLog[" + logId + " of " + view.log().size() + " ops, " + view.members().size() + " members]";
    }
}
