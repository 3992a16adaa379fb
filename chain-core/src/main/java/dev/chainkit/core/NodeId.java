package dev.chainkit.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a participant (a client or a backend; the engine does not care which).
 *
 * <p>Thread safety: immutable, safe to share.
 *
 * @param name the node's name: a letter, then letters, digits, {@code _} or {@code -}
 */
public record NodeId(String name) implements Comparable<NodeId> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} does not match {@code [A-Za-z][A-Za-z0-9_-]*}
     */
    public NodeId {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "node name '" + name + "' is invalid: expected a letter, then letters, digits, '_' or '-'");
        }
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
