package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;

import org.junit.jupiter.api.AfterEach;

/**
 * The server store contract on a fresh database of the PostgreSQL server the tests start (or the one named by
 * {@code -Dchainkit.postgres.url}).
 */
class PostgresServerStoreTest extends ServerStoreContract {

    private final StoreFiles files = new StoreFiles(new DatabaseOnce());

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
