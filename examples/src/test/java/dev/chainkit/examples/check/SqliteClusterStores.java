package dev.chainkit.examples.check;

import io.vavr.collection.Map;
import dev.chainkit.oplog.Role;
import dev.chainkit.core.NodeId;
import dev.chainkit.examples.cluster.ClusterStores;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.NodeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's nodes on SQLite files, one per node and run, in a folder: a node that starts opens its file (a
 * restart closes the crashed incarnation's database first and opens the file again, which replays and validates
 * it, as a restarted process would). A new run (a new genesis op object, i.e. a new cluster) starts a new subfolder
 * and closes the previous run's databases.
 *
 * <p>Thread safety: use on the simulation's thread.
 */
final class SqliteClusterStores implements ClusterStores, AutoCloseable {

    private static final Tournament DOMAIN = new Tournament();
    private static final String DB = "db";

    private final Path folder;
    private final List<OplogDatabase> open = new ArrayList<>();
    private Operation<TournamentOp> runGenesis;
    private Path runFolder;
    private int runs;

    SqliteClusterStores(Path folder) {
        this.folder = folder;
    }

    private OplogDatabase reopen(NodeContext ctx, Operation<TournamentOp> genesis) {
        if (genesis != runGenesis) { // a new cluster, so a new run
            close();
            runGenesis = genesis;
            runFolder = folder.resolve("run" + (++runs));
            try {
                Files.createDirectories(runFolder);
            } catch (IOException e) {
                throw new IllegalStateException("cannot make " + runFolder, e);
            }
        }
        ctx.durable().<OplogDatabase>find(DB).ifPresent(crashed -> {
            crashed.close();
            open.remove(crashed);
        });
        OplogDatabase db = OplogDatabase.sqlite(runFolder.resolve(ctx.id().name() + ".db"));
        open.add(db);
        ctx.durable().put(DB, db);
        return db;
    }

    @Override
    public ServerStore<TournamentOp> server(NodeContext ctx, String logId, Operation<TournamentOp> genesis,
            Map<NodeId, Role> members) {
        ServerStore<TournamentOp> store = reopen(ctx, genesis).serverStore(DOMAIN);
        store.loadOrCreate(logId, genesis, members);
        ctx.durable().put(KEY, store);
        return store;
    }

    @Override
    public ClientStore<TournamentOp> client(NodeContext ctx, String logId, Operation<TournamentOp> genesis) {
        ClientStore<TournamentOp> store = reopen(ctx, genesis).clientStore(logId, DOMAIN, genesis);
        ctx.durable().put(KEY, store);
        return store;
    }

    /** Closes every database still open. */
    @Override
    public void close() {
        open.forEach(OplogDatabase::close);
        open.clear();
    }
}
