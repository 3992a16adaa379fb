package dev.chainkit.examples.cluster;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a scenario's expectations and its report read of a tournament cluster once a run has stopped: each node's
 * log, what each client still holds, what the author of each op knows of it, and whether the logs agree. The
 * simulated {@link TournamentCluster} is one; a cluster of real processes ({@code chainsim live}) is another, built
 * from what each node reported of itself. So both are checked by the same code, line for line.
 *
 * <p>Thread safety: as the implementation says; the checks read it from one thread after the run.
 */
public interface ClusterView {

    /** The (first) server's node name: the genesis op's author. */
    String serverName();

    /** Every node's name, the servers first. */
    List<String> nodeNames();

    /** Whether {@code node} is a server; with one server, whether it is {@link #serverName()}. */
    default boolean isServer(String node) {
        return serverName().equals(node);
    }

    /**
     * The log every node is held to: what the store the servers share holds, with several; with one, the server's
     * log.
     */
    default OpLog<TournamentOp> storeLog() {
        return log(serverName());
    }

    /**
     * The servers' own ops that another server's append pushed out and that no longer applied, with the reason;
     * none with one server, whose appends nobody else's can push out.
     */
    default Map<OpId, String> droppedServerOps() {
        return Map.of();
    }

    /**
     * The log of {@code node}: its running incarnation's, or what its store kept while it is down.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    OpLog<TournamentOp> log(String node);

    /**
     * The log of {@code node} as labels: an op's label, or its id when it has none.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    List<String> labels(String node);

    /** Ops a client still holds unsynced (0 for the server or a node that is down). */
    int pendingOps(String node);

    /** The op id a label stands for, if an op of that label was made or refused (or the label is {@code o0}). */
    Optional<OpId> idOf(String label);

    /**
     * What the author of {@code id} knows of it: the record of the first client incarnation that carried it in a
     * chain, else the latest one that knows it.
     */
    Optional<OpRecord> record(OpId id);

    /**
     * Whether every log is identical, every state is the replay of its log, and nothing is pending.
     *
     * @return empty when converged, otherwise what differs
     */
    Optional<String> divergence();
}
