package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Role;
import io.vavr.control.Either;
import java.util.Objects;

/**
 * The payload of a tournament operation, with a one-line text form.
 *
 * <p>Text forms (words separated by spaces; NAME matches {@code [A-Za-z][A-Za-z0-9_-]*}; numbers
 * are non-negative ints, ROUND {@code >= 1}): {@code create TOURNAMENT ORGANIZER},
 * {@code register NAME}, {@code drop NAME}, {@code start}, {@code pair ROUND},
 * {@code result ROUND NAME W-L} or {@code result ROUND NAME W-L-D}, {@code confirm ROUND},
 * {@code end}. {@link #text()} and {@code toString()} give the text form back, and
 * {@link #parse(String)} of it yields an equal op.
 *
 * <p>Thread safety: immutable value, thread-safe.
 */
public sealed interface TournamentOp permits TournamentOp.Create, TournamentOp.Register,
        TournamentOp.Drop, TournamentOp.Start, TournamentOp.Pair, TournamentOp.Result,
        TournamentOp.Confirm, TournamentOp.End {

    /**
     * Returns the one-line text form of this op.
     *
     * @return the text form, parseable by {@link #parse(String)}
     */
    String text();

    /**
     * Parses the text form of an op.
     *
     * @param text e.g. {@code result 1 bob 2-1}; leading/trailing spaces are ignored
     * @return the op, or a message saying what was wrong and what was expected, e.g.
     *     {@code expected 'result ROUND NAME W-L[-D]' but got 'result 1 bob 2'}
     */
    static Either<String, TournamentOp> parse(String text) {
        return TournamentOpParser.parse(text);
    }

    /**
     * The genesis op: creates the tournament; only valid as the first op.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param name the tournament name: a non-blank word without whitespace, e.g. {@code spring-open}
     * @param organizer who organizes it: a non-blank word without whitespace
     */
    record Create(String name, String organizer) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param name the tournament name: a non-blank word without whitespace, e.g. {@code spring-open}
         * @param organizer who organizes it: a non-blank word without whitespace
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if an argument is blank or contains whitespace
         */
        public Create {
            requireWord(name, "tournament name");
            requireWord(organizer, "organizer");
        }

        @Override
        public String text() {
            return "create " + name + " " + organizer;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Registers a player (before the start).
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param player the player name, matching {@code [A-Za-z][A-Za-z0-9_-]*}
     */
    record Register(String player) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param player the player name, matching {@code [A-Za-z][A-Za-z0-9_-]*}
         * @throws NullPointerException if {@code player} is null
         * @throws IllegalArgumentException if {@code player} is not a valid name
         */
        public Register {
            requireName(player);
        }

        @Override
        public String text() {
            return "register " + player;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Drops an active player: it is no longer paired.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param player the player name, matching {@code [A-Za-z][A-Za-z0-9_-]*}
     */
    record Drop(String player) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param player the player name, matching {@code [A-Za-z][A-Za-z0-9_-]*}
         * @throws NullPointerException if {@code player} is null
         * @throws IllegalArgumentException if {@code player} is not a valid name
         */
        public Drop {
            requireName(player);
        }

        @Override
        public String text() {
            return "drop " + player;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Starts the tournament: registration closes.
     *
     * <p>Thread safety: immutable value, thread-safe.
     */
    record Start() implements TournamentOp {
        @Override
        public String text() {
            return "start";
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Pairs the next round from the current standings.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param round the round number, {@code >= 1}
     */
    record Pair(int round) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param round the round number, {@code >= 1}
         * @throws IllegalArgumentException if {@code round < 1}
         */
        public Pair {
            requireRound(round);
        }

        @Override
        public String text() {
            return "pair " + round;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Records (or overwrites) the result of a player's match in a round, from that player's side.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param round the round number, {@code >= 1}
     * @param player the player the score is seen from
     * @param wins games won by {@code player}, {@code >= 0}
     * @param losses games lost by {@code player}, {@code >= 0}
     * @param draws games drawn, {@code >= 0}
     */
    record Result(int round, String player, int wins, int losses, int draws) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param round the round number, {@code >= 1}
         * @param player the player the score is seen from
         * @param wins games won by {@code player}, {@code >= 0}
         * @param losses games lost by {@code player}, {@code >= 0}
         * @param draws games drawn, {@code >= 0}
         * @throws NullPointerException if {@code player} is null
         * @throws IllegalArgumentException if {@code round < 1}, {@code player} is not a valid name
         *     or a count is negative
         */
        public Result {
            requireRound(round);
            requireName(player);
            if (wins < 0 || losses < 0 || draws < 0) {
                throw new IllegalArgumentException("result counts must be non-negative (W-L-D) but were "
                        + wins + "-" + losses + "-" + draws);
            }
        }

        /**
         * Returns the score from {@code player}'s side.
         *
         * @return the score
         */
        public Score score() {
            return new Score(wins, losses, draws);
        }

        @Override
        public String text() {
            return "result " + round + " " + player + " " + score().text();
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Confirms a round whose results are all in; a confirmed round cannot change.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param round the round number, {@code >= 1}
     */
    record Confirm(int round) implements TournamentOp {
        /**
         * Validates the op.
         *
         * @param round the round number, {@code >= 1}
         * @throws IllegalArgumentException if {@code round < 1}
         */
        public Confirm {
            requireRound(round);
        }

        @Override
        public String text() {
            return "confirm " + round;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * Ends the tournament: nothing can change afterwards.
     *
     * <p>Thread safety: immutable value, thread-safe.
     */
    record End() implements TournamentOp {
        @Override
        public String text() {
            return "end";
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private static void requireName(String player) {
        Objects.requireNonNull(player, "player name must not be null");
        if (!Role.isValidName(player)) {
            throw new IllegalArgumentException("player name must match " + Role.NAME_PATTERN.pattern()
                    + " but was '" + player + "'");
        }
    }

    private static void requireRound(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1 but was " + round);
        }
    }

    private static void requireWord(String value, String what) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be a non-blank word without whitespace but was '"
                    + value + "'");
        }
    }
}
