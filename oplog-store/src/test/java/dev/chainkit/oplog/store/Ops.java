package dev.chainkit.oplog.store;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.collection.Vector;

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

    static OpLog<TournamentOp> log(String logId, Vector<Operation<TournamentOp>> ops) {
        return OpLog.genesis(genesis(logId)).appendAll(ops);
    }
}
