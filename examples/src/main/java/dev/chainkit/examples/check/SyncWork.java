package dev.chainkit.examples.check;

import dev.chainkit.oplog.tournament.TournamentOp;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One piece of a sweep's workload: the user of {@code node} makes the op {@code op}, labelled {@code label}. It
 * renders as the scenario line's text ({@code a: w3 = register p2}), so a schedule reads as a scenario.
 *
 * <p>Thread safety: immutable.
 *
 * @param node the node whose user makes the op (the server's or a client's)
 * @param label the op's label, which is also its op id; unique within a schedule
 * @param op what the op does
 */
public record SyncWork(String node, String label, TournamentOp op) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the node or the label is not a valid scenario name
     */
    public SyncWork {
        name(node, "node name");
        name(label, "label");
        Objects.requireNonNull(op, "op");
    }

    private static void name(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match [A-Za-z][A-Za-z0-9_-]*, got '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return node + ": " + label + " = " + op.text();
    }
}
