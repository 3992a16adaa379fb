/**
 * The reference domain of the op-log protocol: a small Swiss-style tournament with players,
 * rounds, pairings by match points, results and confirmations.
 *
 * <p>{@link dev.chainkit.oplog.tournament.TournamentOp} is the operation payload (with a one-line
 * text form), {@link dev.chainkit.oplog.tournament.TournamentState} the immutable state and
 * {@link dev.chainkit.oplog.tournament.Tournament} the {@link dev.chainkit.oplog.Domain} holding
 * the rules, including which {@link dev.chainkit.oplog.Role} may make which operation.
 *
 * <p>Thread safety: every type here is an immutable value (or a stateless function) and is safe to
 * share between threads.
 */
package dev.chainkit.oplog.tournament;
