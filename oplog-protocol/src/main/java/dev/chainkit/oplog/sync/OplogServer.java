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
 *   <li><b>Shared truth.</b> Everything a second server would need (ops, cursors, members) is in the store, written
 *   through fenced appends; what is kept here only in memory (chains, attempts, backoffs) is this node's own
 *   work.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its {@link ChainNode}'s thread, like the node.
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

    private OplogServer(Context<S, P> ctx) {
        this.ctx = ctx;
        ctx.node().register(OplogProtocols.<P>sync(), this::onSyncMessage);
        ctx.node().register(OplogProtocols.<P>subscribe(), this::onSubscribe);
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

    // ---------------------------------------------------------------- routing

    private ResponderAction<SyncMessage<P>> onSyncMessage(ResponderChain chain, SyncMessage<P> message) {
        if (message instanceof SyncMessage.OpSync<P> sync && chain.step() == 0) {
            Optional<SyncMessage.SyncRejected<P>> tooBig = ctx.admission().sizes(sync);
            if (tooBig.isPresent()) {
                return refuse(chain, sync.logId(), tooBig.get());
            }
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
                && chain.state() instanceof HostedLog.Attempt) {
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
