package dev.chainkit.oplog.sync;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.Initiator;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.InitiatorChain;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.HashSet;
import io.vavr.collection.LinkedHashSet;
import io.vavr.collection.Set;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the op-log sync: its user's ops apply locally at once and are synced to the server by sync
 * chains, one at a time; ops the server forwards are taken in when they fit.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Log shape.</b> The log is the synced ops (the server has them, up to the synced tip) followed by the
 *   pending ops. Both are persisted ({@link ClientStore}), so pending ops survive a crash. The client never moves
 *   its synced tip past an op the server has not confirmed.</li>
 *   <li><b>One sync at a time.</b> Ops made while a sync is in flight wait for it and go in the next one, without
 *   any user action; ops made at the same instant travel together. So a second sync can never overtake the first.
 *   </li>
 *   <li><b>Answers.</b> {@code SyncSuccess}: the sent ops are synced. {@code SyncSuccessWithNewOps} and
 *   {@code SyncFailed}: adopt the server's ops after the anchor and rebase the still-pending ops on them locally
 *   (a pending op that no longer applies is a local conflict, answered by the {@link DecisionPolicy} at once);
 *   after {@code SyncFailed} the client starts over, unless nothing is left pending, in which case it is in sync
 *   (the design note's last paragraph). {@code OpProcessor}: the policy decides ({@link DecisionPolicy#decideLater}, after its thinking time or
 *   when a person answers).
 *   A timeout or failure starts the sync over after a pause.</li>
 *   <li><b>A user's answer always counts.</b> While the user thinks about a conflict, no new sync starts. If the
 *   chain ended meanwhile (the user took longer than the chain's deadline, or the server's log moved on), the
 *   answer is applied to the still-pending ops when it comes, so the next sync does not meet the same conflict
 *   and ask again: each conflict costs the user one answer, however slow, and syncing still terminates.</li>
 *   <li><b>Forwards.</b> A {@code ForwardSync} whose anchor is the synced tip, when nothing is pending, is applied;
 *   with pending ops or a sync in flight it is deferred (the next sync fetches the ops, so they never land after
 *   unsynced ops; with no sync in flight, one is started for them); with an unknown anchor the client answers
 *   "behind" and runs a catch-up sync (an {@code OpSync} with no ops).</li>
 *   <li><b>Refusals.</b> A {@code SyncRejected} the client can act on is acted on, so retrying terminates: ops
 *   the server refuses ({@code OP_ID_REUSED}, {@code FORGED_AUTHOR}, {@code OP_TOO_LARGE}) are marked rejected
 *   and leave the pending ops; {@code TOO_MANY_OPS} halves the batch. A sync carries at most {@link
 *   SyncLimits#DEFAULT_MAX_OPS_PER_SYNC} pending ops (fewer after such a refusal); the next sync carries the rest.
 *   The latest refusal is kept for the user ({@link #lastRefusal}).</li>
 *   <li><b>Restarts.</b> A client whose node incarnation is above 1 starts with a catch-up sync, since forwards may
 *   have been lost while it was down.</li>
 *   <li><b>Several servers.</b> A client may know several servers sharing one store, in order of preference
 *   ({@link Builder#servers}); it syncs with one at a time. When a sync to it times out (the server is down or cut
 *   off), the next sync goes to the next server of the list (after the last, the first again), starting with a
 *   catch-up sync so that server serves it from then on. An owner that knows the link is down sooner (a transport
 *   with heartbeats) moves it at once ({@link #moveTo}): the sync in flight is abandoned (a late answer to it is
 *   ignored; its ops go in the next sync, and dedup by op id keeps them from landing twice). Forwards are taken
 *   from any of its servers.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its {@link ChainNode}'s thread, like the node.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's op payload type
 */
public final class OplogClient<S, P> implements StateDigestible {

    private static final Logger log = LoggerFactory.getLogger(OplogClient.class);

    private final ChainNode node;
    private final Scheduler scheduler;
    private final NanoClock clock;
    private final Domain<S, P> domain;
    private final String logId;
    private final Author author;
    private final java.util.List<NodeId> servers;
    private int serverIndex;
    private final ClientStore<P> store;
    private final DecisionPolicy<P> policy;

    private OpLog<P> opLog;
    private OpId syncedTip;
    private S syncedState;
    private S state;

    private ChainId inFlight;
    private SyncChain inFlightChain;
    private boolean syncScheduled;
    private boolean retryScheduled;
    private boolean needCatchUp;
    private OpId deferredTip;
    /** A conflict the user is still thinking about; no sync starts until the user has answered it. */
    private SyncMessage.OpProcessor<P> awaitingUser;
    private long conflictRounds;
    /** The most ops one sync carries; halved when a server answers {@code TOO_MANY_OPS}. */
    private int batch = SyncLimits.DEFAULT_MAX_OPS_PER_SYNC;
    private SyncMessage.SyncRejected<P> lastRefusal;
    private long refusals;
    private final Map<OpId, OpRecord> records = new LinkedHashMap<>();
    private final Map<OpId, OpRecord> recordsView = Collections.unmodifiableMap(records);

    /**
     * Creates the client on {@code node} syncing with one server, registers its forward responder, and syncs
     * whatever is pending in the store (plus a catch-up sync after a restart). See {@link #builder} for the other
     * settings, several servers among them.
     *
     * @param node the client's chain node
     * @param scheduler the node's scheduler (runs on the node's thread)
     * @param clock the node's clock
     * @param domain what ops mean
     * @param logId the id of the log (the tournament)
     * @param author who makes this client's ops (its node name and role)
     * @param server the server to sync with
     * @param store what the client persists
     * @param policy how the user answers conflicts
     * @throws IllegalStateException if the stored log does not replay, or the forward protocol is already
     *     registered on the node
     */
    public OplogClient(ChainNode node, Scheduler scheduler, NanoClock clock, Domain<S, P> domain, String logId,
            Author author, NodeId server, ClientStore<P> store, DecisionPolicy<P> policy) {
        this(builder(node, domain, logId, author, store).scheduler(scheduler).clock(clock)
                .servers(java.util.List.of(Objects.requireNonNull(server, "server"))).policy(policy));
    }

    private OplogClient(Builder<S, P> b) {
        this.node = b.node;
        this.scheduler = b.scheduler;
        this.clock = b.clock;
        this.domain = b.domain;
        this.logId = b.logId;
        this.author = b.author;
        this.servers = b.servers;
        this.store = b.store;
        this.policy = b.policy;
        this.opLog = store.log();
        this.syncedTip = store.syncedTip();
        this.syncedState = domain.replay(opLog.truncateAfter(syncedTip));
        this.state = domain.replay(opLog);
        for (Operation<P> op : pendingOps()) {
            records.put(op.id(), new OpRecord(op.id(), OpFate.PENDING, "", null, null));
        }
        node.register(OplogProtocols.<P>forward(), this::onForward);
        needCatchUp = node.incarnation() > 1;
        if (needCatchUp && PlantedFaults.planted(PlantedFaults.Fault.CLIENT_FORGETS_PENDING_AFTER_RESTART)) {
            needCatchUp = false; // a planted fault, off unless a test plants it: see PlantedFaults
            return;
        }
        requestSync();
    }

    /**
     * Starts building a client on {@code node}.
     *
     * @param node the client's chain node
     * @param domain what ops mean
     * @param logId the id of the log (the tournament)
     * @param author who makes this client's ops (its node name and role)
     * @param store what the client persists
     * @throws NullPointerException if an argument is null
     */
    public static <S, P> Builder<S, P> builder(ChainNode node, Domain<S, P> domain, String logId, Author author,
            ClientStore<P> store) {
        return new Builder<>(node, domain, logId, author, store);
    }

    /** The server this client syncs with now. */
    public NodeId server() {
        return servers.get(serverIndex);
    }

    /** The servers this client may sync with, in order of preference. */
    public java.util.List<NodeId> servers() {
        return servers;
    }

    /**
     * Syncs with {@code server} from now on: the sync in flight (to another server) is abandoned, its ops go in the
     * next sync, and a catch-up sync starts at once so that {@code server} serves this client. For an owner that
     * learned sooner than a timeout that the current server is unreachable. Nothing happens if it is the current
     * server already.
     *
     * @param server one of {@link #servers()}
     * @throws IllegalArgumentException if it is not
     */
    public void moveTo(NodeId server) {
        int index = servers.indexOf(Objects.requireNonNull(server, "server"));
        if (index < 0) {
            throw new IllegalArgumentException(server + " is not a server of " + node.id() + ": " + servers);
        }
        if (index == serverIndex) {
            return;
        }
        log.info("Client [{}] moves from server [{}] to [{}]", node.id(), server(), server);
        serverIndex = index;
        if (inFlightChain != null) {
            inFlightChain.abandoned = true;
            inFlight = null;
            inFlightChain = null;
        }
        needCatchUp = true;
        if (retryScheduled) {
            retryScheduled = false; // the pause was for the old server; the new one is tried now
        }
        requestSync();
    }

    /** The client's log: synced ops, then pending ones. */
    public OpLog<P> log() {
        return opLog;
    }

    /** The state the log folds into. */
    public S state() {
        return state;
    }

    /** The last op known to be on the server. */
    public OpId syncedTip() {
        return syncedTip;
    }

    /** The ops not yet known to be on the server, in order. */
    public Vector<Operation<P>> pendingOps() {
        return opLog.opsAfter(syncedTip);
    }

    /** How many conflicts ({@code OpProcessor} answers) this client incarnation was asked to decide. */
    public long conflictRounds() {
        return conflictRounds;
    }

    /**
     * What this client incarnation knows of each op its user made (rejected ones included), in order: a read-only
     * view that follows the client as it learns more (copy it to keep a snapshot). Constant cost, so a checker may
     * look after every event however long the client has been running.
     */
    public Map<OpId, OpRecord> opRecords() {
        return recordsView;
    }

    /** The server's latest refusal of a sync of this client ({@code SyncRejected}), if any. */
    public java.util.Optional<SyncMessage.SyncRejected<P>> lastRefusal() {
        return java.util.Optional.ofNullable(lastRefusal);
    }

    /** How many syncs of this client incarnation the server refused ({@code SyncRejected}). */
    public long refusals() {
        return refusals;
    }

    /** Whether the user is being asked about a conflict right now (no sync starts until it is answered). */
    public boolean awaitingDecision() {
        return awaitingUser != null;
    }

    /** Whether nothing is pending, no sync is in flight or scheduled, and no catch-up is owed. */
    public boolean isIdle() {
        return inFlight == null && !syncScheduled && !retryScheduled && !needCatchUp && awaitingUser == null
                && pendingOps().isEmpty();
    }

    /**
     * Makes an op as this client's user, named {@code node.N}. See {@link #submit(OpId, Object)}.
     */
    public Either<OpError, Operation<P>> submit(P payload) {
        return submit(null, payload);
    }

    /**
     * Makes an op as this client's user: it applies to the local state at once and is synced in the background.
     * An op that does not apply locally is rejected on the spot and never enters any log.
     *
     * @param id the op's id, or null to number it {@code node.N}
     * @param payload what the op does
     * @return the op, or why it does not apply (then nothing changed)
     * @throws IllegalArgumentException if an op with that id is already in the log
     */
    public Either<OpError, Operation<P>> submit(OpId id, P payload) {
        Objects.requireNonNull(payload, "payload");
        OpId opId = id;
        while (opId == null || id == null && (opLog.contains(opId) || records.containsKey(opId))) {
            // a number a rolled-back store hands out again may name an op of the log: take the next one
            opId = OpId.of(node.id().name() + "." + store.nextOpNumber());
        }
        if (opLog.contains(opId) || records.containsKey(opId)) {
            throw new IllegalArgumentException("op id " + opId + " is already used on " + node.id());
        }
        Operation<P> op = new Operation<>(opId, author, TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()), payload);
        Either<OpError, S> next = domain.apply(state, op);
        if (next.isLeft()) {
            records.put(opId, new OpRecord(opId, OpFate.REJECTED, next.getLeft().toString(), null, null));
            return Either.left(next.getLeft());
        }
        opLog = opLog.append(op);
        state = next.get();
        store.save(opLog, syncedTip);
        records.put(opId, new OpRecord(opId, OpFate.PENDING, "", null, null));
        requestSync();
        return Either.right(op);
    }

    // ---------------------------------------------------------------- the sync chain (initiator)

    private void requestSync() {
        if (inFlight != null || syncScheduled || retryScheduled) {
            return; // the end of the chain in flight, or the pending retry, looks again
        }
        syncScheduled = true;
        scheduler.schedule(0, this::startSync); // at the end of this instant: same-instant ops travel together
    }

    private void startSync() {
        syncScheduled = false;
        Vector<Operation<P>> pending = pendingOps().take(batch);
        if (inFlight != null || awaitingUser != null || (pending.isEmpty() && !needCatchUp)) {
            return;
        }
        needCatchUp = false;
        SyncChain chain = new SyncChain(syncedTip, pending);
        ChainHandle<Void> handle = node.start(OplogProtocols.<P>sync(), server(),
                new SyncMessage.OpSync<>(logId, syncedTip, pending), chain);
        inFlight = handle.id();
        inFlightChain = chain;
        for (Operation<P> op : pending) {
            records.computeIfPresent(op.id(), (k, r) -> r.withFirstChain(handle.id()));
        }
        handle.outcome().thenAccept(outcome -> {
            if (chain.abandoned) {
                String word = outcomeWord(outcome);
                for (Operation<P> op : pending) {
                    records.computeIfPresent(op.id(), (k, r) -> r.withFirstOutcome(handle.id(), word));
                }
            } else {
                onSyncOutcome(handle.id(), pending, outcome);
            }
        });
    }

    /**
     * @param carried the ops the chain carried: only their records can name it as their first chain, so only they
     *     are visited (visiting every record would make each sync cost grow with the client's history)
     */
    private void onSyncOutcome(ChainId chainId, Vector<Operation<P>> carried, Outcome<Void> outcome) {
        inFlight = null;
        inFlightChain = null;
        String word = outcomeWord(outcome);
        for (Operation<P> op : carried) {
            records.computeIfPresent(op.id(), (k, r) -> r.withFirstOutcome(chainId, word));
        }
        if (outcome instanceof Outcome.Superseded<Void> s && s.info() instanceof SyncMessage.SyncFailed<?> failed) {
            @SuppressWarnings("unchecked")
            SyncMessage.SyncFailed<P> f = (SyncMessage.SyncFailed<P>) failed;
            log.debug("Sync chain [{}] superseded: sync failed, new operations available after [{}]", chainId,
                    f.anchor());
            if (PlantedFaults.planted(PlantedFaults.Fault.CLIENT_ADOPTS_WITHOUT_REBASE)) {
                adoptWithoutRebase(f.anchor(), f.ops()); // a planted fault, off unless a test plants it
            } else {
                adopt(f.anchor(), f.ops());
            }
        } else if (outcome instanceof Outcome.Failed<Void> || outcome instanceof Outcome.TimedOut<Void>) {
            if (outcome instanceof Outcome.TimedOut<Void> && servers.size() > 1) {
                NodeId from = server();
                serverIndex = (serverIndex + 1) % servers.size();
                log.info("Sync chain [{}] to [{}] timed out; client [{}] moves to server [{}]", chainId, from,
                        node.id(), server());
            }
            log.info("Sync chain [{}] ended {}; syncing again after a pause", chainId, outcome);
            needCatchUp = true;
            retryScheduled = true;
            scheduler.schedule(node.settings().retryPolicy().maxDelay().toNanos(), () -> {
                retryScheduled = false;
                requestSync();
            });
            return;
        }
        if (deferredTip != null) {
            if (opLog.contains(deferredTip)) {
                deferredTip = null;
            } else {
                needCatchUp = true;
            }
        }
        requestSync();
    }

    private static String outcomeWord(Outcome<?> outcome) {
        if (outcome instanceof Outcome.Completed<?>) {
            return "completed";
        } else if (outcome instanceof Outcome.Superseded<?>) {
            return "superseded";
        } else if (outcome instanceof Outcome.TimedOut<?>) {
            return "timed-out";
        }
        return "failed";
    }

    /** The initiator handler of one sync chain. */
    private final class SyncChain implements Initiator<SyncMessage<P>, Void> {
        private final OpId anchor;
        private final Vector<Operation<P>> sent;
        /** The client moved to another server: whatever this chain hears changes nothing. */
        private boolean abandoned;

        SyncChain(OpId anchor, Vector<Operation<P>> sent) {
            this.anchor = anchor;
            this.sent = sent;
        }

        @Override
        public InitiatorAction<SyncMessage<P>, Void> onReply(InitiatorChain chain, SyncMessage<P> reply) {
            if (abandoned) {
                return InitiatorAction.fail("abandoned: the client moved to server " + server());
            }
            if (reply instanceof SyncMessage.SyncSuccess<P> success) {
                OpId expected = sent.isEmpty() ? anchor : sent.last().id();
                if (!success.tip().equals(expected) || !syncedTip.equals(anchor)) {
                    return InitiatorAction.fail("SyncSuccess names tip " + success.tip() + ", expected " + expected);
                }
                markSynced(sent);
                return InitiatorAction.complete(null);
            }
            if (reply instanceof SyncMessage.SyncSuccessWithNewOps<P> withNewOps) {
                adopt(withNewOps.anchor(), withNewOps.ops());
                return InitiatorAction.complete(null);
            }
            if (reply instanceof SyncMessage.SyncFailed<P> failed) { // the log moved while this sync was decided
                adopt(failed.anchor(), failed.ops());
                return InitiatorAction.complete(null); // the pending ops sync again, on the new log
            }
            if (reply instanceof SyncMessage.OpProcessor<P> conflict && !chain.terminal()) {
                conflictRounds++;
                CompletableFuture<Decision> answer = policy.decideLater(conflict, scheduler).toCompletableFuture();
                if (answer.isDone() && !answer.isCompletedExceptionally()) {
                    return decide(conflict, answer.join());
                }
                CompletableFuture<InitiatorAction<SyncMessage<P>, Void>> later = new CompletableFuture<>();
                ChainId id = chain.id();
                awaitingUser = conflict;
                answer.whenComplete((decision, failure) -> {
                    awaitingUser = null;
                    Decision d = failure == null ? decision : null;
                    if (id.equals(inFlight) && !abandoned) {
                        later.complete(decide(conflict, d));
                    } else {
                        decideAfterTheChainEnded(conflict, d);
                        requestSync();
                    }
                });
                return InitiatorAction.defer(later);
            }
            if (reply instanceof SyncMessage.SyncRejected<P> rejected) {
                lastRefusal = rejected;
                refusals++;
                switch (rejected.reason()) {
                    case UNKNOWN_ANCHOR -> {
                        if (!rejected.log().isEmpty()) {
                            adoptWholeLog(rejected.log());
                        }
                    }
                    case OP_ID_REUSED -> refusePending(rejected.log(), theirs -> "op id " + theirs.id()
                            + " already names another op on the server (" + theirs + ")");
                    case FORGED_AUTHOR, OP_TOO_LARGE -> refusePending(rejected.log(), mine -> "refused by the "
                            + "server (" + rejected.reason() + "): " + rejected.detail());
                    case TOO_MANY_OPS -> batch = Math.max(1, Math.min(batch, sent.size()) / 2);
                    default -> { }
                }
                return InitiatorAction.fail(rejected.reason() + ": " + rejected.detail());
            }
            return InitiatorAction.fail("unexpected reply " + reply + " at step " + chain.step());
        }

        private InitiatorAction<SyncMessage<P>, Void> decide(SyncMessage.OpProcessor<P> conflict, Decision decision) {
            Set<OpId> dropped = valid(conflict, decision).dropped();
            Set<OpId> conflictIds = LinkedHashSet.of(conflict.problematic().id())
                    .addAll(conflict.remaining().map(Operation::id));
            Set<OpId> cascaded = rebuildPending(pendingOps().filter(op -> !dropped.contains(op.id())),
                    dropped, "dropped by its author's decision: " + conflict.error().message());
            Vector<OpId> toServer = Vector.ofAll(conflictIds.filter(id -> dropped.contains(id)
                    || cascaded.contains(id)));
            return InitiatorAction.reply(new SyncMessage.ProcessorDecision<>(toServer));
        }
    }

    /**
     * The user answered a conflict after its chain ended (superseded, timed out while the user thought longer than
     * the chain's deadline, or aborted): the answer still stands for the ops that are still pending, so the next
     * sync does not run into the same conflict and ask again. This is what keeps a slow user from looping.
     */
    private void decideAfterTheChainEnded(SyncMessage.OpProcessor<P> conflict, Decision decision) {
        HashSet<OpId> pending = HashSet.ofAll(pendingOps().map(Operation::id));
        if (!pending.contains(conflict.problematic().id())) {
            return; // the conflict went away meanwhile (a rebase already settled it)
        }
        Set<OpId> dropped = valid(conflict, decision).dropped().filter(pending::contains);
        rebuildPending(pendingOps().filter(op -> !dropped.contains(op.id())), dropped,
                "dropped by its author's decision: " + conflict.error().message());
    }

    private Decision validDecision(SyncMessage.OpProcessor<P> conflict) {
        return valid(conflict, policy.decide(conflict));
    }

    /** {@code decision} if it drops the problematic op; else (or if null) skip, so the sync keeps terminating. */
    private Decision valid(SyncMessage.OpProcessor<P> conflict, Decision decision) {
        if (decision == null || !decision.isValidFor(conflict)) {
            log.error("Decision policy of [{}] kept the problematic op [{}] ({}); dropping it to keep the sync "
                    + "terminating", node.id(), conflict.problematic().id(), decision);
            return Decision.skip(conflict);
        }
        return decision;
    }

    /**
     * The server refused some of our pending ops: it holds other ops under their ids (our store was rolled back and
     * named new ops with used ids), or they name an author it does not accept, or they are too large. Those pending
     * ops are refused, and their records say why; the user is told, the server's ops are never taken for ours. The
     * failed chain's retry syncs the rest.
     *
     * @param ops the refused ops (ours, or the server's under the same ids), by id
     * @param why the reason to record for each
     */
    private void refusePending(Vector<Operation<P>> ops, java.util.function.Function<Operation<P>, String> why) {
        HashSet<OpId> refused = HashSet.ofAll(ops.map(Operation::id));
        Vector<Operation<P>> pending = pendingOps();
        if (!pending.exists(op -> refused.contains(op.id()))) {
            return;
        }
        for (Operation<P> op : ops) {
            String reason = why.apply(op);
            log.warn("Server refused op [{}] of [{}]: {}", op.id(), node.id(), reason);
            records.computeIfPresent(op.id(), (k, r) -> r.withFate(OpFate.REJECTED, reason));
        }
        rebuildPending(pending.filter(op -> !refused.contains(op.id())), HashSet.empty(), "");
    }

    /** The sent ops are on the server, right after the anchor: move the synced tip over them. */
    private void markSynced(Vector<Operation<P>> sent) {
        if (sent.isEmpty()) {
            return;
        }
        syncedState = domain.applyAll(syncedState, sent).getOrElseThrow(
                e -> new IllegalStateException("synced ops no longer apply locally: " + e));
        syncedTip = sent.last().id();
        store.save(opLog, syncedTip);
        for (Operation<P> op : sent) {
            records.computeIfPresent(op.id(), (k, r) -> r.withFate(OpFate.SYNCED, ""));
        }
    }

    /**
     * Takes the server's ops after {@code anchor} as the synced history and rebases the still-pending ops on them.
     */
    private void adopt(OpId anchor, Vector<Operation<P>> serverOps) {
        if (!opLog.contains(anchor)) {
            log.error("Server answered with anchor [{}] that [{}] does not have; catching up", anchor, node.id());
            needCatchUp = true;
            return;
        }
        HashSet<OpId> serverIds = HashSet.ofAll(serverOps.map(Operation::id));
        Vector<Operation<P>> stillPending = pendingOps().filter(op -> !serverIds.contains(op.id()));
        OpLog<P> base = opLog.truncateAfter(anchor);
        S baseState = anchor.equals(syncedTip) ? syncedState : domain.replay(base);
        syncedState = domain.applyAll(baseState, serverOps).getOrElseThrow(
                e -> new IllegalStateException("the server's ops do not apply on " + node.id() + ": " + e));
        opLog = base.appendAll(serverOps);
        syncedTip = opLog.last().id();
        for (OpId id : serverIds) { // a refused op's record keeps saying so: the server's op of its id is another op
            records.computeIfPresent(id, (k, r) -> r.fate() == OpFate.REJECTED ? r : r.withFate(OpFate.SYNCED, ""));
        }
        rebuildPending(stillPending, HashSet.empty(), "");
    }

    /**
     * The planted fault {@link PlantedFaults.Fault#CLIENT_ADOPTS_WITHOUT_REBASE}, never used unless a test plants
     * it: the server's ops after {@code anchor} become the synced history, the pending ops follow them as they were,
     * without being applied again, and the state stays what it was.
     */
    private void adoptWithoutRebase(OpId anchor, Vector<Operation<P>> serverOps) {
        if (!opLog.contains(anchor)) {
            adopt(anchor, serverOps);
            return;
        }
        HashSet<OpId> serverIds = HashSet.ofAll(serverOps.map(Operation::id));
        Vector<Operation<P>> stillPending = pendingOps().filter(op -> !serverIds.contains(op.id()));
        OpLog<P> base = opLog.truncateAfter(anchor).appendAll(serverOps);
        syncedState = domain.replay(base);
        syncedTip = base.last().id();
        opLog = base.appendAll(stillPending);
        store.save(opLog, syncedTip);
    }

    /** Replaces the whole history with the server's log and rebases every op of ours it lacks on it. */
    private void adoptWholeLog(Vector<Operation<P>> serverLog) {
        HashSet<OpId> serverIds = HashSet.ofAll(serverLog.map(Operation::id));
        Vector<Operation<P>> mine = opLog.ops().filter(op -> !serverIds.contains(op.id()));
        opLog = OpLog.genesis(serverLog.head()).appendAll(serverLog.tail());
        syncedTip = opLog.last().id();
        syncedState = domain.replay(opLog);
        rebuildPending(mine, HashSet.empty(), "");
    }

    /**
     * Rebuilds the pending part of the log from {@code candidates} on top of the synced state. A candidate that
     * does not apply is a local conflict, answered at once by the policy. Ops in {@code alreadyDropped} and those
     * dropped here are marked dropped.
     *
     * @return the ids dropped here
     */
    private Set<OpId> rebuildPending(Vector<Operation<P>> candidates, Set<OpId> alreadyDropped, String reason) {
        for (OpId id : alreadyDropped) {
            records.computeIfPresent(id, (k, r) -> r.withFate(OpFate.DROPPED, reason));
        }
        OpLog<P> rebuilt = opLog.truncateAfter(syncedTip);
        S current = syncedState;
        Set<OpId> droppedHere = LinkedHashSet.empty();
        Vector<Operation<P>> rest = candidates;
        Vector<Operation<P>> applied = Vector.empty();
        while (!rest.isEmpty()) {
            Operation<P> op = rest.head();
            rest = rest.tail();
            Either<OpError, S> next = domain.apply(current, op);
            if (next.isRight()) {
                current = next.get();
                rebuilt = rebuilt.append(op);
                applied = applied.append(op);
                continue;
            }
            Decision decision = validDecision(new SyncMessage.OpProcessor<>(rest, applied, op, next.getLeft()));
            String why = "does not apply after rebase: " + next.getLeft().message();
            for (OpId id : decision.dropped()) {
                droppedHere = droppedHere.add(id);
                records.computeIfPresent(id, (k, r) -> r.withFate(OpFate.DROPPED, why));
            }
            Set<OpId> drop = decision.dropped();
            rest = rest.filter(o -> !drop.contains(o.id()));
        }
        opLog = rebuilt;
        state = current;
        store.save(opLog, syncedTip);
        return droppedHere;
    }

    // ---------------------------------------------------------------- the forward chain (responder)

    private ResponderAction<ForwardMessage<P>> onForward(ResponderChain chain, ForwardMessage<P> message) {
        if (!(message instanceof ForwardMessage.ForwardSync<P> forward) || !forward.logId().equals(logId)) {
            log.warn("Forward chain [{}] carries [{}], which is not a forward of log [{}]", chain.id(), message,
                    logId);
            return ack(ForwardMessage.ForwardAck.Status.BEHIND);
        }
        if (inFlight != null || syncScheduled || retryScheduled || !pendingOps().isEmpty()) {
            OpId last = forward.ops().last().id();
            if (!opLog.contains(last)) {
                deferredTip = last;
                if (inFlight == null) {
                    // No sync in flight will end and look for these ops, and the sync scheduled for this instant
                    // may find nothing pending and not start: make sure the next sync starts and fetches them.
                    needCatchUp = true;
                    requestSync();
                }
            }
            return ack(ForwardMessage.ForwardAck.Status.DEFERRED);
        }
        int firstNew = forward.ops().indexWhere(op -> !opLog.contains(op.id()));
        if (firstNew < 0) {
            return ack(ForwardMessage.ForwardAck.Status.APPLIED);
        }
        OpId before = firstNew == 0 ? forward.anchor() : forward.ops().get(firstNew - 1).id();
        Vector<Operation<P>> fresh = forward.ops().drop(firstNew);
        Either<OpError, S> next = before.equals(syncedTip) && !fresh.exists(op -> opLog.contains(op.id()))
                ? domain.applyAll(state, fresh) : null;
        if (next == null || next.isLeft()) {
            if (next != null) {
                log.error("Forwarded ops of chain [{}] do not apply on [{}]: {}", chain.id(), node.id(), next.getLeft());
            }
            needCatchUp = true;
            requestSync();
            return ack(ForwardMessage.ForwardAck.Status.BEHIND);
        }
        opLog = opLog.appendAll(fresh);
        state = next.get();
        syncedState = state;
        syncedTip = opLog.last().id();
        store.save(opLog, syncedTip);
        return ack(ForwardMessage.ForwardAck.Status.APPLIED);
    }

    private static <P> ResponderAction<ForwardMessage<P>> ack(ForwardMessage.ForwardAck.Status status) {
        return ResponderAction.replyAndTerminate(new ForwardMessage.ForwardAck<>(status));
    }

    /**
     * Writes the client's state for a model checker (see {@link StateSink}): its log, synced tip and pending ops, the
     * server it syncs with, the sync in flight, what is scheduled, the conflict awaiting its user, the batch size and
     * its ops' fates. Left out: the states (each is the replay of its log) and the counters.
     */
    @Override
    public void digest(StateSink sink) {
        StateDigests.putOps(sink, opLog.ops());
        sink.putString(syncedTip == null ? null : syncedTip.value());
        StateDigests.putOps(sink, pendingOps());
        sink.putInt(serverIndex);
        sink.putChainId(inFlight).putBoolean(syncScheduled).putBoolean(retryScheduled).putBoolean(needCatchUp);
        sink.putString(deferredTip == null ? null : deferredTip.value());
        sink.putString(awaitingUser == null ? null : String.valueOf(awaitingUser)).putInt(batch);
        sink.putInt(records.size());
        records.forEach((id, r) -> sink.putString(id.value()).putString(r.fate().name()).putString(r.reason())
                .putChainId(r.firstChain()).putString(r.firstOutcome()));
    }

    /**
     * Builds an {@link OplogClient}: the Failsafe style, a mutable builder whose every setter checks its argument.
     * Not thread-safe; {@link #build} on the node's thread.
     *
     * @param <S> the domain's state type
     * @param <P> the domain's op payload type
     */
    public static final class Builder<S, P> {
        private final ChainNode node;
        private final Domain<S, P> domain;
        private final String logId;
        private final Author author;
        private final ClientStore<P> store;
        private Scheduler scheduler;
        private NanoClock clock;
        private java.util.List<NodeId> servers;
        private DecisionPolicy<P> policy = DecisionPolicy.skip();

        private Builder(ChainNode node, Domain<S, P> domain, String logId, Author author, ClientStore<P> store) {
            this.node = Objects.requireNonNull(node, "node");
            this.domain = Objects.requireNonNull(domain, "domain");
            this.logId = Objects.requireNonNull(logId, "logId");
            this.author = Objects.requireNonNull(author, "author");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The node's scheduler (runs on the node's thread): required. @throws NullPointerException if null */
        public Builder<S, P> scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The node's clock: required. @throws NullPointerException if null */
        public Builder<S, P> clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The servers to sync with, in order of preference (they share one store): required, at least one.
         *
         * @throws NullPointerException if the list or an element is null
         * @throws IllegalArgumentException if it is empty, names a server twice, or names the client's own node
         */
        public Builder<S, P> servers(java.util.List<NodeId> servers) {
            java.util.List<NodeId> copy = java.util.List.copyOf(servers);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("a client needs at least one server");
            }
            if (new java.util.HashSet<>(copy).size() != copy.size()) {
                throw new IllegalArgumentException("servers " + copy + " name a server twice");
            }
            if (copy.contains(node.id())) {
                throw new IllegalArgumentException("client " + node.id() + " cannot be its own server");
            }
            this.servers = copy;
            return this;
        }

        /** How the user answers conflicts; {@link DecisionPolicy#skip()} by default. @throws NullPointerException if null */
        public Builder<S, P> policy(DecisionPolicy<P> policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Builds the client, registers its forward responder on the node, and starts syncing what is pending.
         *
         * @throws IllegalStateException if the scheduler, clock or servers are missing, the stored log does not
         *     replay, or the forward protocol is already registered on the node
         */
        public OplogClient<S, P> build() {
            if (scheduler == null || clock == null || servers == null) {
                throw new IllegalStateException("an OplogClient needs the node's scheduler and clock and its servers");
            }
            return new OplogClient<>(this);
        }
    }

    @Override
    public String toString() {
        return "OplogClient[" + node.id() + ", " + opLog.size() + " ops, synced to " + syncedTip + "]";
    }
}
