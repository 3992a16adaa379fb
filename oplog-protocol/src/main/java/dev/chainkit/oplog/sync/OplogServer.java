package dev.chainkit.oplog.sync;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpDigest;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.HashSet;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the op-log sync (the backend of the design note): it answers sync chains, finalizes ops into
 * its log, supersedes syncs whose base changed, and forwards new ops to the other clients.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Answering an {@code OpSync}.</b> Ops already in the log (by id, anywhere) are dropped first: dedup comes
 *   from the log, so it survives restarts. An unknown anchor gets a terminal {@code SyncRejected} carrying the
 *   whole log. Otherwise the remaining ops are applied in order on top of the log: if the anchor was the last op
 *   and every op applied, the answer is {@code SyncSuccess}; if the log had moved on, {@code
 *   SyncSuccessWithNewOps}. At the first op that does not apply, an {@code OpProcessor} goes back and the chain
 *   waits for a decision, holding the ops rebased so far uncommitted; the decision must drop the problematic op.
 *   Authorization is part of applying, so it is checked only on ops new to the log.</li>
 *   <li><b>Op identity.</b> An op whose id is in the log but whose content ({@link OpDigest}) differs is not a
 *   duplicate: the sync is refused with {@code SyncRejected(OP_ID_REUSED)} carrying the log's ops under those ids,
 *   and nothing of it is applied (a client whose store was rolled back named a new op with a used id).</li>
 *   <li><b>Commit before reply.</b> Finalized ops go into the in-memory log at once (later syncs rebase on the log as
 *   it will be) and are staged for the store ({@link GroupCommit}); the syncs that arrive while a commit is under
 *   way share the next commit. Every terminal answer that confirms or carries log content waits until the log is
 *   durable up to the size it was computed on ({@code ResponderAction.defer}), so no answer reveals an op a crash
 *   could lose, and answers leave in log order. Forwards carry only durable ops. A failed commit rolls the memory
 *   back to what the store holds and answers the waiting syncs {@code SyncRejected(STORE_FAILED)}; their clients
 *   sync again later.</li>
 *   <li><b>Supersede.</b> A sync chain waiting for a decision holds a rebase on the log of its time. Once a change
 *   of the log (a finalized sync, a local op) is durable, such chains are superseded through the engine: their
 *   next message is answered {@code SyncFailed} ("sync failed, new operations available") with the durable log
 *   after their anchor. The chains whose answer is only waiting for durability are spared (their answer is already
 *   decided and is sent first). A decision that arrives after the log changed but before the change is durable
 *   is answered {@code SyncFailed} itself. So a held, uncommitted rebase is never finalized on a stale base.</li>
 *   <li><b>Forwarding.</b> A persisted cursor per client marks how far the client has the log. At most one forward
 *   chain per client is in flight; it carries every op after the cursor. A client's own successful sync moves its
 *   cursor to the end of the log, so ops are never forwarded back to where they came from, and each op crosses
 *   each link once per direction (plus retransmissions). A forward that fails (the client is down or cut off
 *   for longer than a chain's deadline) is tried again after a capped backoff for as long as the client lacks
 *   ops: a client that makes no ops of its own never syncs, so only the server can bring it up to date. While a
 *   client is unreachable the server therefore is not idle.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its {@link ChainNode}'s thread, like the node.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's op payload type
 */
public final class OplogServer<S, P> {

    /** How many times the pause between failed forwards to one client doubles before it stays the same. */
    public static final int FORWARD_BACKOFF_DOUBLINGS = 4;

    private static final Logger log = LoggerFactory.getLogger(OplogServer.class);

    private final ChainNode node;
    private final Scheduler scheduler;
    private final NanoClock clock;
    private final Domain<S, P> domain;
    private final String logId;
    private final Author author;
    private final List<NodeId> clients;
    private final GroupCommit<P> committer;
    private final Map<NodeId, Integer> cursors = new HashMap<>();

    private OpLog<P> opLog;
    private S state;
    /** One more at every change of the in-memory log (growth, roll-back): a held rebase of another version is stale. */
    private long logVersion;
    private long opCounter;
    private long conflictRounds;
    private final Map<NodeId, Integer> forwardFailures = new HashMap<>();
    private final Set<NodeId> forwarding = new java.util.HashSet<>();
    private final Set<NodeId> waitingToRetry = new java.util.HashSet<>();

    /**
     * Creates the server with its store calls on the node's thread ({@link StoreExecution#onNodeThread}). See
     * {@link #OplogServer(ChainNode, Scheduler, NanoClock, Domain, String, Author, ServerStore, List,
     * StoreExecution)}.
     */
    public OplogServer(ChainNode node, Scheduler scheduler, NanoClock clock, Domain<S, P> domain, String logId,
            Author author, ServerStore<P> store, List<NodeId> clients) {
        this(node, scheduler, clock, domain, logId, author, store, clients, StoreExecution.onNodeThread(scheduler));
    }

    /**
     * Creates the server on {@code node}: reads its log from the store (on the calling thread), registers its sync
     * responder, and forwards whatever its persisted cursors say the clients still lack (after a restart).
     *
     * @param node the server's chain node
     * @param scheduler the node's scheduler (runs on the node's thread)
     * @param clock the node's clock
     * @param domain what ops mean
     * @param logId the id of the log (the tournament) this server keeps
     * @param author who makes the server's own ops
     * @param store what the server persists; it must hold log {@code logId} ({@link ServerStore#loadOrCreate})
     * @param clients the clients to forward new ops to
     * @param execution where store calls run and how their results come back to the node's thread
     * @throws IllegalStateException if the store has no log {@code logId}, the stored log does not replay (the
     *     message names the log, the op and why), or the sync protocol is already registered
     */
    public OplogServer(ChainNode node, Scheduler scheduler, NanoClock clock, Domain<S, P> domain, String logId,
            Author author, ServerStore<P> store, List<NodeId> clients, StoreExecution execution) {
        this.node = Objects.requireNonNull(node, "node");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.logId = Objects.requireNonNull(logId, "logId");
        this.author = Objects.requireNonNull(author, "author");
        Objects.requireNonNull(store, "store");
        this.clients = List.copyOf(clients);
        StoredLog<P> stored = store.load(logId).orElseThrow(() -> new IllegalStateException("store " + store
                + " has no log " + logId + "; create it first (ServerStore.loadOrCreate)"));
        this.opLog = stored.log();
        try {
            this.state = domain.replay(opLog);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("log " + logId + " in " + store + " is damaged: " + e.getMessage(), e);
        }
        stored.cursors().forEach(cursors::put);
        this.committer = new GroupCommit<>(store, execution, logId, opLog.size(), new GroupCommit.Listener<>() {
            @Override
            public void committed(LogAppend<P> batch) {
                onCommitted(batch);
            }

            @Override
            public void failed(StoredLog<P> reloaded, String why) {
                onCommitFailed(reloaded, why);
            }
        });
        node.register(OplogProtocols.<P>sync(), this::onSyncMessage);
        for (NodeId client : this.clients) {
            pumpForward(client);
        }
    }

    /** The server's log. */
    public OpLog<P> log() {
        return opLog;
    }

    /** The state the log folds into. */
    public S state() {
        return state;
    }

    /** How many conflicts ({@code OpProcessor} answers) this server incarnation reported. */
    public long conflictRounds() {
        return conflictRounds;
    }

    /** The position up to which {@code client} has the log or was sent it (0, the genesis, at first). */
    public int forwardCursor(NodeId client) {
        return cursors.getOrDefault(client, 0);
    }

    /** How many ops of the log are durable in the store; the rest are being committed. */
    public int durableSize() {
        return committer.durableSize();
    }

    /** How many store commits this server incarnation made (each may carry the ops of many syncs). */
    public long commits() {
        return committer.commits();
    }

    /** Whether nothing is being committed and no forward is in flight or waiting to be tried again. */
    public boolean isIdle() {
        return committer.idle() && forwarding.isEmpty() && waitingToRetry.isEmpty();
    }

    /**
     * Makes an op as the server's own user: it applies at once and is final; once it is durable it supersedes the
     * syncs waiting for a decision and is forwarded to every client. Should its commit fail, the log is rolled back
     * to what the store holds, this op included (logged at WARN).
     *
     * @param id the op's id, or null to number it {@code node.N}
     * @param payload what the op does
     * @return the op, or why it does not apply (then nothing changed)
     * @throws IllegalArgumentException if an op with that id is already in the log
     */
    public Either<OpError, Operation<P>> submit(OpId id, P payload) {
        OpId opId = id != null ? id : OpId.of(node.id().name() + "." + node.incarnation() + "." + (++opCounter));
        if (opLog.contains(opId)) {
            throw new IllegalArgumentException("op id " + opId + " is already in the log of " + node.id());
        }
        Operation<P> op = new Operation<>(opId, author, TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()), payload);
        Either<OpError, S> next = domain.apply(state, op);
        if (next.isLeft()) {
            return Either.left(next.getLeft());
        }
        finalizeOps(Vector.of(op), next.get(), null);
        return Either.right(op);
    }

    // ---------------------------------------------------------------- the sync chain (responder)

    private ResponderAction<SyncMessage<P>> onSyncMessage(ResponderChain chain, SyncMessage<P> message) {
        if (message instanceof SyncMessage.OpSync<P> sync && chain.step() == 0) {
            return onOpSync(chain, sync);
        }
        if (message instanceof SyncMessage.ProcessorDecision<P> decision && chain.state() instanceof Attempt) {
            @SuppressWarnings("unchecked")
            Attempt<S, P> attempt = (Attempt<S, P>) chain.state();
            return onDecision(chain, attempt, decision);
        }
        return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                SyncMessage.SyncRejected.Reason.UNEXPECTED_MESSAGE,
                message.getClass().getSimpleName() + " has no place at step " + chain.step(), Vector.empty()));
    }

    private ResponderAction<SyncMessage<P>> onOpSync(ResponderChain chain, SyncMessage.OpSync<P> sync) {
        if (!sync.logId().equals(logId)) {
            return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.WRONG_LOG, "this server keeps log " + logId + ", not "
                    + sync.logId(), Vector.empty()));
        }
        if (!opLog.contains(sync.anchor())) {
            log.warn("Sync chain [{}] from [{}] has unknown anchor [{}]", chain.id(), chain.peer(), sync.anchor());
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.UNKNOWN_ANCHOR, "anchor " + sync.anchor()
                    + " is not in the log", opLog.ops())));
        }
        Vector<Operation<P>> taken = sync.ops().filter(op -> opLog.contains(op.id()))
                .map(op -> opLog.get(opLog.indexOf(op.id())));
        Vector<Operation<P>> reused = taken.filter(mine -> !OpDigest.sameContent(mine,
                sync.ops().find(op -> op.id().equals(mine.id())).get(), domain.payloads()));
        if (!reused.isEmpty()) {
            log.warn("Sync chain [{}] from [{}] reuses op ids [{}] for other ops; refused", chain.id(), chain.peer(),
                    reused.map(Operation::id).mkString(", "));
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.OP_ID_REUSED, "op ids " + reused.map(Operation::id).mkString(", ")
                    + " already name other ops in log " + logId, reused)));
        }
        Vector<Operation<P>> fresh = PlantedFaults.planted(PlantedFaults.Fault.SERVER_APPENDS_OPS_IT_HAS)
                ? sync.ops() // a planted fault, off unless a test plants it (see PlantedFaults)
                : sync.ops().filter(op -> !opLog.contains(op.id()));
        Attempt<S, P> attempt = new Attempt<>(sync.anchor(), sync.ops().map(Operation::id), opLog.last().id(),
                logVersion, state, Vector.empty(), null, fresh);
        return rebase(chain, attempt);
    }

    private ResponderAction<SyncMessage<P>> onDecision(ResponderChain chain, Attempt<S, P> attempt,
            SyncMessage.ProcessorDecision<P> decision) {
        if (!decision.dropped().contains(attempt.problematic().id())) {
            log.warn("Sync chain [{}]: decision {} keeps the problematic op [{}]", chain.id(), decision.dropped(),
                    attempt.problematic().id());
            return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                    SyncMessage.SyncRejected.Reason.INVALID_DECISION, "the decision must drop the problematic op "
                    + attempt.problematic().id(), Vector.empty()));
        }
        if (attempt.logVersion() != logVersion) { // the log changed since the conflict; the change is not yet durable
            chain.setState(null);
            return whenDurable(ResponderAction.replyAndTerminate(new SyncMessage.SyncFailed<>(attempt.anchor(),
                    opLog.contains(attempt.anchor()) ? opLog.opsAfter(attempt.anchor()) : Vector.empty())));
        }
        HashSet<OpId> dropped = HashSet.ofAll(decision.dropped());
        return rebase(chain, attempt.withRemaining(attempt.remaining().filter(op -> !dropped.contains(op.id()))));
    }

    /** Applies the attempt's remaining ops; answers a conflict, or commits and answers success. */
    private ResponderAction<SyncMessage<P>> rebase(ResponderChain chain, Attempt<S, P> attempt) {
        S current = attempt.state();
        Vector<Operation<P>> applied = attempt.applied();
        Vector<Operation<P>> remaining = attempt.remaining();
        while (!remaining.isEmpty()) {
            Operation<P> op = remaining.head();
            remaining = remaining.tail();
            Either<OpError, S> next = domain.apply(current, op);
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
        if (origin != null) {
            if (!PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN)) { // see PlantedFaults
                advanceCursor(origin, opLog.size() - 1);
            }
            forwardFailures.remove(origin);
        }
    }

    /** On the node's thread, after the answers waiting for {@code batch} were sent. */
    private void onCommitted(LogAppend<P> batch) {
        if (batch.ops().isEmpty()) {
            return;
        }
        int superseded = supersedeStaleAttempts();
        if (superseded > 0) {
            log.debug("Log of [{}] is durable up to [{}] ops; superseded [{}] sync chains", logId,
                    committer.durableSize(), superseded);
        }
        for (NodeId client : clients) {
            pumpForward(client);
        }
    }

    /** On the node's thread, after the answers waiting for the failed commit were failed. */
    private void onCommitFailed(StoredLog<P> reloaded, String why) {
        OpLog<P> durable = reloaded != null ? reloaded.log()
                : opLog.truncateAfter(opLog.get(committer.durableSize() - 1).id());
        log.warn("Commit to log [{}] failed ({}); the log of [{}] ops in memory gives way to the [{}] ops the "
                + "store holds",
                logId, why, opLog.size(), durable.size());
        opLog = durable;
        state = domain.replay(opLog);
        logVersion++;
        if (reloaded != null) {
            cursors.clear();
            reloaded.cursors().forEach(cursors::put);
        } else { // a cursor past the rolled-back log would skip the ops that will take those positions
            cursors.replaceAll((client, position) -> Math.min(position, opLog.size() - 1));
        }
        supersedeStaleAttempts();
        for (NodeId client : clients) {
            pumpForward(client);
        }
    }

    private int supersedeStaleAttempts() {
        return node.supersede(OplogProtocols.<P>sync(), logId,
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

    // ---------------------------------------------------------------- the forward chain (initiator)

    private void pumpForward(NodeId client) {
        if (forwarding.contains(client) || waitingToRetry.contains(client)) {
            return;
        }
        int end = committer.durableSize() - 1; // only durable ops leave the server
        int cursor = Math.min(cursors.getOrDefault(client, 0), end);
        if (cursor >= end) {
            return;
        }
        ForwardMessage.ForwardSync<P> forward = new ForwardMessage.ForwardSync<>(logId, opLog.get(cursor).id(),
                opLog.ops().slice(cursor + 1, end + 1));
        forwarding.add(client);
        ChainHandle<ForwardMessage.ForwardAck.Status> handle = node.start(OplogProtocols.<P>forward(), client,
                forward, (chain, reply) -> reply instanceof ForwardMessage.ForwardAck<P> ack
                        ? InitiatorAction.complete(ack.status())
                        : InitiatorAction.fail("unexpected forward reply " + reply));
        handle.outcome().thenAccept(outcome -> onForwardOutcome(client, end, outcome));
    }

    private void onForwardOutcome(NodeId client, int end, Outcome<ForwardMessage.ForwardAck.Status> outcome) {
        forwarding.remove(client);
        if (outcome instanceof Outcome.Completed<ForwardMessage.ForwardAck.Status>) {
            // applied: the client has the ops; deferred or behind: it fetches them through its own sync.
            advanceCursor(client, end);
            forwardFailures.remove(client);
            pumpForward(client);
            return;
        }
        int failures = forwardFailures.merge(client, 1, Integer::sum);
        long delayNs = forwardRetryDelayNs(failures);
        if (failures == FORWARD_BACKOFF_DOUBLINGS + 1) {
            log.warn("Forwarding to [{}] failed [{}] times in a row ({}); trying again every [{}] ms until it answers",
                    client, failures, outcome, delayNs / 1_000_000);
        }
        waitingToRetry.add(client);
        scheduler.schedule(delayNs, () -> {
            waitingToRetry.remove(client);
            pumpForward(client);
        });
    }

    /**
     * The pause before forwarding again to a client after {@code failures} failed forwards in a row: the retry
     * policy's max delay, doubled per failure up to {@value #FORWARD_BACKOFF_DOUBLINGS} times (32 s with the
     * default policy).
     */
    private long forwardRetryDelayNs(int failures) {
        return node.settings().retryPolicy().maxDelay().toNanos() << Math.min(failures - 1, FORWARD_BACKOFF_DOUBLINGS);
    }

    private void advanceCursor(NodeId client, int position) {
        if (clients.contains(client) && position > cursors.getOrDefault(client, 0)) {
            cursors.put(client, position);
            committer.moveCursor(client, position);
        }
    }

    /**
     * A sync chain's place while it waits for a decision: what it was about and the ops rebased so far,
     * uncommitted.
     */
    private record Attempt<S, P>(OpId anchor, Vector<OpId> sentIds, OpId tipAtStart, long logVersion, S state,
            Vector<Operation<P>> applied, Operation<P> problematic, Vector<Operation<P>> remaining) {

        Attempt<S, P> withRemaining(Vector<Operation<P>> newRemaining) {
            return new Attempt<>(anchor, sentIds, tipAtStart, logVersion, state, applied, null, newRemaining);
        }
    }

    @Override
    public String toString() {
        return "OplogServer[" + node.id() + ", log " + logId + " of " + opLog.size() + " ops]";
    }
}
