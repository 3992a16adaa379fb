package dev.chainkit.examples.scenario;

import dev.chainkit.oplog.Role;
import java.time.Duration;
import java.util.List;
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
 * @param servers the servers this client may sync with, in order of preference ({@code servers=s1,s2}); empty when
 *     the line does not say: then every server, in file order
 */
public record ClientSpec(String name, Role role, Decide decide, Duration think, List<String> servers) {

    /**
     * Validates the client.
     *
     * @param name the node name, matching {@code [A-Za-z][A-Za-z0-9_-]*} and not {@code all}
     * @param role the role of the client's user
     * @param decide what the user answers to an OpProcessor
     * @param think how long the user takes to answer, 0 or more
     * @param servers the servers it may sync with, in order of preference; empty for every server
     * @throws NullPointerException if an argument or a server name is null
     * @throws IllegalArgumentException if {@code name} or a server is not a valid node name, a server is named
     *     twice, or {@code think} is negative
     */
    public ClientSpec {
        ScenarioSyntax.requireNodeName(name, "node name");
        Objects.requireNonNull(role, "client role must not be null");
        Objects.requireNonNull(decide, "client decide must not be null");
        ScenarioSyntax.requireNonNegative(think, "client think");
        servers = List.copyOf(servers);
        for (String server : servers) {
            ScenarioSyntax.requireNodeName(server, "server name");
        }
        if (new java.util.HashSet<>(servers).size() != servers.size()) {
            throw new IllegalArgumentException("servers=" + String.join(",", servers) + " names a server twice");
        }
    }

    /**
     * A client that may sync with every server (in file order).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ClientSpec(String name, Role role, Decide decide, Duration think) {
        this(name, role, decide, think, List.of());
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
        return new ClientSpec(name, Role.judge(), Decide.SKIP, Duration.ZERO, List.of());
    }

    /**
     * Returns the scenario line for this client: {@code role=} always, {@code decide=}, {@code think=} and
     * {@code servers=} only when they are not the default.
     *
     * @return e.g. {@code client alice role=player:alice decide=purge think=2s servers=s2,s1}
     */
    public String text() {
        return "client " + name + " role=" + role
                + (decide == Decide.SKIP ? "" : " decide=" + decide.text())
                + (think.isZero() ? "" : " think=" + ScenarioSyntax.formatDuration(think))
                + (servers.isEmpty() ? "" : " servers=" + String.join(",", servers));
    }

    /**
     * The servers this client syncs with, in order: its {@code servers=}, or every server of the scenario.
     *
     * @param all every server of the scenario, in file order
     * @return the names
     */
    public List<String> serversAmong(List<String> all) {
        return servers.isEmpty() ? all : servers;
    }
}
