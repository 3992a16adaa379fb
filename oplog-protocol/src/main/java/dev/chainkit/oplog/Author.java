package dev.chainkit.oplog;

import java.util.Objects;

/**
 * Who made an operation: the node it was made on and the role its maker acted in.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param node the id of the node that made the operation: non-blank, without whitespace
 * @param role the role the maker acted in
 */
public record Author(String node, Role role) {

    /**
     * Validates the author.
     *
     * @param node the id of the node that made the operation: non-blank, without whitespace
     * @param role the role the maker acted in
     * @throws NullPointerException if {@code node} or {@code role} is null
     * @throws IllegalArgumentException if {@code node} is blank or contains whitespace
     */
    public Author {
        Objects.requireNonNull(node, "author node must not be null; expected a non-blank node id");
        Objects.requireNonNull(role, "author role must not be null; expected organizer, judge or player:NAME");
        if (node.isBlank() || node.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "author node must be a non-blank id without whitespace but was '" + node + "'");
        }
    }

    /** Returns {@code node/role}, e.g. {@code n1/player:alice}. */
    @Override
    public String toString() {
        return node + "/" + role;
    }
}
