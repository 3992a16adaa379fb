package dev.chainkit.oplog.store;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.sync.HostedLog;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoreExecution;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.NodeContext;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.util.List;

/** Tournament ops for the store tests: a genesis and players registered one op each. */
final class Ops {

    static final Tournament DOMAIN = new Tournament();
    static final Author ORGANIZER = new Author("hq", Role.organizer());
    static final Author JUDGE = new Author("c1", Role.judge());

    private Ops() {
    }

    static Operation<TournamentOp> genesis(String logId) {
        return new Operation<>(OpId.of("o0"), ORGANIZER, 0, new TournamentOp.Create(logId, "hq"));
    }

    static Operation<TournamentOp> op(String id, String text) {
        return op(id, 7, text);
    }

    static Operation<TournamentOp> op(String id, long createdAtMs, String text) {
        return new Operation<>(OpId.of(id), JUDGE, createdAtMs,
                TournamentOp.parse(text).getOrElseThrow(msg -> new IllegalArgumentException(msg)));
    }

    /** {@code count} registrations named {@code prefix1, prefix2, ...}. */
    static Vector<Operation<TournamentOp>> registrations(String prefix, int from, int count) {
        return Vector.range(from, from + count).map(i -> op(prefix + i, i, "register " + prefix + "p" + i));
    }

    /**
     * Hosts log {@code logId} of {@code store} on a new server of {@code ctx}'s node, creating it if absent with
     * {@code hq} as organizer and {@code judges} as judges.
     */
    static HostedLog<TournamentState, TournamentOp> host(NodeContext ctx, ServerStore<TournamentOp> store,
            String logId, List<NodeId> judges, StoreExecution execution) {
        Map<NodeId, Role> members = LinkedHashMap.of(NodeId.of("hq"), Role.organizer());
        for (NodeId judge : judges) {
            members = members.put(judge, Role.judge());
        }
        StoredLog<TournamentOp> stored = store.loadOrCreate(logId, genesis(logId), members);
        HostedLog<TournamentState, TournamentOp> hosted = OplogServer.builder(ctx.node(), DOMAIN, store)
                .scheduler(ctx.scheduler()).clock(ctx.clock()).execution(execution).build().host(stored);
        members.forEach(hosted::join); // a log created before without members
        return hosted;
    }

    static OpLog<TournamentOp> log(String logId, Vector<Operation<TournamentOp>> ops) {
        return OpLog.genesis(genesis(logId)).appendAll(ops);
    }
}
