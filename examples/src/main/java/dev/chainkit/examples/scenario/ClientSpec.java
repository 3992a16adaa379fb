package dev.chainkit.examples.scenario;

import dev.chainkit.oplog.Role;
import java.time.Duration;
import java.util.Objects;

/**
 * One client of the server, from a line such as {@code client alice role=player:alice decide=purge think=2s}.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param name the node name, matching {@code [A-Za-z][A-Za-z0-9_-]*} and not {@code all}
 * @param role the role of the client's user ({@code role=}; {@code judge} when the line does not say)
 * @param decide what the user answers to an OpProcessor ({@code decide=}; {@link Decide#SKIP} by default)
 * @param think how long the user takes to answer ({@code think=}; 0 by default), 0 or more
 */
public record ClientSpec(String name, Role role, Decide decide, Duration think) {

    /**
     * Validates the client.
     *
     * @param name the node name, matching {@code [A-Za-z][A-Za-z0-9_-]*} and not {@code all}
     * @param role the role of the client's user
     * @param decide what the user answers to an OpProcessor
     * @param think how long the user takes to answer, 0 or more
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid node name or {@code think} is negative
     */
    public ClientSpec {
        ScenarioSyntax.requireNodeName(name, "node name");
        Objects.requireNonNull(role, "client role must not be null");
        Objects.requireNonNull(decide, "client decide must not be null");
        ScenarioSyntax.requireNonNegative(think, "client think");
    }

    /**
     * Returns a client with the defaults of a bare {@code client NAME} line: a judge that answers
     * {@code skip} at once.
     *
     * @param name the node name
     * @return the client
     * @throws IllegalArgumentException if {@code name} is not a valid node name
     */
    public static ClientSpec judge(String name) {
        return new ClientSpec(name, Role.judge(), Decide.SKIP, Duration.ZERO);
    }

    /**
     * Returns the scenario line for this client: {@code role=} always, {@code decide=} and {@code think=} only
     * when they are not the default.
     *
     * @return e.g. {@code client alice role=player:alice decide=purge think=2s}
     */
    public String text() {
        return "client " + name + " role=" + role
                + (decide == Decide.SKIP ? "" : " decide=" + decide.text())
                + (think.isZero() ? "" : " think=" + ScenarioSyntax.formatDuration(think));
    }
}
