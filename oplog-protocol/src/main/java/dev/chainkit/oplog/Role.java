package dev.chainkit.oplog;

import io.vavr.control.Either;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The capacity in which an author makes an operation: organizer, judge or a named player.
 *
 * <p>What each role may do is decided by the {@link Domain}; this type only names the roles and
 * gives them a text form ({@code organizer}, {@code judge}, {@code player:NAME}).
 *
 * <p>Thread safety: immutable value, thread-safe.
 */
public sealed interface Role permits Role.Organizer, Role.Judge, Role.Player {

    /** The pattern every player name matches: a letter, then letters, digits, {@code _} or {@code -}. */
    Pattern NAME_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * Tells whether {@code name} is a valid player name (matches {@link #NAME_PATTERN}).
     *
     * @param name the candidate, may be null
     * @return true if {@code name} is non-null and matches {@link #NAME_PATTERN}
     */
    static boolean isValidName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }

    /**
     * Returns the organizer role.
     *
     * @return the organizer role
     */
    static Role organizer() {
        return new Organizer();
    }

    /**
     * Returns the judge role.
     *
     * @return the judge role
     */
    static Role judge() {
        return new Judge();
    }

    /**
     * Returns the role of the named player.
     *
     * @param name the player name, matching {@link #NAME_PATTERN}
     * @return the player role
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} does not match {@link #NAME_PATTERN}
     */
    static Role player(String name) {
        return new Player(name);
    }

    /**
     * Parses the text form of a role: {@code organizer}, {@code judge} or {@code player:NAME}.
     *
     * @param text the text form, exactly as {@code toString()} renders it (no surrounding spaces)
     * @return the role, or a readable message saying what was wrong and what was expected
     */
    static Either<String, Role> parse(String text) {
        String expected = "expected 'organizer', 'judge' or 'player:NAME' (NAME matching "
                + NAME_PATTERN.pattern() + ")";
        if (text == null) {
            return Either.left(expected + " but got null");
        }
        if (text.equals("organizer")) {
            return Either.right(organizer());
        }
        if (text.equals("judge")) {
            return Either.right(judge());
        }
        if (text.startsWith("player:")) {
            String name = text.substring("player:".length());
            if (!isValidName(name)) {
                return Either.left("expected 'player:NAME' with NAME matching " + NAME_PATTERN.pattern()
                        + " but got '" + text + "' (bad NAME '" + name + "')");
            }
            return Either.right(player(name));
        }
        return Either.left(expected + " but got '" + text + "'");
    }

    /**
     * The organizer: runs the tournament.
     *
     * <p>Thread safety: immutable value, thread-safe.
     */
    record Organizer() implements Role {
        /** Returns {@code organizer}. */
        @Override
        public String toString() {
            return "organizer";
        }
    }

    /**
     * A judge: helps run the tournament.
     *
     * <p>Thread safety: immutable value, thread-safe.
     */
    record Judge() implements Role {
        /** Returns {@code judge}. */
        @Override
        public String toString() {
            return "judge";
        }
    }

    /**
     * A named player.
     *
     * <p>Thread safety: immutable value, thread-safe.
     *
     * @param name the player name, matching {@link Role#NAME_PATTERN}
     */
    record Player(String name) implements Role {

        /**
         * Validates the name.
         *
         * @param name the player name, matching {@link Role#NAME_PATTERN}
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} does not match {@link Role#NAME_PATTERN}
         */
        public Player {
            Objects.requireNonNull(name, "player name must not be null; expected a name matching "
                    + NAME_PATTERN.pattern());
            if (!isValidName(name)) {
                throw new IllegalArgumentException("player name must match " + NAME_PATTERN.pattern()
                        + " but was '" + name + "'");
            }
        }

        /** Returns {@code player:NAME}. */
        @Override
        public String toString() {
            return "player:" + name;
        }
    }
}
