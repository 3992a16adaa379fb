package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database, each with its own connection, race to append at the same position of one
 * log, round after round: one wins each race, the other learns it from a typed conflict, and the log stays dense.
 */
class PostgresFencingTest {

    private static final int ROUNDS = 40;

    @Test
    void twoServersRacingForOnePositionNeverBothAppend() throws Exception {
        LocalPostgres pg = LocalPostgres.shared();
        String url = pg.createDatabase("fencing");
        String logId = "race";
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (OplogDatabase a = OplogDatabase.postgres(url, pg.user(), pg.password());
                OplogDatabase b = OplogDatabase.postgres(url, pg.user(), pg.password())) {
            a.serverStore(Ops.DOMAIN).loadOrCreate(logId, Ops.genesis(logId));
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<List<Optional<AppendConflict>>>> results = new ArrayList<>();
            for (OplogDatabase db : List.of(a, b)) {
                String server = db == a ? "a" : "b";
                results.add(threads.submit(() -> race(db.serverStore(Ops.DOMAIN), logId, server, start)));
            }
            int wins = 0;
            for (Future<List<Optional<AppendConflict>>> f : results) {
                for (Optional<AppendConflict> r : f.get(120, TimeUnit.SECONDS)) {
                    if (r.isEmpty()) {
                        wins++;
                    } else {
                        assertInstanceOf(AppendConflict.LogMoved.class, r.get());
                    }
                }
            }
            assertEquals(ROUNDS, wins, "each round has exactly one winner");
            OpLog<TournamentOp> log = b.serverStore(Ops.DOMAIN).load(logId).orElseThrow().log();
            assertEquals(ROUNDS + 1, log.size(), "dense: one op per round after the genesis");
            for (int round = 0; round < ROUNDS; round++) {
                assertTrue(log.contains(OpId.of("a" + round)) ^ log.contains(OpId.of("b" + round)),
                        "round " + round + " was won by exactly one server");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Each round: wait for the other server, read the size, append at it. */
    private static List<Optional<AppendConflict>> race(ServerStore<TournamentOp> store, String logId, String server,
            CyclicBarrier start) throws Exception {
        List<Optional<AppendConflict>> results = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            start.await(60, TimeUnit.SECONDS);
            int size = 1 + round; // both know the log after the previous round
            results.add(store.commit(List.of(LogAppend.of(logId, size,
                    Vector.of(Ops.op(server + round, round, "register " + server + "p" + round))))));
            start.await(60, TimeUnit.SECONDS);
        }
        return results;
    }
}
