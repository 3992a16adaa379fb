package dev.chainkit.sim;

import dev.chainkit.core.NodeId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a {@link Trace} as a Mermaid {@code sequenceDiagram}: participants in node order, an arrow per
 * delivery, a crossed arrow per dropped message, and notes for crashes, restarts, partitions, heals, rules, calm
 * and scripted actions. Sends, timers and duplications are left out: the deliveries and drops show their effect.
 *
 * <p>Thread safety: stateless.
 */
public final class MermaidRenderer {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private MermaidRenderer() {
    }

    /** The diagram's text, one statement per line. */
    public static String render(Trace trace) {
        StringBuilder b = new StringBuilder(trace.size() * 48 + 64).append("sequenceDiagram\n");
        Map<NodeId, String> alias = new HashMap<>();
        for (NodeId n : trace.nodes()) {
            String a = PLAIN.matcher(n.name()).matches() ? n.name() : "n" + alias.size();
            alias.put(n, a);
            b.append("    participant ").append(a);
            if (!a.equals(n.name())) {
                b.append(" as ").append(n.name());
            }
            b.append('\n');
        }
        String first = trace.nodes().isEmpty() ? null : alias.get(trace.nodes().get(0));
        String last = trace.nodes().isEmpty() ? null : alias.get(trace.nodes().get(trace.nodes().size() - 1));
        for (TraceEvent e : trace.events()) {
            switch (e.type()) {
                case DELIVERED -> arrow(b, alias, e, "->>", e.detail().isEmpty() ? "" : " " + e.detail());
                case DROPPED -> arrow(b, alias, e, "-x", " dropped: " + e.detail());
                case CRASHED, RESTARTED -> note(b, alias.get(e.from()), null, label(e));
                case PARTITIONED, HEALED, RULE_ADDED, CALM, ACTION -> {
                    if (first != null) {
                        note(b, first, last, label(e));
                    }
                }
                case SENT, DUPLICATED, DELAYED, TIMER -> { }
            }
        }
        return b.toString();
    }

    private static void arrow(StringBuilder b, Map<NodeId, String> alias, TraceEvent e, String arrow, String tail) {
        String from = alias.get(e.from());
        String to = alias.get(e.to());
        if (from == null || to == null) {
            return; // a message to or from a node the trace does not list (an unknown receiver)
        }
        b.append("    ").append(from).append(arrow).append(to).append(": ")
                .append(text(e.messageKind() + " step " + e.step() + " " + e.chainId() + tail)).append('\n');
    }

    private static void note(StringBuilder b, String from, String to, String text) {
        b.append("    Note over ").append(from);
        if (to != null && !to.equals(from)) {
            b.append(',').append(to);
        }
        b.append(": ").append(text(text)).append('\n');
    }

    private static String label(TraceEvent e) {
        return (e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + e.detail()).trim();
    }

    /** Keeps characters Mermaid would read as syntax out of a label. */
    private static String text(String s) {
        return s.replace(';', ',').replace('#', ' ').replace('\n', ' ');
    }
}
