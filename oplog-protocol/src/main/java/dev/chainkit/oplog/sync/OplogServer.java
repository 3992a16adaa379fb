package dev.chainkit.oplog.sync;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.Vector;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the op-log sync (the backend of the design note) on one node: it hosts many logs (tournaments),
 * each a {@link HostedLog} with its own members, sync chains and forwards, and routes every sync and subscription to
 * the log it names.
 *
 * <pre>{@code
 * OplogServer<TournamentState, TournamentOp> server = OplogServer.builder(node, new Tournament(), store)
 *         .scheduler(scheduler).clock(clock)
 *         .execution(StoreExecution.offloaded(storeThread, nodeThread))
 *         .build();                                               // on the node's thread
 * HostedLog<TournamentState, TournamentOp> friday = server.host(store.loadOrCreate("friday", genesis));
 * friday.join(NodeId.of("judge1"), Role.judge());
 * }</pre>
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Routing.</b> One responder per protocol per node, so this class registers the sync and subscribe
 *   responders once and hands each chain to its log: an {@code OpSync} or {@code Subscribe} by the log id it
 *   carries, a later step of a sync chain by the chain's subject (the sync protocol's subject is the log id). A
 *   log this node does not host is answered {@code WRONG_LOG}.</li>
 *   <li><b>Limits first.</b> A sync over the {@link SyncLimits} is refused before any log is looked at, so its cost
 *   is bounded by the frame it came in.</li>
 *   <li><b>Identity from the transport.</b> Every check of who may write uses {@code ResponderChain.peer()}, the
 *   node the transport authenticated (the Netty transport drops envelopes whose sender is not the authenticated
 *   peer), and the log's member registry, never an op's author field (see {@link Admission}).</li>
 *   <li><b>Shared truth.</b> Everything a second server would need (ops, cursors, members, which server serves
 *   which client) is in the store, written through fenced appends; what is kept here only in memory (chains,
 *   attempts, backoffs, the speculative end of each log) is this node's own work.</li>
 * </ul>
 *
 * <h2>Several servers sharing one store</h2>
 * Several server processes may host the same logs on one database ({@link ServerStore#shared()}: PostgreSQL), to
 * scale out and to fail over. They form no cluster of their own: what the database guarantees is all they rely on.
 * <ul>
 *   <li><b>Any server, any log.</b> Every server hosts every log it is asked to; a client may sync with any of them
 *   and moves to another when its server is unreachable. No server owns a log.</li>
 *   <li><b>The database fences appends.</b> An append lands at the position its writer expected or not at all
 *   (one row per log holding its size, updated only from the expected size, and unique keys on {@code (log,
 *   position)} and {@code (log, op id)}); so two servers never both append at one position, whatever their
 *   memories say. A server's view of a log ({@link LogView}) may be stale: it is the durable prefix as far as the
 *   server knows, which is always a prefix of the store's log, followed by the ops it is committing. Correctness
 *   never depends on the view being fresh, only on the fence.</li>
 *   <li><b>Losing the race.</b> When a commit is refused because another server appended first, the server reads
 *   the log's tail from its durable size, drops the ops it had finalized on the stale view, takes the tail, and
 *   answers as the protocol says: every sync whose answer waited for the lost commit, and every sync holding a
 *   rebase, is superseded with "sync failed, new operations available" carrying the durable log after its anchor;
 *   its client adopts those ops, rebases its pending ops on them and syncs again, now on the true log (a rebase, an
 *   {@code OpProcessor}, or a fast path). Nothing was acknowledged, so nothing acknowledged is lost; ops of the
 *   lost batch that landed through the other server are found in the tail and are not appended twice (dedup by op
 *   id). The batch's cursor moves, member changes and servers do not depend on its ops and are committed
 *   again.</li>
 *   <li><b>Commit before reply, still.</b> A sync is answered only once the ops its answer confirms are durable: a
 *   deferred answer whose commit is lost never leaves (its chain was superseded first). So a client never learns of
 *   an op that is not in the store, from any server.</li>
 *   <li><b>Hints, not truth.</b> After each commit that appended ops or moved a client to another server, the store
 *   tells the other servers ({@code LISTEN}/{@code NOTIFY} on PostgreSQL, sent with the commit), carrying only the
 *   log id and its size ({@link HintListener}). A server that hears one reads the tail from its own durable size,
 *   supersedes its syncs that held a rebase on the old log, and forwards the new ops to the clients it serves. A
 *   hint may be lost (a dropped listener connection): the store then says so and the server reads every log
 *   again, and the store polls the heads of the logs as a safety net. A lost hint costs time, never an op: the
 *   next commit of that server loses the race and reads the tail anyway, and a sync whose anchor this server does
 *   not know makes it read the tail before it answers (the anchor may be an op another server just appended).</li>
 *   <li><b>Who forwards to whom.</b> Forward cursors are per (log, client) in the store, shared by all servers, and
 *   only move forward (a commit never moves a stored cursor back), so a client that moves to another server is
 *   caught up exactly from where it was. Each client is served by one server: the one it last synced or subscribed
 *   with, recorded in the store with its cursor. Only that server forwards to it, so an op is not forwarded by
 *   every server; the others learn of the move through the hint of its commit. A client that no server serves yet
 *   gets no forwards until it syncs or subscribes (a real client subscribes first), and servers never forward to
 *   each other (a server alone on its store forwards to every member, as it always did). While a move is under
 *   way two servers may forward the same op to one client; the client takes an op it has as applied, so that
 *   costs a message, never an op twice, and each server still forwards each op at most once to each client.</li>
 *   <li><b>No lease.</b> A per-log lease (a session-level advisory lock, released by PostgreSQL when its holder
 *   dies) could keep two servers from racing on one log, but it would add a wait to every failover and could not
 *   replace the fence (a lease holder that paused past its lease still writes): the fence is needed anyway, and a
 *   lost race costs one tail read and one more round trip for the syncs involved. So there is none.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its {@link ChainNode}'s thread, like the node ({@link #close}
 * excepted).
 *
 * @param <S> the domain's state type
 * @param <P> the domain's op payload type
 */
public final class OplogServer<S, P> {

    /** How many times the pause between failed forwards to one member doubles before it stays the same. */
    public static final int FORWARD_BACKOFF_DOUBLINGS = Forwarder.BACKOFF_DOUBLINGS;

    private static final Logger log = LoggerFactory.getLogger(OplogServer.class);

    /** What every hosted log shares: the node, its time, the domain, the store and the policies. */
    record Context<S, P>(ChainNode node, Scheduler scheduler, NanoClock clock, Domain<S, P> domain,
            ServerStore<P> store, StoreExecution execution, SyncLimits limits, ServerListener listener,
            Admission<P> admission) {
    }

    private final Context<S, P> ctx;
    private final java.util.Map<String, HostedLog<S, P>> logs = new LinkedHashMap<>();
    private final HintSubscription hints;

    private OplogServer(Context<S, P> ctx) {
        this.ctx = ctx;
        ctx.node().register(OplogProtocols.<P>sync(), this::onSyncMessage);
        ctx.node().register(OplogProtocols.<P>subscribe(), this::onSubscribe);
        this.hints = ctx.store().shared() ? ctx.store().listen(new HintListener() {
            @Override
            public void hint(String logId, int size) {
                ctx.execution().nodeThread().execute(() -> onHint(logId, size));
            }

            @Override
            public void hintsMayBeLost() {
                ctx.execution().nodeThread().execute(() -> logs.values().forEach(HostedLog::refresh));
            }
        }) : HintSubscription.NONE;
    }

    /**
     * Starts building a server on {@code node}.
     *
     * @param node the server's chain node
     * @param domain what ops mean
     * @param store what the server persists
     * @throws NullPointerException if an argument is null
     */
    public static <S, P> Builder<S, P> builder(ChainNode node, Domain<S, P> domain, ServerStore<P> store) {
        return new Builder<>(node, domain, store);
    }

    /**
     * Hosts a log as the store holds it (read it with {@link ServerStore#load} or {@link ServerStore#loadOrCreate},
     * on whatever thread may block), and forwards whatever its cursors say its members still lack.
     *
     * @param stored the log, its cursors and its members
     * @return the hosted log
     * @throws NullPointerException if {@code stored} is null
     * @throws IllegalArgumentException if this server hosts that log already
     * @throws IllegalStateException if the log does not replay (the message names the log, the op and why)
     */
    public HostedLog<S, P> host(StoredLog<P> stored) {
        Objects.requireNonNull(stored, "stored");
        if (logs.containsKey(stored.logId())) {
            throw new IllegalArgumentException("log " + stored.logId() + " is hosted already");
        }
        HostedLog<S, P> hosted = new HostedLog<>(ctx, stored);
        logs.put(stored.logId(), hosted);
        log.info("Hosting log [{}] of [{}] ops with [{}] members", stored.logId(), stored.log().size(),
                stored.members().size());
        hosted.forwardOwed();
        return hosted;
    }

    /**
     * Reads log {@code logId} from the store on the calling thread, creating it with {@code genesis} if absent, and
     * hosts it ({@link #host(StoredLog)}).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if this server hosts that log already
     * @throws IllegalStateException if the stored log does not replay
     * @throws RuntimeException as {@link ServerStore#loadOrCreate}
     */
    public HostedLog<S, P> host(String logId, Operation<P> genesis) {
        return host(ctx.store().loadOrCreate(logId, genesis));
    }

    /** The log of that id, if this server hosts it. */
    public Optional<HostedLog<S, P>> log(String logId) {
        return Optional.ofNullable(logs.get(logId));
    }

    /** The hosted logs, in the order they were hosted. */
    public Collection<HostedLog<S, P>> logs() {
        return Collections.unmodifiableCollection(logs.values());
    }

    /** The limits syncs are held to. */
    public SyncLimits limits() {
        return ctx.limits();
    }

    /** Whether every hosted log is idle: nothing being committed, no forward in flight or waiting. */
    public boolean isIdle() {
        return logs.values().stream().allMatch(HostedLog::isIdle);
    }

    /**
     * Stops listening for the store's hints (a server on a shared store; nothing otherwise). Call it when the node
     * closes; callable from any thread, idempotent.
     */
    public void close() {
        hints.close();
    }

    private void onHint(String logId, int size) {
        HostedLog<S, P> hosted = logs.get(logId);
        if (hosted != null) {
            hosted.onHint(size);
        }
    }

    // ---------------------------------------------------------------- routing

    private ResponderAction<SyncMessage<P>> onSyncMessage(ResponderChain chain, SyncMessage<P> message) {
        if (message instanceof SyncMessage.OpSync<P> sync && chain.step() == 0) {
            HostedLog<S, P> hosted = logs.get(sync.logId());
            if (hosted == null) {
                return refuse(chain, sync.logId(), new SyncMessage.SyncRejected<>(
                        SyncMessage.SyncRejected.Reason.WRONG_LOG, "this server hosts no log " + sync.logId()
                        + "; it hosts " + logs.keySet(), Vector.empty()));
            }
            return hosted.onOpSync(chain, sync);
        }
        HostedLog<S, P> hosted = chain.subject() instanceof String id ? logs.get(id) : null;
        if (message instanceof SyncMessage.ProcessorDecision<P> decision && hosted != null
                && chain.state() instanceof SyncResponder.Attempt) {
            return hosted.onDecision(chain, decision);
        }
        return ResponderAction.replyAndTerminate(new SyncMessage.SyncRejected<>(
                SyncMessage.SyncRejected.Reason.UNEXPECTED_MESSAGE,
                message.getClass().getSimpleName() + " has no place at step " + chain.step(), Vector.empty()));
    }

    private ResponderAction<SubscribeMessage<P>> onSubscribe(ResponderChain chain, SubscribeMessage<P> message) {
        if (!(message instanceof SubscribeMessage.Subscribe<P> subscribe)) {
            return ResponderAction.replyAndTerminate(new SubscribeMessage.Refused<>(
                    SyncMessage.SyncRejected.Reason.UNEXPECTED_MESSAGE, message.getClass().getSimpleName()
                    + " does not open a subscription"));
        }
        HostedLog<S, P> hosted = logs.get(subscribe.logId());
        if (hosted == null) {
            tell(() -> ctx.listener().refused(subscribe.logId(), chain.peer(),
                    SyncMessage.SyncRejected.Reason.WRONG_LOG));
            return ResponderAction.replyAndTerminate(new SubscribeMessage.Refused<>(
                    SyncMessage.SyncRejected.Reason.WRONG_LOG, "this server hosts no log " + subscribe.logId()));
        }
        SubscribeMessage<P> answer = hosted.onSubscribe(chain.peer());
        log.info("Subscription of [{}] to log [{}]: {}", chain.peer(), subscribe.logId(), answer);
        return ResponderAction.replyAndTerminate(answer);
    }

    private ResponderAction<SyncMessage<P>> refuse(ResponderChain chain, String logId,
            SyncMessage.SyncRejected<P> refusal) {
        log.warn("Sync chain [{}] from [{}] on log [{}] refused: {}", chain.id(), chain.peer(), logId, refusal);
        tell(() -> ctx.listener().refused(logId, chain.peer(), refusal.reason()));
        return ResponderAction.replyAndTerminate(refusal);
    }

    /** Calls a listener, logging and ignoring what it throws. */
    static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("A server listener threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "OplogServer[" + ctx.node().id() + ", logs " + logs.keySet() + "]";
    }

    /**
     * Builds an {@link OplogServer}. Not thread-safe; {@link #build} on the node's thread.
     *
     * @param <S> the domain's state type
     * @param <P> the domain's op payload type
     */
    public static final class Builder<S, P> {
        private final ChainNode node;
        private final Domain<S, P> domain;
        private final ServerStore<P> store;
        private Scheduler scheduler;
        private NanoClock clock;
        private StoreExecution execution;
        private SyncLimits limits = SyncLimits.defaults();
        private ServerListener listener = ServerListener.NONE;

        private Builder(ChainNode node, Domain<S, P> domain, ServerStore<P> store) {
            this.node = Objects.requireNonNull(node, "node");
            this.domain = Objects.requireNonNull(domain, "domain");
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
         * Where store calls run; by default on the node's thread ({@link StoreExecution#onNodeThread}).
         *
         * @throws NullPointerException if null
         */
        public Builder<S, P> execution(StoreExecution execution) {
            this.execution = Objects.requireNonNull(execution, "execution");
            return this;
        }

        /** The limits syncs are held to; {@link SyncLimits#defaults()} by default. @throws NullPointerException if null */
        public Builder<S, P> limits(SyncLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Hears refusals and commits; none by default. @throws NullPointerException if null */
        public Builder<S, P> listener(ServerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the server and registers its responders on the node; call it on the node's thread.
         *
         * @throws IllegalStateException if the scheduler or clock is missing, or the node already answers the sync
         *     or subscribe protocol
         */
        public OplogServer<S, P> build() {
            if (scheduler == null || clock == null) {
                throw new IllegalStateException("an OplogServer needs the node's scheduler and clock");
            }
            StoreExecution exec = execution != null ? execution : StoreExecution.onNodeThread(scheduler);
            return new OplogServer<>(new Context<>(node, scheduler, clock, domain, store, exec, limits, listener,
                    new Admission<>(limits, domain.payloads())));
        }
    }
}
