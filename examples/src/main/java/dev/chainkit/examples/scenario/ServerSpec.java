package dev.chainkit.examples.scenario;

import dev.chainkit.oplog.Role;
import java.util.Objects;

/**
 * A server of the scenario (the backend), from the line {@code server hq} or {@code server hq role=judge}; a
 * scenario has one, or several sharing one store.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param name the node name, matching {@code [A-Za-z][A-Za-z0-9_-]*} and not {@code all}
 * @param role the role of the server's own user; {@code organizer} unless the line says otherwise
 */
public record ServerSpec(String name, Role role) {

    /**
     * Validates the server.
     *
     * @param name the node name, matching {@code [A-Za-z][A-Za-z0-9_-]*} and not {@code all}
     * @param role the role of the server's own user
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid node name
     */
    public ServerSpec {
        ScenarioSyntax.requireNodeName(name, "node name");
        Objects.requireNonNull(role, "server role must not be null");
    }

    /**
     * Returns a server whose user is the organizer, the default.
     *
     * @param name the node name
     * @return the server
     * @throws IllegalArgumentException if {@code name} is not a valid node name
     */
    public static ServerSpec organizer(String name) {
        return new ServerSpec(name, Role.organizer());
    }

    /**
     * Returns the scenario line for this server; {@code role=} is written only when it is not the default.
     *
     * @return e.g. {@code server hq}
     */
    public String text() {
        return "server " + name + (role.equals(Role.organizer()) ? "" : " role=" + role);
    }
}
