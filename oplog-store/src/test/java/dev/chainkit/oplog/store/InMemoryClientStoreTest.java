package dev.chainkit.oplog.store;

import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.tournament.TournamentOp;

/** The client store contract on {@link ClientStore#inMemory}: what the simulator runs on. */
class InMemoryClientStoreTest extends ClientStoreContract {

    private final ClientStore<TournamentOp> store = ClientStore.inMemory(OpLog.genesis(Ops.genesis(LOG)));

    @Override
    ClientStore<TournamentOp> store() {
        return store;
    }

    @Override
    ClientStore<TournamentOp> reopen() {
        return store;
    }
}
