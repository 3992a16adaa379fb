package dev.chainkit.examples.live;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainRole;
import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.sync.OpFate;
import dev.chainkit.oplog.sync.OpRecord;
import java.util.List;

/**
 * The control channel between the runner of a live run and a node in its own process: one JSON object per line,
 * commands on the node's standard input, everything else on its standard output (its log lines go to standard
 * error). The pipes are the process's own, so nothing outside the runner can speak on them.
 *
 * <pre>
 * runner -&gt; node   {"t":"submit","id":1,"ops":[{"id":"a1","op":"register alice"}]}   make ops (one instant)
 *                  {"t":"status","id":2}   {"t":"snapshot","id":3}   {"t":"stop","id":4}
 * node -&gt; runner   {"t":"incarnation","incarnation":2}              its incarnation (first line)
 *                  {"t":"ready","incarnation":2,"port":40211}       started
 *                  {"t":"failed","message":"..."}                    could not start (last line)
 *                  {"t":"event","type":"SENT","role":"INITIATOR","protocol":"oplog-sync","chain":"a/1/1",...}
 *                  {"t":"record","id":"a1","fate":"SYNCED",...}      what an op of its user became
 *                  {"t":"submitted","re":1,...} {"t":"status-of","re":2,...} {"t":"snapshot-of","re":3,...}
 *                  {"t":"stopped","re":4}  {"t":"refused","re":N,"error":"..."}   answers, by command id
 * </pre>
 *
 * <p>Every line a node writes is flushed at once; events come in the order the node's thread emitted them, each
 * send before its envelope left.
 *
 * <p>Thread safety: the records are immutable; {@link #write} and {@link #read} are thread-safe.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ControlLine.Submit.class, name = "submit"),
    @JsonSubTypes.Type(value = ControlLine.StatusQuery.class, name = "status"),
    @JsonSubTypes.Type(value = ControlLine.SnapshotQuery.class, name = "snapshot"),
    @JsonSubTypes.Type(value = ControlLine.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = ControlLine.Incarnation.class, name = "incarnation"),
    @JsonSubTypes.Type(value = ControlLine.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = ControlLine.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = ControlLine.Event.class, name = "event"),
    @JsonSubTypes.Type(value = ControlLine.Record.class, name = "record"),
    @JsonSubTypes.Type(value = ControlLine.Submitted.class, name = "submitted"),
    @JsonSubTypes.Type(value = ControlLine.StatusOf.class, name = "status-of"),
    @JsonSubTypes.Type(value = ControlLine.SnapshotOf.class, name = "snapshot-of"),
    @JsonSubTypes.Type(value = ControlLine.Stopped.class, name = "stopped"),
    @JsonSubTypes.Type(value = ControlLine.Refused.class, name = "refused")})
sealed interface ControlLine {

    /** A command of the runner; {@link #id} is echoed by its answer. */
    sealed interface Command extends ControlLine {
        /** The command's id, unique per node process. */
        long id();
    }

    /** An answer of the node to the command {@link #re}. */
    sealed interface Answer extends ControlLine {
        /** The id of the command answered. */
        long re();
    }

    /** Make these ops, at one instant. */
    record Submit(long id, List<LiveNode.OpRequest> ops) implements Command { }

    /** Say whether you are idle. */
    record StatusQuery(long id) implements Command { }

    /** Show your log. */
    record SnapshotQuery(long id) implements Command { }

    /** Stop in an orderly way, then exit. */
    record Stop(long id) implements Command { }

    /** The node took this incarnation (the first line; events may follow before it is ready). */
    record Incarnation(long incarnation) implements ControlLine { }

    /** The node started with this incarnation and (the server) listens on this port. */
    record Ready(long incarnation, int port) implements ControlLine { }

    /** The node could not start, or broke; it exits after this line. */
    record Failed(String message) implements ControlLine { }

    /**
     * One chain event ({@link ChainEvent}, without its node, which the stream names, and its time).
     *
     * @param type the event type
     * @param role the node's side of the chain
     * @param protocol the protocol, or null
     * @param chain the chain id ({@code initiator/incarnation/sequence}), or null
     * @param step the step, or -1
     * @param peer the peer, or null
     * @param detail the detail (a message kind for sends)
     */
    record Event(ChainEventType type, ChainRole role, String protocol, String chain, int step, String peer,
            String detail) implements ControlLine {

        static Event of(ChainEvent e) {
            return new Event(e.type(), e.role(), e.protocol(), e.chainId() == null ? null : e.chainId().toString(),
                    e.step(), e.peer() == null ? null : e.peer().name(), e.detail());
        }

        /** The event as the engine's type, emitted by {@code node}. */
        ChainEvent toEvent(NodeId node) {
            return new ChainEvent(type, 0, node, role, protocol, chainId(chain), step,
                    peer == null ? null : NodeId.of(peer), detail == null ? "" : detail);
        }
    }

    /**
     * What an op of the node's user became ({@link OpRecord}).
     *
     * @param id the op
     * @param fate its fate
     * @param reason why it was refused or dropped, or empty
     * @param firstChain the first chain that carried it, or null
     * @param firstOutcome how that chain ended, or null
     */
    record Record(String id, OpFate fate, String reason, String firstChain, String firstOutcome)
            implements ControlLine {

        static Record of(OpRecord r) {
            return new Record(r.id().value(), r.fate(), r.reason(),
                    r.firstChain() == null ? null : r.firstChain().toString(), r.firstOutcome());
        }

        OpRecord toRecord() {
            return new OpRecord(OpId.of(id), fate, reason == null ? "" : reason, chainId(firstChain), firstOutcome);
        }
    }

    /** The answer to {@link Submit}: one result per op, in order. */
    record Submitted(long re, List<LiveNode.OpResult> results) implements Answer { }

    /** The answer to {@link StatusQuery}. */
    record StatusOf(long re, LiveNode.Status status) implements Answer { }

    /** The answer to {@link SnapshotQuery}. */
    record SnapshotOf(long re, LiveNode.Snapshot snapshot) implements Answer { }

    /** The answer to {@link Stop}: the node closed; the process exits next. */
    record Stopped(long re) implements Answer { }

    /** The command {@link #re} failed on the node. */
    record Refused(long re, String error) implements Answer { }

    /** Reads a chain id written as {@code initiator/incarnation/sequence}, or null. */
    private static ChainId chainId(String text) {
        if (text == null) {
            return null;
        }
        int seq = text.lastIndexOf('/');
        int inc = text.lastIndexOf('/', seq - 1);
        if (inc < 1) {
            throw new IllegalArgumentException("a chain id reads initiator/incarnation/sequence, got '" + text + "'");
        }
        return new ChainId(NodeId.of(text.substring(0, inc)), Long.parseLong(text.substring(inc + 1, seq)),
                Long.parseLong(text.substring(seq + 1)));
    }

    /** The codec of control lines. */
    ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One line of JSON for {@code line}, without a line break. */
    static String write(ControlLine line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a control line could not be written: " + line, e);
        }
    }

    /**
     * Writes and reads a line of each kind once, so that the codec has built its serializers before the node's
     * first event: the first serialization of a type costs far more than a retransmission delay, and a node writes
     * each send's event before the envelope leaves.
     */
    static void warmUp() {
        LiveNode.Snapshot snapshot = new LiveNode.Snapshot(List.of(new LiveNode.LoggedOp("o0", "n", "organizer", 0,
                "start")), 0, null);
        List<ControlLine> lines = List.of(new Submit(1, List.of(new LiveNode.OpRequest("a", "start"))),
                new StatusQuery(1), new SnapshotQuery(1), new Stop(1), new Incarnation(1), new Ready(1, 1),
                new Failed("x"), new Event(ChainEventType.SENT, ChainRole.INITIATOR, "p", "n/1/1", 0, "m", "K"),
                new Record("a", OpFate.PENDING, "", "n/1/1", "completed"),
                new Submitted(1, List.of(new LiveNode.OpResult("a", null))),
                new StatusOf(1, new LiveNode.Status(true, "", true)), new SnapshotOf(1, snapshot), new Stopped(1),
                new Refused(1, "x"));
        for (ControlLine line : lines) {
            read(write(line));
        }
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException if it is not a control line (the message quotes its start)
     */
    static ControlLine read(String text) {
        try {
            return JSON.readValue(text, ControlLine.class);
        } catch (JsonProcessingException e) {
            String start = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            throw new IllegalArgumentException("not a control line: " + start + " (" + e.getOriginalMessage() + ")",
                    e);
        }
    }
}
