package dev.chainkit.examples.event;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Role;
import dev.chainkit.transport.netty.NodeSecrets;
import dev.chainkit.transport.netty.SecretsFileException;
import io.vavr.collection.LinkedHashMap;
import io.vavr.collection.Map;
import io.vavr.control.Either;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A server's members file: which tournaments (logs) it hosts, and which nodes may write to each, in which role.
 *
 * <pre>
 * # chainkit members file
 * secrets hq.secrets                  # the nodes' secrets (NodeSecrets format), relative to this file
 * log friday                          # a tournament: created, with its genesis op, when the server first reads it
 * member friday judge1 judge          # node judge1 may write to friday as a judge
 * member friday laptop organizer      # the organizer's own device
 * member friday alice player:alice    # a player's phone
 * </pre>
 * <ul>
 *   <li>One statement per line; {@code #} starts a comment; words are separated by spaces or tabs.</li>
 *   <li>{@code secrets FILE}, exactly once: the secrets file of every node that may connect (one {@code NAME SECRET}
 *   line each, readable by its owner only: see {@link NodeSecrets}). A relative path is relative to the members
 *   file's folder.</li>
 *   <li>{@code log ID}: a log the server hosts, {@code ID} matching {@code [A-Za-z][A-Za-z0-9_-]*}. The server
 *   creates it (its genesis op {@code create ID SERVER}, made by the server's node as organizer) the first time it
 *   reads the line; a log is never deleted: remove its members to close it.</li>
 *   <li>{@code member LOG NODE ROLE}: {@code NODE} (a node of the secrets file) may write to {@code LOG} (declared
 *   by a {@code log} line anywhere in the file) as {@code ROLE} ({@code organizer}, {@code judge} or {@code
 *   player:NAME}); at most once per log and node.</li>
 * </ul>
 * Errors name the file and the line: {@code friday.members:4: unknown log 'fridy' (logs: friday)}.
 *
 * <p>The server reads the file again whenever it or the secrets file changes (see {@link EventServer}): adding a
 * member is adding its secret and its {@code member} line; removing the line removes the member.
 *
 * <p>Thread safety: immutable.
 *
 * @param file the members file
 * @param secretsFile the secrets file it names
 * @param secrets the secrets read from it
 * @param logs each log with its members and their roles, in file order
 */
public record MembersFile(Path file, Path secretsFile, NodeSecrets secrets, Map<String, Map<NodeId, Role>> logs) {

    /** The pattern of a log id. */
    public static final Pattern LOG_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /** A members file that cannot be used; the message is {@code FILE:LINE: what is wrong}, or {@code FILE: ...}. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads a members file and the secrets file it names.
     *
     * @throws Invalid if either cannot be read or a line is wrong
     */
    public static MembersFile load(Path file) {
        Objects.requireNonNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new Invalid(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read: " + e, e);
        }
        Path secretsFile = null;
        int secretsLine = 0;
        List<String> logOrder = new ArrayList<>();
        java.util.Map<String, Integer> logLines = new HashMap<>();
        record Member(int line, String log, NodeId node, Role role) { }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int hash = text.indexOf('#');
            String line = (hash >= 0 ? text.substring(0, hash) : text).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] w = line.split("[ \t]+");
            switch (w[0]) {
                case "secrets" -> {
                    words(w, 2, "secrets FILE", where);
                    if (secretsFile != null) {
                        throw new Invalid(where + "a second secrets line (the first is line " + secretsLine + ")",
                                null);
                    }
                    Path named = Path.of(w[1]);
                    Path folder = file.toAbsolutePath().getParent();
                    secretsFile = named.isAbsolute() ? named : folder.resolve(named);
                    secretsLine = i + 1;
                }
                case "log" -> {
                    words(w, 2, "log ID", where);
                    if (!LOG_ID.matcher(w[1]).matches()) {
                        throw new Invalid(where + "log id '" + w[1] + "' must match " + LOG_ID.pattern(), null);
                    }
                    if (logLines.putIfAbsent(w[1], i + 1) != null) {
                        throw new Invalid(where + "log " + w[1] + " is declared already on line "
                                + logLines.get(w[1]), null);
                    }
                    logOrder.add(w[1]);
                }
                case "member" -> {
                    words(w, 4, "member LOG NODE ROLE", where);
                    NodeId node;
                    try {
                        node = NodeId.of(w[2]);
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(where + e.getMessage(), e);
                    }
                    Either<String, Role> role = Role.parse(w[3]);
                    if (role.isLeft()) {
                        throw new Invalid(where + "role of " + node + ": " + role.getLeft(), null);
                    }
                    members.add(new Member(i + 1, w[1], node, role.get()));
                }
                default -> throw new Invalid(where + "unknown statement '" + w[0]
                        + "'; expected secrets FILE, log ID or member LOG NODE ROLE", null);
            }
        }
        if (secretsFile == null) {
            throw new Invalid(file + ": no secrets line; add 'secrets FILE' naming the nodes' secrets file", null);
        }
        NodeSecrets secrets;
        try {
            secrets = NodeSecrets.load(secretsFile);
        } catch (SecretsFileException e) {
            throw new Invalid(file + ":" + secretsLine + ": " + e.getMessage(), e);
        }
        Map<String, Map<NodeId, Role>> logs = LinkedHashMap.empty();
        for (String log : logOrder) {
            logs = logs.put(log, LinkedHashMap.empty());
        }
        for (Member m : members) {
            String where = file + ":" + m.line() + ": ";
            Map<NodeId, Role> of = logs.get(m.log()).getOrElseThrow(() -> new Invalid(where + "unknown log '"
                    + m.log() + "' (logs: " + String.join(", ", logOrder) + ")", null));
            if (of.containsKey(m.node())) {
                throw new Invalid(where + m.node() + " is a member of " + m.log() + " already", null);
            }
            if (!secrets.contains(m.node())) {
                throw new Invalid(where + "node " + m.node() + " has no secret in " + secretsFile
                        + "; add a line '" + m.node() + " SECRET' there", null);
            }
            logs = logs.put(m.log(), of.put(m.node(), m.role()));
        }
        return new MembersFile(file, secretsFile, secrets, logs);
    }

    private static void words(String[] w, int n, String form, String where) {
        if (w.length != n) {
            throw new Invalid(where + "expected '" + form + "', got " + w.length + " words", null);
        }
    }
}
