package dev.chainkit.examples.cluster;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.OpFate;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks two promises each client of a simulated cluster keeps over its whole life, crashes included, which no single
 * state shows: its synced history never shrinks (a finalized op is never rolled back), and what it tells its user
 * about an op (synced, dropped, rejected) is final: a dropped op never turns out synced after all. (No op id twice
 * in a log is the cluster's, {@link TournamentCluster#invariantViolation()}.) The property runner
 * ({@code TournamentSyncCheck}) and the explorer ({@code OplogExploreModel}) both check with it.
 *
 * <p>A client's fates change only with its log or its synced tip, and its user's new ops add records, so its records
 * are read again only after one of those changed.
 *
 * <p>Thread safety: not thread-safe; use it on the simulation's thread.
 */
public final class HistoryAudit {

    private final Simulation sim;
    private final List<String> clients;
    private final TournamentCluster cluster;
    private final Map<String, Integer> syncedLength = new HashMap<>();
    private final Map<String, OpFate> toldFates = new HashMap<>();
    /** Per client: the incarnation, log, synced tip and record count its records were last read at. */
    private final Map<String, Object[]> recordsRead = new HashMap<>();

    /**
     * An audit that has seen nothing yet.
     *
     * @param simulation the simulation the clients run on
     * @param cluster the cluster, to name ops by their labels
     * @param clients the clients' names
     * @throws NullPointerException if an argument is null
     */
    public HistoryAudit(Simulation simulation, TournamentCluster cluster, List<String> clients) {
        this.sim = Objects.requireNonNull(simulation, "simulation");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clients = List.copyOf(clients);
    }

    /**
     * Looks at every client now; call it after every event that may have changed a client.
     *
     * @return the first broken promise seen now, or null
     */
    public String violation() {
        for (String c : clients) {
            int synced = syncedLength(c);
            Integer before = syncedLength.put(c, synced);
            if (before != null && synced < before) {
                return c + "'s synced history shrank from " + before + " to " + synced
                        + " ops: a finalized op was rolled back";
            }
            if (sim.node(c).app() instanceof OplogClient<?, ?> client) {
                Object[] last = recordsRead.get(c);
                Integer records = client.opRecords().size();
                if (last != null && last[0] == client && last[1] == client.log() && last[2] == client.syncedTip()
                        && last[3].equals(records)) {
                    continue;
                }
                recordsRead.put(c, new Object[] {client, client.log(), client.syncedTip(), records});
                for (OpRecord r : client.opRecords().values()) {
                    if (r.fate() == OpFate.PENDING) {
                        continue;
                    }
                    OpFate told = toldFates.putIfAbsent(c + "|" + r.id().value(), r.fate());
                    if (told != null && told != r.fate()) {
                        return c + " told its user " + cluster.labelOf(r.id()) + " was " + told
                                + ", and now says " + r.fate() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")");
                    }
                }
            }
        }
        return null;
    }

    /**
     * Writes what of this audit a later check of client {@code node} reads, for a model checker whose state caching
     * must not merge two states this audit would judge apart: the longest synced history seen, and each fate told to
     * the user, by op. Both stay bounded (the ops made), so a run that loops returns to a state described alike.
     * Writes nothing for a node that is not one of the clients.
     *
     * @param node the node
     * @param sink where to write it
     */
    public void digest(NodeId node, StateSink sink) {
        String c = node.name();
        if (!clients.contains(c)) {
            return;
        }
        sink.putInt(syncedLength.getOrDefault(c, -1));
        String prefix = c + "|";
        Map<String, OpFate> told = new TreeMap<>();
        toldFates.forEach((key, fate) -> {
            if (key.startsWith(prefix)) {
                told.put(key.substring(prefix.length()), fate);
            }
        });
        sink.putInt(told.size());
        told.forEach((op, fate) -> sink.putString(op).putValue(fate));
    }

    /** How many ops of a client's log are synced: from its live incarnation, or its store while it is down. */
    @SuppressWarnings("unchecked")
    private int syncedLength(String client) {
        SimNode<?> node = sim.node(client);
        if (node.app() instanceof OplogClient<?, ?> c) {
            return c.log().indexOf(c.syncedTip()) + 1;
        }
        ClientStore<TournamentOp> store = (ClientStore<TournamentOp>) node.durable().find(ClusterStores.KEY)
                .orElseThrow();
        return store.log().indexOf(store.syncedTip()) + 1;
    }
}
