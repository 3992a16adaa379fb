package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.tournament.TournamentOp;

import org.junit.jupiter.api.AfterEach;

/**
 * The client store contract on a fresh database of the PostgreSQL server the tests start (or the one named by
 * {@code -Dchainkit.postgres.url}).
 */
class PostgresClientStoreTest extends ClientStoreContract {

    private final StoreFiles files = new StoreFiles(new DatabaseOnce());
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
