package dev.chainkit.examples.cluster;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainRole;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ForwardMessage;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogProtocols;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.Simulation;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Follows every chain of one simulated run of the tournament sync, on every node and across incarnations, and
 * checks the termination promises as events happen: no step beyond the protocol's declared maximum; no more
 * conflict rounds in a sync than the ops it carried; no forward of an op back to the client it came from, nor a
 * second completed forward of one op to one client by one server incarnation (a restarted server whose cursor was
 * not yet durable forwards again, and the client answers from what it has); no handler that threw or broke the
 * protocol. It also counts what the liveness checks and the message bound need: each chain's declared step bound
 * and the ops it carried, how each ended, and per client how many syncs and forwards it had. The property runner
 * ({@code TournamentSyncCheck}) and the explorer ({@code OplogExploreModel}) both check with it.
 *
 * <p>What a chain carries is read when it starts, from the initiator's state at that instant (its pending ops, or
 * for a forward, the server's log after that client's persisted cursor): exactly what the opening message holds,
 * since the engine reports the start synchronously before it sends.
 *
 * <p>Pass it to {@link Simulation.Builder#listener} (alone or with other listeners) before the nodes are added,
 * {@link #bind(Simulation)} it then, and {@link #bind(TournamentCluster)} once the cluster exists.
 *
 * <p>Thread safety: not thread-safe; the simulation calls it on its one thread.
 */
public final class SyncAudit implements ChainListener {

    /**
     * What one chain did, as far as the audit saw.
     *
     * <p>Thread safety: not thread-safe; read it on the simulation's thread.
     */
    public static final class ChainRecord {
        private final ChainId id;
        private final boolean sync;
        private final NodeId initiator;
        private final NodeId peer;
        /** The protocol's declared step bound for this chain's opening message. */
        private int maxSteps;
        /** The ops the opening message carried (for a sync: the pending ops; for a forward: the new ops). */
        private Vector<OpId> carried = Vector.empty();
        private int conflictRounds;
        /** How the chain ended for its initiator, or null if it never did (its initiator crashed first). */
        private ChainEventType end;

        ChainRecord(ChainId id, boolean sync, NodeId initiator, NodeId peer) {
            this.id = id;
            this.sync = sync;
            this.initiator = initiator;
            this.peer = peer;
        }

        /** Whether it is a sync chain (a client's {@code OpSync}); otherwise a forward. */
        public boolean sync() {
            return sync;
        }

        /** The node that opened it. */
        public NodeId initiator() {
            return initiator;
        }

        /** The node it was opened with. */
        public NodeId peer() {
            return peer;
        }

        /** The protocol's declared step bound for its opening message, in steps. */
        public int maxSteps() {
            return maxSteps;
        }

        /** How many conflict rounds ({@code OpProcessor} answers) its initiator handled. */
        public int conflictRounds() {
            return conflictRounds;
        }

        /** How it ended for its initiator, or null if it never did (its initiator crashed first, or it is open). */
        public ChainEventType end() {
            return end;
        }
    }

    private final Map<ChainId, ChainRecord> chains = new LinkedHashMap<>();
    private final Map<String, Integer> completedForwards = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long retransmissions;
    private Simulation sim;
    private TournamentCluster cluster;

    /** Creates an audit that has seen nothing. */
    public SyncAudit() {
    }

    /**
     * Lets the audit read the nodes' state; call before any node is added.
     *
     * @param simulation the simulation whose chain events this audit receives
     */
    public void bind(Simulation simulation) {
        this.sim = simulation;
    }

    /**
     * Lets the audit name ops by their labels; call once the cluster exists.
     *
     * @param tournament the cluster on the simulation
     */
    public void bind(TournamentCluster tournament) {
        this.cluster = tournament;
    }

    @Override
    public void onEvent(ChainEvent e) {
        switch (e.type()) {
            case STARTED -> started(e);
            case SENT -> sent(e);
            case RETRANSMITTED -> retransmissions++;
            case HANDLED -> {
                if (e.role() == ChainRole.INITIATOR && "OpProcessor".equals(e.detail())) {
                    ChainRecord r = chains.get(e.chainId());
                    if (r != null && ++r.conflictRounds > r.carried.size()) {
                        violate("sync chain " + e.chainId() + " of " + e.node() + " had " + r.conflictRounds
                                + " conflict rounds but carried only " + r.carried.size() + " ops");
                    }
                }
            }
            case VIOLATION -> violate("the engine of " + e.node() + " saw a protocol violation in chain "
                    + e.chainId() + " at step " + e.step() + ": " + e.detail());
            case COMPLETED, FAILED, SUPERSEDED, TIMED_OUT -> ended(e);
            default -> { }
        }
    }

    private void started(ChainEvent e) {
        boolean sync = OplogProtocols.SYNC_NAME.equals(e.protocol());
        ChainRecord r = new ChainRecord(e.chainId(), sync, e.node(), e.peer());
        chains.put(e.chainId(), r);
        if (sync) {
            Object app = sim.node(e.node()).app();
            if (app instanceof OplogClient<?, ?> c) {
                @SuppressWarnings("unchecked")
                OplogClient<TournamentState, TournamentOp> client = (OplogClient<TournamentState, TournamentOp>) c;
                Vector<Operation<TournamentOp>> pending = client.pendingOps();
                r.carried = pending.map(Operation::id);
                r.maxSteps = OplogProtocols.<TournamentOp>sync().maxSteps(
                        new SyncMessage.OpSync<>(TournamentCluster.LOG_ID, client.syncedTip(), pending));
            } else {
                violate(e.node() + " opened sync chain " + e.chainId() + " but is not a client");
            }
            return;
        }
        OpLog<TournamentOp> log;
        int cursor;
        int end;
        if (sim.node(e.node()).app() instanceof HostedLog<?, ?> running) {
            @SuppressWarnings("unchecked")
            HostedLog<TournamentState, TournamentOp> server = (HostedLog<TournamentState, TournamentOp>) running;
            log = server.log();
            cursor = server.forwardCursor(e.peer());
            end = server.durableSize(); // only durable ops are forwarded
        } else { // a forward started while the server is being built: it forwards from what its store holds
            @SuppressWarnings("unchecked")
            ServerStore<TournamentOp> store = (ServerStore<TournamentOp>) sim.node(e.node()).durable()
                    .find(ClusterStores.KEY)
                    .orElseThrow(() -> new IllegalStateException(e.node() + " opened a forward but keeps no store"));
            StoredLog<TournamentOp> stored = store.load(TournamentCluster.LOG_ID).orElseThrow();
            log = stored.log();
            cursor = stored.cursor(e.peer());
            end = log.size();
        }
        cursor = Math.min(cursor, end - 1);
        Vector<Operation<TournamentOp>> ops = log.ops().slice(cursor + 1, end);
        r.carried = ops.map(Operation::id);
        r.maxSteps = ops.isEmpty() ? 2 : OplogProtocols.<TournamentOp>forward().maxSteps(
                new ForwardMessage.ForwardSync<>(TournamentCluster.LOG_ID, log.get(cursor).id(), ops));
        for (Operation<TournamentOp> op : ops) {
            if (op.author().node().equals(e.peer().name())) {
                violate(e.node() + " forwarded " + label(op.id()) + " back to its origin " + e.peer()
                        + " (forward chain " + e.chainId() + ")");
                return;
            }
        }
    }

    private void sent(ChainEvent e) {
        ChainRecord r = chains.get(e.chainId());
        if (r == null) {
            return;
        }
        if (e.step() >= r.maxSteps) {
            violate(e.node() + " sent step " + e.step() + " of chain " + e.chainId() + " (" + e.detail()
                    + "), beyond the protocol's declared maximum of " + r.maxSteps + " steps");
        }
    }

    private void ended(ChainEvent e) {
        if (e.role() == ChainRole.RESPONDER) {
            if (e.type() == ChainEventType.FAILED) {
                violate("the responder of chain " + e.chainId() + " on " + e.node()
                        + " failed (its handler threw or broke the protocol): " + e.detail());
            }
            return;
        }
        ChainRecord r = chains.get(e.chainId());
        if (r == null) {
            return;
        }
        r.end = e.type();
        if (e.type() == ChainEventType.FAILED && isBug(e.detail())) {
            violate("chain " + e.chainId() + " of " + e.node() + " failed because of a bug: " + e.detail());
        }
        if (!r.sync && e.type() == ChainEventType.COMPLETED) {
            for (OpId op : r.carried) {
                // per incarnation: a server that crashed before its cursor was durable forwards again, and the
                // client answers from what it has (no loop); within one incarnation a second forward is a bug
                int n = completedForwards.merge(e.node().name() + "|" + r.id.incarnation() + "|" + r.peer.name()
                        + "|" + op.value(), 1, Integer::sum);
                if (n > 1) {
                    violate(e.node() + " forwarded " + label(op) + " to " + r.peer + " in " + n + " completed"
                            + " forwards of its incarnation " + r.id.incarnation() + "; each server incarnation"
                            + " forwards each op to each other client at most once");
                }
            }
        }
    }

    /**
     * Whether an initiator's failure reason names a bug rather than a fault: a handler that threw, a protocol
     * violation, an answer that contradicts the sync, or a sync the server refused as malformed.
     */
    private static boolean isBug(String detail) {
        return detail.startsWith("handler error") || detail.startsWith("protocol violation")
                || detail.startsWith("SyncSuccess names tip") || detail.startsWith("unexpected")
                || detail.startsWith("INVALID_DECISION") || detail.startsWith("UNEXPECTED_MESSAGE")
                || detail.startsWith("WRONG_LOG") || detail.startsWith("UNKNOWN_ANCHOR")
                || detail.startsWith("aborted: responder handler error")
                || detail.startsWith("aborted: responder produced an invalid reply")
                || detail.startsWith("aborted: step limit");
    }

    private String label(OpId id) {
        return cluster == null ? id.value() : cluster.labelOf(id);
    }

    private void violate(String message) {
        if (violations.isEmpty()) {
            violations.add(message);
        }
    }

    /** The first broken promise seen, or null. */
    public String violation() {
        return violations.isEmpty() ? null : violations.get(0);
    }

    /** Every chain of the run, in the order they started. */
    public Collection<ChainRecord> chains() {
        return Collections.unmodifiableCollection(chains.values());
    }

    /** How many retransmissions the initiators made. */
    public long retransmissions() {
        return retransmissions;
    }

    /**
     * Writes what of this audit a later check of {@code node}'s chains reads, for a model checker whose state
     * caching must not merge two states that this audit would judge apart: for each chain {@code node} opened in its
     * running incarnation that has not ended, its id, declared step bound, conflict rounds and the ops it carried
     * (the next {@code OpProcessor} and its completion are judged on them); and, for a server, each op it completed
     * a forward of in its running incarnation, with the client (a second completed forward of it in that
     * incarnation is a violation). Chains that ended or whose
     * initiator's incarnation is gone are left out: no initiator event of theirs can come any more. The
     * description stays bounded (open chains, ops times clients), so a run that loops returns to a state described
     * alike.
     *
     * @param node the node whose part of the audit to write
     * @param sink where to write it
     */
    public void digest(NodeId node, StateSink sink) {
        boolean up = sim.node(node).isUp();
        long incarnation = sim.node(node).incarnation();
        for (ChainRecord r : chains.values()) {
            if (up && r.end == null && r.initiator.equals(node) && r.id.incarnation() == incarnation) {
                sink.putChainId(r.id).putInt(r.maxSteps).putInt(r.conflictRounds).putInt(r.carried.size());
                r.carried.forEach(op -> sink.putString(op.value()));
            }
        }
        String prefix = node.name() + "|" + incarnation + "|";
        TreeSet<String> forwarded = new TreeSet<>();
        completedForwards.forEach((key, n) -> {
            if (key.startsWith(prefix)) {
                forwarded.add(key.substring(prefix.length()) + "|" + n);
            }
        });
        sink.putInt(forwarded.size());
        forwarded.forEach(sink::putString);
    }
}
