package dev.chainkit.examples.live;

import dev.chainkit.examples.cluster.ClusterView;
import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A live run's cluster once it has stopped, as the expectations read it ({@link ClusterView}): each node's log as the
 * node reported it (or, for a node that was down at the end, as its store kept it), what each client still held,
 * and what the nodes told of their users' ops while they ran ({@link Observations}). Op ids are the scenario's
 * labels (the runner makes every labelled op with its label as id), so a log reads as labels directly.
 *
 * <p>Thread safety: immutable once built; read on one thread.
 */
final class LiveCluster implements ClusterView {

    /**
     * One node at the end of the run.
     *
     * @param log its log
     * @param pending ops its user made that it still holds unsynced
     * @param stateMismatch null when its state is the replay of its log (or it is down), else how it differs
     */
    record NodeEnd(OpLog<TournamentOp> log, int pending, String stateMismatch) { }

    private final String serverName;
    private final Map<String, NodeEnd> nodes;
    private final Set<String> labels;
    private final Observations observations;

    /**
     * @param serverName the server's name
     * @param nodes every node, the server first
     * @param labels every label an op was made (or refused) with
     * @param observations what the nodes told
     */
    LiveCluster(String serverName, Map<String, NodeEnd> nodes, Set<String> labels, Observations observations) {
        this.serverName = serverName;
        this.nodes = new LinkedHashMap<>(nodes);
        this.labels = Set.copyOf(labels);
        this.observations = observations;
    }

    @Override
    public String serverName() {
        return serverName;
    }

    @Override
    public List<String> nodeNames() {
        return List.copyOf(nodes.keySet());
    }

    @Override
    public OpLog<TournamentOp> log(String node) {
        return end(node).log();
    }

    @Override
    public List<String> labels(String node) {
        return log(node).ops().map(op -> op.id().value()).toJavaList();
    }

    @Override
    public int pendingOps(String node) {
        return end(node).pending();
    }

    @Override
    public Optional<OpId> idOf(String label) {
        return label.equals(TournamentCluster.GENESIS) || labels.contains(label) ? Optional.of(OpId.of(label))
                : Optional.empty();
    }

    @Override
    public Optional<OpRecord> record(OpId id) {
        return observations.record(id);
    }

    @Override
    public Optional<String> divergence() {
        OpLog<TournamentOp> reference = log(serverName);
        for (String node : nodes.keySet()) {
            if (!log(node).equals(reference)) {
                return Optional.of(node + " has " + labels(node) + " but " + serverName + " has "
                        + labels(serverName));
            }
            if (pendingOps(node) > 0) {
                return Optional.of(node + " still has " + pendingOps(node) + " pending ops");
            }
        }
        return invariantViolation();
    }

    /**
     * The safety invariants as they can be judged from the end of a live run: no log holds an op id twice; every
     * node's state is the replay of its log (each node checked itself); no client believes an op is synced that the
     * server lacks (the synced part of its log is a prefix of the server's).
     *
     * @return empty while they hold, otherwise the first broken one
     */
    Optional<String> invariantViolation() {
        OpLog<TournamentOp> serverLog = log(serverName);
        for (Map.Entry<String, NodeEnd> e : nodes.entrySet()) {
            String node = e.getKey();
            NodeEnd end = e.getValue();
            Set<OpId> seen = new HashSet<>();
            for (Operation<TournamentOp> op : end.log().ops()) {
                if (!seen.add(op.id())) {
                    return Optional.of(node + "'s log holds " + op.id().value() + " twice");
                }
            }
            if (end.stateMismatch() != null) {
                return Optional.of(node + "'s " + end.stateMismatch());
            }
            int synced = end.log().size() - end.pending();
            for (int i = 0; i < synced; i++) {
                Operation<TournamentOp> op = end.log().get(i);
                if (i >= serverLog.size() || !op.equals(serverLog.get(i))) {
                    return Optional.of(node + " believes " + String.join(" ", labels(node).subList(0, synced))
                            + " is synced, but the server has " + String.join(" ", labels(serverName)));
                }
            }
        }
        return Optional.empty();
    }

    private NodeEnd end(String node) {
        NodeEnd end = nodes.get(node);
        if (end == null) {
            throw new IllegalArgumentException("unknown node " + node + "; known: " + nodes.keySet());
        }
        return end;
    }
}
