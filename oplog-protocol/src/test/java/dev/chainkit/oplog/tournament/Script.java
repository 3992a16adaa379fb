package dev.chainkit.oplog.tournament;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import io.vavr.collection.Vector;
import io.vavr.control.Either;

/** Test helper: applies ops given as text, as a given role, and keeps the applied ones. */
final class Script {

    static final Tournament TOURNAMENT = new Tournament();

    private TournamentState state = TournamentState.empty();
    private Vector<Operation<TournamentOp>> applied = Vector.empty();
    private int seq;

    static Script empty() {
        return new Script();
    }

    static Script created() {
        return new Script().org("create spring-open orga");
    }

    static Script registered(String... players) {
        Script s = created();
        for (String p : players) {
            s.org("register " + p);
        }
        return s;
    }

    static Script started(String... players) {
        return registered(players).org("start");
    }

    Operation<TournamentOp> op(String role, String text) {
        Role r = Role.parse(role).getOrElseThrow((String msg) -> new IllegalArgumentException(msg));
        TournamentOp payload = TournamentOp.parse(text).getOrElseThrow((String msg) -> new IllegalArgumentException(msg));
        seq++;
        return new Operation<>(OpId.of("n1-" + seq), new Author("n1", r), seq * 10L, payload);
    }

    Either<OpError, TournamentState> attempt(String role, String text) {
        return TOURNAMENT.apply(state, op(role, text));
    }

    Script ok(String role, String text) {
        Operation<TournamentOp> op = op(role, text);
        Either<OpError, TournamentState> next = TOURNAMENT.apply(state, op);
        assertTrue(next.isRight(), () -> "'" + text + "' by " + role + " should apply but: " + next.getLeft());
        state = next.get();
        applied = applied.append(op);
        return this;
    }

    Script org(String text) {
        return ok("organizer", text);
    }

    OpError rejected(String role, String text, String kind) {
        Either<OpError, TournamentState> next = attempt(role, text);
        assertTrue(next.isLeft(), () -> "'" + text + "' by " + role + " should be rejected with " + kind);
        assertEquals(kind, next.getLeft().kind(), () -> "wrong kind: " + next.getLeft());
        return next.getLeft();
    }

    OpError orgRejected(String text, String kind) {
        return rejected("organizer", text, kind);
    }

    TournamentState state() {
        return state;
    }

    Vector<Operation<TournamentOp>> applied() {
        return applied;
    }
}
