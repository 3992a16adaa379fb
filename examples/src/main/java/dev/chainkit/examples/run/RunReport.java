package dev.chainkit.examples.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one play of a scenario found: the fields of the JSON report of {@code chainsim run --json}, as the scenario
 * format lists them ({@code scenario}, {@code seed}, {@code ok}, {@code converged}, {@code quiet},
 * {@code virtual_time_ms}, {@code nodes}, {@code chains}, {@code messages}, {@code expectations}), plus the ops
 * refused at once ({@code rejected_ops}), the first broken invariant ({@code invariant_violation}) and what was
 * still pending when the run stopped ({@code pending}).
 *
 * <p>Field names are written in snake case ({@link #toJson()}); map keys (node names, message kinds) as they are.
 * Nothing in it depends on the wall clock, so the same scenario and seed give the same JSON.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param scenario the scenario's name
 * @param seed the seed the run used (the file's, or the one given with {@code --seed})
 * @param ok whether every expectation held and no invariant broke
 * @param converged whether all logs are identical, every state is the replay of its log and nothing is pending
 * @param quiet whether the run drained before its limit
 * @param virtualTimeMs the virtual time when the run stopped, in milliseconds
 * @param nodes per node name, the server first: its log and what it still holds
 * @param chains how the chains ended, as their initiators saw it
 * @param messages what the network carried
 * @param expectations each expectation of the file, in file order, with its verdict
 * @param rejectedOps the ops users tried to make that were refused on the spot (never an error)
 * @param invariantViolation the first broken safety invariant, with its virtual time, or null
 * @param pending what kept the run from being quiet, or empty when quiet
 */
public record RunReport(String scenario, long seed, boolean ok, boolean converged, boolean quiet, long virtualTimeMs,
        Map<String, NodeReport> nodes, Chains chains, Messages messages, List<ExpectationResult> expectations,
        List<RejectedOp> rejectedOps, String invariantViolation, String pending) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if an argument other than {@code invariantViolation} is null
     */
    public RunReport {
        Objects.requireNonNull(scenario, "scenario");
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        Objects.requireNonNull(chains, "chains");
        Objects.requireNonNull(messages, "messages");
        expectations = List.copyOf(expectations);
        rejectedOps = List.copyOf(rejectedOps);
        Objects.requireNonNull(pending, "pending");
    }

    /**
     * Returns the report as one indented JSON object with snake-case field names.
     *
     * @return the JSON text, without a trailing line break
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run report could not be written as JSON", e);
        }
    }

    /**
     * One node at the end of the run.
     *
     * @param log its log, as labels (op ids for ops without a label)
     * @param logSize how many ops the log holds
     * @param logDigest the lowercase hex SHA-256 of the log's op ids in order (equal logs, equal digests)
     * @param pendingOps how many of its user's ops it still holds unsynced (0 for the server)
     * @param up whether the node was running (not crashed) at the end
     */
    public record NodeReport(List<String> log, int logSize, String logDigest, int pendingOps, boolean up) {
        /** Copies the log. @throws NullPointerException if {@code log} or {@code logDigest} is null */
        public NodeReport {
            log = List.copyOf(log);
            Objects.requireNonNull(logDigest, "logDigest");
        }
    }

    /**
     * How the chains of every protocol ended, as their initiators saw it, across all incarnations.
     *
     * @param started chains opened
     * @param completed chains that ended as the protocol intended
     * @param superseded chains ended because the responder's state changed (sync failed, new operations available)
     * @param failed chains that failed
     * @param timedOut chains that got no answer in time
     * @param cutShortByCrash chains that never ended because their initiator crashed while they were open
     * @param openAtEnd chains whose initiator still runs and that were still open when the run stopped (it reached
     *     its limit before it drained)
     * @param conflictRounds {@code OpProcessor} answers the clients handled
     */
    public record Chains(long started, long completed, long superseded, long failed, long timedOut,
            long cutShortByCrash, long openAtEnd, long conflictRounds) { }

    /**
     * What the network carried over the whole run.
     *
     * @param sent messages nodes sent, retransmissions included, network duplicates not
     * @param delivered copies that reached their receiver
     * @param dropped messages lost (random loss, a rule, a partition, a node that is down)
     * @param duplicated extra copies the network made
     * @param retransmitted sends that were retransmissions
     * @param byKind the same counts per message kind ({@code OpSync}, {@code ForwardSync}, ...)
     */
    public record Messages(long sent, long delivered, long dropped, long duplicated, long retransmitted,
            Map<String, KindCounts> byKind) {
        /** Copies the map. @throws NullPointerException if {@code byKind} is null */
        public Messages {
            byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
        }
    }

    /**
     * The network's counts for one message kind.
     *
     * @param sent sent by nodes, retransmissions included
     * @param delivered copies delivered
     * @param dropped lost
     * @param duplicated extra copies made by the network
     * @param retransmitted sends that were retransmissions
     */
    public record KindCounts(long sent, long delivered, long dropped, long duplicated, long retransmitted) { }

    /**
     * One expectation of the scenario file and its verdict.
     *
     * @param line the line of the file it is on
     * @param text its canonical text, e.g. {@code expect once a1}
     * @param ok whether it held
     * @param detail what was observed: why it failed, or a short confirmation
     */
    public record ExpectationResult(int line, String text, boolean ok, String detail) {
        /** @throws NullPointerException if {@code text} or {@code detail} is null */
        public ExpectationResult {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * An op a user tried to make that was refused on the spot: it broke a rule or the role's rights on its
     * node's state, or the node was down. It never entered any log.
     *
     * @param line the line of the file that made it
     * @param atMs its virtual time, in milliseconds
     * @param node the node whose user made it
     * @param label its label, or null
     * @param op the op's text, e.g. {@code register alice}
     * @param reason why it was refused
     */
    public record RejectedOp(int line, long atMs, String node, String label, String op, String reason) {
        /** @throws NullPointerException if {@code node}, {@code op} or {@code reason} is null */
        public RejectedOp {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
