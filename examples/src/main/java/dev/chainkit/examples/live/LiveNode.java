package dev.chainkit.examples.live;

import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.control.Either;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One node of a live run in the JVM that hosts it: the scenario's server ({@link LiveServerNode}) or one of its
 * clients ({@link LiveClientNode}) on a real network node ({@code NettyNode}) and a SQLite store, with what the
 * runner asks of it: make its user's ops, say whether it is idle, show its log. The records beside it are what
 * travels between a node and the runner, in memory or as lines of JSON ({@link ControlLine}).
 *
 * <p>Thread safety: every method may be called from any one thread at a time (the node's own work runs on its
 * thread; the methods hand it over and wait).
 */
interface LiveNode extends AutoCloseable {

    /**
     * Starts the node the spec names, on its store (created at the first start, reopened after a crash) with a new
     * incarnation from its incarnation file; returns once it listens (the server) or dials (a client).
     *
     * @throws IllegalArgumentException if the spec's scenario does not name the node
     * @throws RuntimeException if the store, the incarnation file or the network cannot be opened
     */
    static LiveNode start(NodeSpec spec, NodeObserver observer) {
        return spec.isServer() ? LiveServerNode.start(spec, observer) : LiveClientNode.start(spec, observer);
    }

    /** The incarnation this start got from the node's incarnation file. */
    long incarnation();

    /** The port the node listens on (the server), or 0 (a client). */
    int port();

    /** Makes its user's ops at one instant, in order: ops made together travel together. */
    List<OpResult> submit(List<OpRequest> ops);

    /** Whether it is idle, and if not, what it is busy with. */
    Status status();

    /** Its log and what it holds, as they are now. */
    Snapshot snapshot();

    /**
     * Stops at once without a word, as a crash would: its observer hears nothing more, its chains are dropped, its
     * store is closed with what it has committed. (A node in its own process is killed instead.)
     */
    void crash();

    /** Stops in an orderly way and closes its store. Idempotent. */
    @Override
    void close();

    /**
     * One op to make.
     *
     * @param id the op's id (the scenario's label), or null to let the node number it
     * @param op its text, e.g. {@code register alice}
     */
    record OpRequest(String id, String op) {
        /** @throws NullPointerException if {@code op} is null */
        public OpRequest {
            Objects.requireNonNull(op, "op");
        }

        /**
         * Makes the op with {@code maker} (a client's or a server's {@code submit}), on the node's thread.
         *
         * @param maker makes an op of an id (null: the node numbers it) and a payload
         * @return the op made, or why it was refused: its text does not parse, or the maker refused it
         */
        OpResult makeWith(BiFunction<OpId, TournamentOp, Either<OpError, Operation<TournamentOp>>> maker) {
            Either<String, TournamentOp> payload = TournamentOp.parse(op);
            if (payload.isLeft()) {
                return new OpResult(id, payload.getLeft());
            }
            try {
                Either<OpError, Operation<TournamentOp>> made = maker.apply(id == null ? null : OpId.of(id),
                        payload.get());
                return made.isRight() ? new OpResult(made.get().id().value(), null)
                        : new OpResult(id, made.getLeft().toString());
            } catch (IllegalArgumentException e) { // an id that is no op id
                return new OpResult(id, e.getMessage());
            }
        }
    }

    /**
     * What became of one op.
     *
     * @param id the id of the op made, or the requested id of one that was refused (null if it had none)
     * @param rejected why it was refused on the spot, or null when it was made
     */
    record OpResult(String id, String rejected) { }

    /**
     * Whether a node is idle: nothing pending, no chain in flight, nothing being committed or forwarded.
     *
     * @param idle whether it is idle
     * @param busy what it is busy with, for people; empty when idle
     * @param linked whether it has a link to every node it dials (always true for the server)
     */
    record Status(boolean idle, String busy, boolean linked) {
        /** @throws NullPointerException if {@code busy} is null */
        public Status {
            Objects.requireNonNull(busy, "busy");
        }
    }

    /**
     * A node's log and what it holds.
     *
     * @param log the ops of its log, in order
     * @param pending how many of its user's ops it holds unsynced (0 for the server)
     * @param stateMismatch null when its state is the replay of its log, else how it differs
     */
    record Snapshot(List<LoggedOp> log, int pending, String stateMismatch) {
        /** Copies the log. @throws NullPointerException if {@code log} is null */
        public Snapshot {
            log = List.copyOf(log);
        }

        /** The same log with every op of {@code ops}. */
        static Snapshot of(OpLog<TournamentOp> ops, int pending, String stateMismatch) {
            return new Snapshot(ops.ops().map(LoggedOp::of).toJavaList(), pending, stateMismatch);
        }

        /**
         * The log as the protocol's type.
         *
         * @throws IllegalArgumentException if an op does not read (a role or an op text)
         */
        OpLog<TournamentOp> opLog() {
            OpLog<TournamentOp> l = null;
            for (LoggedOp op : log) {
                l = l == null ? OpLog.genesis(op.operation()) : l.append(op.operation());
            }
            if (l == null) {
                throw new IllegalArgumentException("a node reported an empty log; every log starts with "
                        + TournamentCluster.GENESIS);
            }
            return l;
        }
    }

    /**
     * One op of a log, as text.
     *
     * @param id its id
     * @param node its author's node
     * @param role its author's role ({@code organizer}, {@code judge}, {@code player:NAME})
     * @param createdAtMs when it was made, in its author's milliseconds
     * @param op what it does, e.g. {@code register alice}
     */
    record LoggedOp(String id, String node, String role, long createdAtMs, String op) {

        static LoggedOp of(Operation<TournamentOp> op) {
            return new LoggedOp(op.id().value(), op.author().node(), op.author().role().toString(), op.createdAtMs(),
                    op.payload().text());
        }

        /**
         * The op as the protocol's type.
         *
         * @throws IllegalArgumentException if its role or its text does not read
         */
        Operation<TournamentOp> operation() {
            Role r = Role.parse(role).getOrElseThrow((String why) -> new IllegalArgumentException(why));
            TournamentOp payload = TournamentOp.parse(op).getOrElseThrow((String why) -> new IllegalArgumentException(why));
            return new Operation<>(OpId.of(id), new Author(node, r), createdAtMs, payload);
        }
    }
}
