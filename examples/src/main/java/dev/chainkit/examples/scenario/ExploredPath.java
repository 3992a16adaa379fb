package dev.chainkit.examples.scenario;

import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.NetworkModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An explored path in a scenario file: the extension of the scenario language that lets {@code chainsim run}
 * replay a behaviour {@code chainsim explore} found, exactly, instead of on a random network. One {@code explored}
 * line gives the bounds the path was explored in, and each {@code step} line one choice of the path, in order:
 *
 * <pre>
 * explored losses=0 duplicates=1 crashes=0 network=datagram lifetime=300ms
 * step c1: c1o1 = register c1p1
 * step timer c1
 * step duplicate OpSync c1 -&gt; hq
 * step deliver OpSync c1 -&gt; hq
 * </pre>
 *
 * <p>{@code explored} settings, each optional: {@code losses=}, {@code duplicates=}, {@code crashes=} (whole
 * numbers, default 0), {@code per-link=true|false} (whether losses and duplicates bound each link apart; default
 * false), {@code network=datagram|fifo} (default datagram), {@code lifetime=} (the network's maximum
 * message lifetime, a duration; default the engine's dedup window), {@code cycle=N} (the path is a livelock whose
 * cycle starts at its step N, from 1). A {@code step} line holds the text of a choice as the explorer writes it
 * (a node's next op, {@code deliver}, {@code lose} or {@code duplicate} of a message, {@code disconnect A B},
 * {@code timer}, {@code crash NODE}); where a state has several choices that read alike, the second is written
 * with {@code [2]} at the end, and so on ({@code #} starts a comment).
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param line the {@code explored} line
 * @param bounds the bounds the path was explored in
 * @param cycleStart where the path's cycle starts (a livelock), from 0; -1 when it is not a cycle
 * @param steps the path, in order
 */
public record ExploredPath(int line, ExploreBounds bounds, int cycleStart, List<Step> steps) {

    private static final List<String> SETTINGS = List.of("losses", "duplicates", "per-link", "crashes", "network",
            "lifetime", "cycle");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern AGAIN = Pattern.compile("(.*) \\[([0-9]{1,9})]");
    private static final Pattern SUFFIX = Pattern.compile("(.*) #([0-9]{1,9})");

    /**
     * One choice of the path.
     *
     * @param line the {@code step} line, 0 when the path was not read from a file
     * @param choice the choice's text as the explorer writes it ({@code deliver OpSync c1 -> hq})
     */
    public record Step(int line, String choice) {
        /** @throws NullPointerException if {@code choice} is null */
        public Step {
            Objects.requireNonNull(choice, "choice");
        }
    }

    /**
     * Copies the steps.
     *
     * @throws NullPointerException if {@code bounds} or {@code steps} is null
     * @throws IllegalArgumentException if {@code cycleStart} is below -1 or not a step
     */
    public ExploredPath {
        Objects.requireNonNull(bounds, "bounds");
        steps = List.copyOf(steps);
        if (cycleStart < -1 || cycleStart >= steps.size()) {
            throw new IllegalArgumentException("the cycle must start at a step (0 to " + (steps.size() - 1)
                    + ") or be -1, but was " + cycleStart);
        }
    }

    /** The choices, in order. */
    public List<String> choices() {
        return steps.stream().map(Step::choice).toList();
    }

    /**
     * The lines of this path in a scenario file: the {@code explored} line, then one {@code step} line per choice.
     *
     * @return the text, each line ending with a line break
     */
    public String text() {
        StringBuilder b = new StringBuilder("explored losses=").append(bounds.losses()).append(" duplicates=")
                .append(bounds.duplicates()).append(bounds.perLink() ? " per-link=true" : "").append(" crashes=")
                .append(bounds.crashes()).append(" network=")
                .append(bounds.network().label());
        bounds.messageLifetime().ifPresent(d -> b.append(" lifetime=").append(ScenarioSyntax.formatDuration(d)));
        if (cycleStart >= 0) {
            b.append(" cycle=").append(cycleStart + 1);
        }
        b.append('\n');
        for (Step s : steps) {
            Matcher m = SUFFIX.matcher(s.choice());
            b.append("step ").append(m.matches() ? m.group(1) + " [" + m.group(2) + "]" : s.choice()).append('\n');
        }
        return b.toString();
    }

    /** Collects the {@code explored} and {@code step} lines of one parse. Not thread-safe. */
    static final class Lines {
        private final String file;
        private int line;
        private ExploreBounds bounds;
        private int cycle = -1;
        private int cycleLine;
        private final List<Step> steps = new ArrayList<>();

        Lines(String file) {
            this.file = file;
        }

        /** Reads an {@code explored} line's settings. */
        void explored(int at, List<String> words) throws ScenarioException {
            if (line > 0) {
                throw new ScenarioException(file, at, "a second 'explored' line: the first is at line " + line);
            }
            line = at;
            Map<String, String> s = new LinkedHashMap<>();
            for (String w : words) {
                int eq = w.indexOf('=');
                String key = eq < 0 ? w : w.substring(0, eq);
                if (eq <= 0 || !SETTINGS.contains(key)) {
                    throw new ScenarioException(file, at, "unexpected '" + w + "' in 'explored': expected settings"
                            + " KEY=VALUE with KEY one of " + String.join(", ", SETTINGS));
                }
                if (s.put(key, w.substring(eq + 1)) != null) {
                    throw new ScenarioException(file, at, "'" + key + "=' given twice in 'explored'");
                }
            }
            ExploreBounds b = ExploreBounds.defaults().withLosses(count(s, "losses", at))
                    .withDuplicates(count(s, "duplicates", at)).withCrashes(count(s, "crashes", at));
            String perLink = s.getOrDefault("per-link", "false");
            if (!perLink.equals("true") && !perLink.equals("false")) {
                throw new ScenarioException(file, at, "bad per-link '" + perLink + "': expected true or false");
            }
            b = b.withPerLink(perLink.equals("true"));
            if (s.containsKey("network")) {
                try {
                    b = b.withNetwork(NetworkModel.of(s.get("network")));
                } catch (IllegalArgumentException e) {
                    throw new ScenarioException(file, at, "bad network '" + s.get("network")
                            + "': expected datagram or fifo");
                }
            }
            if (s.containsKey("lifetime")) {
                String v = s.get("lifetime");
                Duration d = ScenarioSyntax.parseDuration(v).orElseThrow(() -> new ScenarioException(file, at,
                        "bad lifetime '" + v + "': expected a duration such as 300ms"));
                b = b.withMessageLifetime(d);
            }
            if (s.containsKey("cycle")) {
                int c = count(s, "cycle", at);
                if (c < 1) {
                    throw new ScenarioException(file, at, "bad cycle '0': expected the step the cycle starts at,"
                            + " from 1");
                }
                cycle = c - 1;
                cycleLine = at;
            }
            bounds = b;
        }

        private int count(Map<String, String> s, String key, int at) throws ScenarioException {
            String v = s.getOrDefault(key, "0");
            if (!COUNT.matcher(v).matches()) {
                throw new ScenarioException(file, at, "bad " + key + " '" + v + "': expected a whole number such as"
                        + " 1");
            }
            return Integer.parseInt(v);
        }

        /** Reads a {@code step} line's choice. */
        void step(int at, List<String> words) throws ScenarioException {
            if (words.isEmpty()) {
                throw new ScenarioException(file, at, "expected a choice after 'step', such as 'step deliver OpSync"
                        + " c1 -> hq'");
            }
            String text = String.join(" ", words);
            Matcher m = AGAIN.matcher(text);
            steps.add(new Step(at, m.matches() ? m.group(1) + " #" + m.group(2) : text));
        }

        /** The line of the first {@code explored} or {@code step} line, or 0 if none. */
        int firstLine() {
            return line > 0 && (steps.isEmpty() || line < steps.get(0).line()) ? line
                    : steps.isEmpty() ? 0 : steps.get(0).line();
        }

        /** The path, once every line was read; null if the file has none. */
        ExploredPath path() throws ScenarioException {
            if (line == 0) {
                if (steps.isEmpty()) {
                    return null;
                }
                throw new ScenarioException(file, steps.get(0).line(), "a 'step' line needs an 'explored' line with"
                        + " the bounds the path was explored in, such as 'explored losses=1 duplicates=0 crashes=0'");
            }
            if (cycle >= 0 && cycle >= steps.size()) {
                throw new ScenarioException(file, cycleLine, "cycle=" + (cycle + 1) + " but the path has "
                        + steps.size() + " steps");
            }
            return new ExploredPath(line, bounds, cycle, steps);
        }
    }
}
