package dev.chainkit.core;

import java.util.Objects;

/**
 * The name of a participant (a client or a backend; the engine does not care which).
 *
 * <p>Thread safety: immutable, safe to share.
 *
 * @param name the node's name: a letter, then letters, digits, {@code _} or {@code -}
 */
public record NodeId(String name) implements Comparable<NodeId> {

    /**
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} does not match {@code [A-Za-z][A-Za-z0-9_-]*}
     */
    public NodeId {
        Objects.requireNonNull(name, "name");
        if (!valid(name)) {
            throw new IllegalArgumentException(
                    "node name '" + name + "' is invalid: expected a letter, then letters, digits, '_' or '-'");
        }
    }

    /** Whether {@code name} matches {@code [A-Za-z][A-Za-z0-9_-]*}: by hand, every envelope decoded checks two. */
    private static boolean valid(String name) {
        if (name.isEmpty() || !letter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    /**
     * Shorthand for {@code new NodeId(name)}.
     *
     * @throws IllegalArgumentException if the name is invalid (see the constructor)
     */
    public static NodeId of(String name) {
        return new NodeId(name);
    }

    /**
     * Equal names. Written out rather than left to the record: every envelope is checked against node ids several
     * times, and the generated method's dispatch cost more than the comparison (P6 in docs/BENCHMARKS.md); the
     * same instance, which a transport hands on for known peers, answers without comparing characters.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId other && name.equals(other.name);
    }

    /** The name's hash, as the record's own would be (seeds derived from it stay the same). */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public int compareTo(NodeId other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
