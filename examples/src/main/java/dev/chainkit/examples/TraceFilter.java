package dev.chainkit.examples;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.MessageKind;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.sim.Trace;
import dev.chainkit.sim.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What {@code chainsim run --trace-filter} keeps of a trace, so that a big run's diagram stays readable and under
 * Mermaid's size limit: some message kinds ({@code kind=OpSync,OpProcessor}), the messages to or from some nodes
 * and those nodes' crashes and restarts ({@code node=a,hq}), and a window of virtual time
 * ({@code time=10s..20s}, either end may be left out). Notes about the whole network (partitions, heals, rules,
 * scripted actions) are kept inside the window whatever the kinds and nodes.
 *
 * <p>Thread safety: immutable value.
 *
 * @param kinds the message kinds kept, or empty for all
 * @param nodes the nodes kept, or empty for all
 * @param fromNs the start of the window, in virtual nanoseconds, inclusive
 * @param toNs the end of the window, in virtual nanoseconds, inclusive
 */
record TraceFilter(Set<String> kinds, Set<String> nodes, long fromNs, long toNs) {

    /** Keeps everything. */
    static final TraceFilter ALL = new TraceFilter(Set.of(), Set.of(), 0, Long.MAX_VALUE);

    /** The keys {@code --trace-filter} accepts. */
    static final String KEYS = "kind=K1,K2  node=N1,N2  time=FROM..TO";

    TraceFilter {
        kinds = Set.copyOf(kinds);
        nodes = Set.copyOf(nodes);
    }

    /**
     * Reads the {@code --trace-filter KEY=VALUE} options, checking kinds and nodes against the scenario.
     *
     * @param options the options, by key
     * @param scenario the scenario the trace is of
     * @return the filter
     * @throws IllegalArgumentException with a one-line message naming the bad key or value
     */
    static TraceFilter parse(Map<String, String> options, Scenario scenario) {
        Set<String> kinds = Set.of();
        Set<String> nodes = Set.of();
        long from = 0;
        long to = Long.MAX_VALUE;
        for (Map.Entry<String, String> o : options.entrySet()) {
            String value = o.getValue();
            switch (o.getKey()) {
                case "kind" -> kinds = words(value, "kind", w -> MessageKind.fromText(w).isPresent()
                        && !w.equals(MessageKind.ANY.text()) && !w.equals(MessageKind.HINT.text()),
                        MessageKind.knownTexts().replace(MessageKind.HINT.text() + ", ", ""));
                case "node" -> {
                    Set<String> known = new LinkedHashSet<>(scenario.serverNames());
                    scenario.clients().forEach(c -> known.add(c.name()));
                    nodes = words(value, "node", known::contains, String.join(", ", known));
                }
                case "time" -> {
                    int dots = value.indexOf("..");
                    if (dots < 0) {
                        throw new IllegalArgumentException("--trace-filter time=" + value
                                + ": expected FROM..TO such as 10s..20s (either end may be left out)");
                    }
                    from = time(value.substring(0, dots), 0, value);
                    to = time(value.substring(dots + 2), Long.MAX_VALUE, value);
                    if (from > to) {
                        throw new IllegalArgumentException("--trace-filter time=" + value + ": FROM is after TO");
                    }
                }
                default -> throw new IllegalArgumentException("--trace-filter: unknown key '" + o.getKey()
                        + "' (known: " + KEYS + ")");
            }
        }
        return new TraceFilter(kinds, nodes, from, to);
    }

    private static Set<String> words(String value, String key, Predicate<String> known,
            String knownText) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : value.split(",", -1)) {
            if (!known.test(w)) {
                throw new IllegalArgumentException("--trace-filter " + key + "=" + value + ": unknown " + key + " '"
                        + w + "' (known: " + knownText + ")");
            }
            words.add(w);
        }
        return words;
    }

    private static long time(String word, long open, String value) {
        if (word.isEmpty()) {
            return open;
        }
        Optional<Duration> d = ScenarioParser.duration(word);
        if (d.isEmpty()) {
            throw new IllegalArgumentException("--trace-filter time=" + value + ": '" + word
                    + "' is not a duration such as 250ms, 2s or 1.5m");
        }
        return d.get().toNanos();
    }

    /** Whether this filter keeps everything. */
    boolean keepsAll() {
        return equals(ALL);
    }

    /**
     * The trace with only what this filter keeps; its participants are the kept nodes and the other ends of their
     * kept messages, in the trace's order.
     */
    Trace apply(Trace trace) {
        List<TraceEvent> kept = new ArrayList<>();
        Set<NodeId> seen = new LinkedHashSet<>();
        for (TraceEvent e : trace.events()) {
            if (e.timeNs() < fromNs || e.timeNs() > toNs) {
                continue;
            }
            if (e.isMessage()) {
                if (!kinds.isEmpty() && !kinds.contains(e.messageKind())) {
                    continue;
                }
                if (!nodes.isEmpty() && !nodes.contains(e.from().name()) && !nodes.contains(e.to().name())) {
                    continue;
                }
                seen.add(e.from());
                seen.add(e.to());
            } else if (e.from() != null && !nodes.isEmpty() && !nodes.contains(e.from().name())) {
                continue; // a crash, restart or timer of a node left out
            }
            kept.add(e);
        }
        List<NodeId> participants = trace.nodes().stream()
                .filter(n -> nodes.isEmpty() || nodes.contains(n.name()) || seen.contains(n))
                .collect(Collectors.toList());
        return Trace.of(participants, kept);
    }
}
