package dev.chainkit.examples.cluster;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Map;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.NodeContext;

/**
 * What the nodes of a {@link TournamentCluster} keep their logs in: called at each start and restart of a node, on
 * its thread, it returns the node's store as it survived the crash, and keeps it in the node's {@link
 * dev.chainkit.sim.Durable} under {@link #KEY} (where the cluster and the checks read a node's log while it is
 * down). The default keeps them in memory; the sweep also runs on SQLite files.
 *
 * <p>Thread safety: used on the simulation's thread.
 */
public interface ClusterStores {

    /** The {@link dev.chainkit.sim.Durable} key under which a node's store is kept. */
    String KEY = "store";

    /**
     * The server's store, holding log {@code logId} (created with {@code genesis} and {@code members} at the first
     * start).
     *
     * @param ctx the starting incarnation
     * @param logId the log
     * @param genesis the log's genesis op
     * @param members the log's members, with their roles
     * @return the store
     */
    ServerStore<TournamentOp> server(NodeContext ctx, String logId, Operation<TournamentOp> genesis,
            Map<NodeId, Role> members);

    /**
     * A client's store of log {@code logId} (holding only {@code genesis} at the first start).
     *
     * @param ctx the starting incarnation
     * @param logId the log
     * @param genesis the log's genesis op
     * @return the store
     */
    ClientStore<TournamentOp> client(NodeContext ctx, String logId, Operation<TournamentOp> genesis);

    /**
     * Stores in memory, kept across a simulated crash.
     *
     * @return the stores
     */
    static ClusterStores inMemory() {
        return new ClusterStores() {
            @Override
            public ServerStore<TournamentOp> server(NodeContext ctx, String logId, Operation<TournamentOp> genesis,
                    Map<NodeId, Role> members) {
                return ctx.durable().get(KEY, () -> {
                    ServerStore<TournamentOp> store = ServerStore.inMemory();
                    store.loadOrCreate(logId, genesis, members);
                    return store;
                });
            }

            @Override
            public ClientStore<TournamentOp> client(NodeContext ctx, String logId, Operation<TournamentOp> genesis) {
                return ctx.durable().get(KEY, () -> ClientStore.inMemory(OpLog.genesis(genesis)));
            }
        };
    }
}
