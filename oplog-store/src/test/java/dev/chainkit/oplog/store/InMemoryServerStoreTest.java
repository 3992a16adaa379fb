package dev.chainkit.oplog.store;

import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;

/** The server store contract on {@link ServerStore#inMemory()}: what the simulator runs on. */
class InMemoryServerStoreTest extends ServerStoreContract {

    private final ServerStore<TournamentOp> store = ServerStore.inMemory();

    @Override
    ServerStore<TournamentOp> store() {
        return store;
    }

    @Override
    ServerStore<TournamentOp> reopen() {
        return store; // the simulator keeps the object across a crash
    }
}
