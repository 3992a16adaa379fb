package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;

/** The server store contract on a SQLite file in a temp folder, reopened as a restarted process would. */
class SqliteServerStoreTest extends ServerStoreContract {

    @TempDir
    Path folder;
    private final StoreFiles files = new StoreFiles(() -> OplogDatabase.sqlite(folder.resolve("store.db")));

    @AfterEach
    void close() {
        files.close();
    }

    @Override
    ServerStore<TournamentOp> store() {
        return files.db().serverStore(Ops.DOMAIN);
    }

    @Override
    ServerStore<TournamentOp> reopen() {
        return files.reopen().serverStore(Ops.DOMAIN);
    }
}
