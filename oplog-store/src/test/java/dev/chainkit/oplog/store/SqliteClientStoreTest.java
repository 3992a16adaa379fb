package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;

/** The client store contract on a SQLite file in a temp folder, reopened as a restarted process would. */
class SqliteClientStoreTest extends ClientStoreContract {

    @TempDir
    Path folder;
    private final StoreFiles files = new StoreFiles(() -> OplogDatabase.sqlite(folder.resolve("store.db")));
    private ClientStore<TournamentOp> store;

    @AfterEach
    void close() {
        files.close();
    }

    @Override
    ClientStore<TournamentOp> store() {
        if (store == null) {
            store = files.db().clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG));
        }
        return store;
    }

    @Override
    ClientStore<TournamentOp> reopen() {
        store = files.reopen().clientStore(LOG, Ops.DOMAIN, Ops.genesis(LOG));
        return store;
    }
}
