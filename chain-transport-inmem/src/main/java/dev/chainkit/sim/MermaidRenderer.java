package dev.chainkit.sim;

import dev.chainkit.core.NodeId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a {@link Trace} as a Mermaid {@code sequenceDiagram}: participants in node order, an arrow per
 * delivery, a crossed arrow per dropped message, and notes for crashes, restarts, partitions, heals, rules, calm
 * and scripted actions. Sends, timers and duplications are left out: the deliveries and drops show their effect.
 * Every arrow and note starts with its virtual time; a retransmitted message says so.
 *
 * <p>Node names become Mermaid participants safely: a name that is a plain word and not one of Mermaid's keywords
 * ({@code end}, {@code loop}, ...) stands for itself; any other gets an alias no node is called ({@code p1},
 * {@code p2}, ...) with {@code as NAME}, so two nodes never share a participant and no name breaks the diagram.
 *
 * <p>Mermaid refuses a diagram longer than its {@code maxTextSize} (50,000 characters by default):
 * {@link #render(Trace, int)} stops before that and ends the diagram with a note that says where it was cut and
 * how many events were left out.
 *
 * <p>Thread safety: stateless.
 */
public final class MermaidRenderer {

    /** Mermaid's default {@code maxTextSize}: the longest diagram it renders, in characters. */
    public static final int MERMAID_MAX_TEXT = 50_000;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** Words Mermaid's sequence diagram grammar reads as keywords (case-insensitively). */
    private static final Set<String> KEYWORDS = Set.of("participant", "actor", "create", "destroy", "box", "end",
            "loop", "rect", "opt", "alt", "else", "par", "and", "critical", "option", "break", "over", "left",
            "right", "of", "links", "link", "properties", "details", "activate", "deactivate", "title", "acctitle",
            "accdescr", "sequencediagram", "autonumber", "off", "note", "as");
    /** The words that start the closing note of a cut diagram: a diagram holds them only if it was cut. */
    public static final String CUT_MARK = "trace cut here:";
    /** Room kept for the closing note of a cut diagram. */
    private static final int CUT_NOTE_ROOM = 300;

    private MermaidRenderer() {
    }

    /** The whole diagram's text, one statement per line, however long. */
    public static String render(Trace trace) {
        return render(trace, Integer.MAX_VALUE);
    }

    /**
     * The diagram's text, cut before it would exceed {@code maxChars}; a cut diagram ends with a note saying at
     * what virtual time it was cut and how many events were left out.
     *
     * @param trace the trace
     * @param maxChars the longest text wanted, e.g. {@link #MERMAID_MAX_TEXT}; at least 1,000
     * @return the diagram
     * @throws IllegalArgumentException if {@code maxChars} is below 1,000
     */
    public static String render(Trace trace, int maxChars) {
        if (maxChars < 1000) {
            throw new IllegalArgumentException("maxChars must be at least 1000, got " + maxChars);
        }
        StringBuilder b = new StringBuilder(Math.min(maxChars, trace.size() * 56 + 64)).append("sequenceDiagram\n");
        Map<NodeId, String> alias = aliases(trace.nodes());
        for (NodeId n : trace.nodes()) {
            String a = alias.get(n);
            b.append("    participant ").append(a);
            if (!a.equals(n.name())) {
                b.append(" as ").append(text(n.name()));
            }
            b.append('\n');
        }
        String first = trace.nodes().isEmpty() ? null : alias.get(trace.nodes().get(0));
        String last = trace.nodes().isEmpty() ? null : alias.get(trace.nodes().get(trace.nodes().size() - 1));
        List<TraceEvent> events = trace.events();
        TraceEvent lastSent = null;
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            line.setLength(0);
            switch (e.type()) {
                case DELIVERED -> arrow(line, alias, e, "->>", e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
                case DROPPED -> arrow(line, alias, e, "-x", (resentNow(lastSent, e) ? " (retransmission)" : "")
                        + " dropped: " + e.detail());
                case CRASHED, RESTARTED -> note(line, alias.get(e.from()), null, e.timeNs(), label(e));
                case PARTITIONED, HEALED, RULE_ADDED, CALM, ACTION -> {
                    if (first != null) {
                        note(line, first, last, e.timeNs(), label(e));
                    }
                }
                case SENT -> lastSent = e;
                case DUPLICATED, DELAYED, TIMER -> { }
            }
            if (line.length() > 0 && b.length() + line.length() > maxChars - CUT_NOTE_ROOM && first != null) {
                note(b, first, last, e.timeNs(), CUT_MARK + " " + (events.size() - i) + " more events left"
                        + " out, to stay under " + maxChars + " characters (narrow the trace to see them)");
                return b.toString();
            }
            b.append(line);
        }
        return b.toString();
    }

    /** One participant name per node: the node's own when safe, otherwise a fresh alias no node is called. */
    private static Map<NodeId, String> aliases(List<NodeId> nodes) {
        Set<String> names = new HashSet<>();
        nodes.forEach(n -> names.add(n.name()));
        Set<String> used = new HashSet<>();
        Map<NodeId, String> alias = new HashMap<>();
        int next = 1;
        for (NodeId n : nodes) {
            String name = n.name();
            String a = name;
            if (!PLAIN.matcher(name).matches() || KEYWORDS.contains(name.toLowerCase(Locale.ROOT))
                    || used.contains(name)) {
                do {
                    a = "p" + next++;
                } while (names.contains(a) || used.contains(a));
            }
            used.add(a);
            alias.put(n, a);
        }
        return alias;
    }

    /** Whether a drop is that of the message just sent, and that send was a retransmission. */
    private static boolean resentNow(TraceEvent sent, TraceEvent dropped) {
        return sent != null && "retransmission".equals(sent.detail()) && sent.timeNs() == dropped.timeNs()
                && sent.step() == dropped.step() && sent.from().equals(dropped.from())
                && sent.chainId().equals(dropped.chainId());
    }

    private static void arrow(StringBuilder b, Map<NodeId, String> alias, TraceEvent e, String arrow, String tail) {
        String from = alias.get(e.from());
        String to = alias.get(e.to());
        if (from == null || to == null) {
            return; // a message to or from a node the trace does not list (an unknown receiver, a filtered node)
        }
        b.append("    ").append(from).append(arrow).append(to).append(": ")
                .append(text(time(e.timeNs()) + " " + e.messageKind() + " step " + e.step() + " " + e.chainId()
                        + tail)).append('\n');
    }

    private static void note(StringBuilder b, String from, String to, long timeNs, String text) {
        b.append("    Note over ").append(from);
        if (to != null && !to.equals(from)) {
            b.append(',').append(to);
        }
        b.append(": ").append(text(time(timeNs) + " " + text)).append('\n');
    }

    private static String label(TraceEvent e) {
        return (e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + e.detail()).trim();
    }

    /** A virtual time in seconds with milliseconds, e.g. {@code 1.250s}. */
    private static String time(long ns) {
        return String.format(Locale.ROOT, "%d.%03ds", ns / 1_000_000_000L, ns / 1_000_000L % 1000);
    }

    /** Keeps characters Mermaid would read as syntax out of a label. */
    private static String text(String s) {
        return s.replace(';', ',').replace('#', ' ').replace('\n', ' ');
    }
}
