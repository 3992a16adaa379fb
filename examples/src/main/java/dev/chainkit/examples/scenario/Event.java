package dev.chainkit.examples.scenario;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Something that happens at a virtual time: an {@code at TIME ...} line of a scenario.
 *
 * <p>Every event knows its time, the line of the scenario file it came from (for reports) and its
 * {@link #text() canonical text}, which the parser reads back into an equal event at that line. The
 * constructors check each event on its own; whether the nodes it names exist is checked by
 * {@link ScenarioParser}.
 *
 * <p>Thread safety: all implementations are immutable values, thread-safe.
 */
public sealed interface Event permits Event.LocalOp, Event.Rule, Event.Partition, Event.Heal, Event.Crash,
        Event.Restart {

    /**
     * Returns when the event happens.
     *
     * @return the virtual time from the start of the run, 0 or more
     */
    Duration at();

    /**
     * Returns the line of the scenario file the event came from.
     *
     * @return the line number, 1 or more
     */
    int line();

    /**
     * Returns the scenario line for this event.
     *
     * @return e.g. {@code at 1s drop next OpSync judge1 -> hq}, without a line break
     */
    String text();

    /**
     * {@code at T NODE: [LABEL =] OP}: the user of {@code node} makes a local op.
     *
     * @param at when, 0 or more
     * @param line the source line, 1 or more
     * @param node the node whose user makes the op
     * @param label the label that expectations use for the op, if given; never {@code o0}
     * @param op the op
     */
    record LocalOp(Duration at, int line, String node, Optional<String> label, TournamentOp op) implements Event {
        /**
         * Validates the event.
         *
         * @param at when, 0 or more
         * @param line the source line, 1 or more
         * @param node the node whose user makes the op
         * @param label the label of the op, if given
         * @param op the op
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code at} is negative, {@code line} is below 1, or {@code node}
         *     or {@code label} is not a valid name, or {@code label} is {@code o0}
         */
        public LocalOp {
            checkTimeAndLine(at, line);
            ScenarioSyntax.requireNodeName(node, "node name");
            Objects.requireNonNull(label, "label must not be null (use Optional.empty())");
            label.ifPresent(l -> {
                ScenarioSyntax.requireName(l, "label");
                if (l.equals(Scenario.GENESIS_LABEL)) {
                    throw new IllegalArgumentException("label '" + Scenario.GENESIS_LABEL
                            + "' is predefined: it names the genesis op");
                }
            });
            Objects.requireNonNull(op, "op must not be null");
        }

        @Override
        public String text() {
            return prefix(at) + node + ": " + label.map(l -> l + " = ").orElse("") + op.text();
        }
    }

    /**
     * {@code at T drop|duplicate|delay [next|N] KIND A -> B [by D]}: a targeted rule that affects the next
     * {@code count} messages of {@code kind} sent on the link {@code from -> to} from {@code at} on,
     * retransmissions included.
     *
     * @param at when the rule takes effect, 0 or more
     * @param line the source line, 1 or more
     * @param action what the rule does to a matching message
     * @param count how many matching messages it affects, 1 or more ({@code next} is 1)
     * @param kind the message kind to match, or {@link MessageKind#ANY}
     * @param from the sending node
     * @param to the receiving node, not {@code from}
     * @param delay how long a matching message is held on top of its latency: 0 or more for
     *     {@link Action#DELAY}, {@link Duration#ZERO} for the other actions
     */
    record Rule(Duration at, int line, Action action, int count, MessageKind kind, String from, String to,
            Duration delay) implements Event {

        /**
         * What a targeted rule does to a matching message.
         *
         * <p>Thread safety: immutable enum, thread-safe.
         */
        public enum Action {
            /** {@code drop}: the message is lost. */
            DROP("drop"),
            /** {@code duplicate}: the message is delivered twice. */
            DUPLICATE("duplicate"),
            /** {@code delay ... by D}: the message is held for D on top of its latency. */
            DELAY("delay");

            private final String text;

            Action(String text) {
                this.text = text;
            }

            /**
             * Returns the word that starts the rule in a scenario file.
             *
             * @return {@code drop}, {@code duplicate} or {@code delay}
             */
            public String text() {
                return text;
            }
        }

        /**
         * Validates the rule.
         *
         * @param at when the rule takes effect, 0 or more
         * @param line the source line, 1 or more
         * @param action what the rule does
         * @param count how many matching messages it affects, 1 or more
         * @param kind the message kind to match
         * @param from the sending node
         * @param to the receiving node
         * @param delay the extra delay of a {@link Action#DELAY} rule, {@link Duration#ZERO} otherwise
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code at} is negative, {@code line} or {@code count} is below 1,
         *     a node name is invalid, {@code from} equals {@code to}, {@code delay} is negative, or a rule
         *     other than a delay has a non-zero delay
         */
        public Rule {
            checkTimeAndLine(at, line);
            Objects.requireNonNull(action, "rule action must not be null");
            if (count < 1) {
                throw new IllegalArgumentException("rule count must be at least 1 (or 'next') but was " + count);
            }
            Objects.requireNonNull(kind, "rule message kind must not be null");
            ScenarioSyntax.requireNodeName(from, "node name");
            ScenarioSyntax.requireNodeName(to, "node name");
            if (from.equals(to)) {
                throw new IllegalArgumentException("a rule's link must join two different nodes but was "
                        + from + " -> " + to);
            }
            ScenarioSyntax.requireNonNegative(delay, "rule delay");
            if (action != Action.DELAY && !delay.isZero()) {
                throw new IllegalArgumentException("only a delay rule has a delay, but a " + action.text()
                        + " rule has " + ScenarioSyntax.formatDuration(delay));
            }
        }

        @Override
        public String text() {
            return prefix(at) + action.text() + " " + (count == 1 ? "next" : Integer.toString(count)) + " "
                    + kind.text() + " " + from + " -> " + to
                    + (action == Action.DELAY ? " by " + ScenarioSyntax.formatDuration(delay) : "");
        }

        /**
         * Returns this rule as the fault logic's rule, which the simulator and a live run's fault proxies apply alike.
         *
         * @return the rule, with this rule's delay
         */
        public FaultRule faultRule() {
            FaultRule.Action a = switch (action) {
                case DROP -> FaultRule.Action.DROP;
                case DUPLICATE -> FaultRule.Action.DUPLICATE;
                case DELAY -> FaultRule.Action.DELAY;
            };
            return new FaultRule(a, count, kind.text(), NodeId.of(from), NodeId.of(to), delay);
        }
    }

    /**
     * {@code at T partition G1 | G2}: every link between a node of {@code left} and a node of {@code right} is
     * cut, both ways, until the next {@link Heal}.
     *
     * @param at when, 0 or more
     * @param line the source line, 1 or more
     * @param left the first group, non-empty, without repeats
     * @param right the second group, non-empty, without repeats, disjoint from {@code left}
     */
    record Partition(Duration at, int line, List<String> left, List<String> right) implements Event {
        /**
         * Validates the partition and copies the groups.
         *
         * @param at when, 0 or more
         * @param line the source line, 1 or more
         * @param left the first group
         * @param right the second group
         * @throws NullPointerException if an argument or a name is null
         * @throws IllegalArgumentException if {@code at} is negative, {@code line} is below 1, a group is empty,
         *     a name is invalid or a node appears twice
         */
        public Partition {
            checkTimeAndLine(at, line);
            left = List.copyOf(left);
            right = List.copyOf(right);
            if (left.isEmpty() || right.isEmpty()) {
                throw new IllegalArgumentException("a partition needs two non-empty groups: expected "
                        + "'partition A,B | C,D'");
            }
            Set<String> seen = new HashSet<>();
            for (String node : left) {
                ScenarioSyntax.requireNodeName(node, "node name");
                if (!seen.add(node)) {
                    throw new IllegalArgumentException("node '" + node + "' appears twice in the first group");
                }
            }
            Set<String> seenRight = new HashSet<>();
            for (String node : right) {
                ScenarioSyntax.requireNodeName(node, "node name");
                if (seen.contains(node)) {
                    throw new IllegalArgumentException("node '" + node
                            + "' is in both groups: a partition's groups must be disjoint");
                }
                if (!seenRight.add(node)) {
                    throw new IllegalArgumentException("node '" + node + "' appears twice in the second group");
                }
            }
        }

        @Override
        public String text() {
            return prefix(at) + "partition " + String.join(",", left) + " | " + String.join(",", right);
        }
    }

    /**
     * {@code at T heal}: every partition is undone.
     *
     * @param at when, 0 or more
     * @param line the source line, 1 or more
     */
    record Heal(Duration at, int line) implements Event {
        /**
         * Validates the event.
         *
         * @param at when, 0 or more
         * @param line the source line, 1 or more
         * @throws NullPointerException if {@code at} is null
         * @throws IllegalArgumentException if {@code at} is negative or {@code line} is below 1
         */
        public Heal {
            checkTimeAndLine(at, line);
        }

        @Override
        public String text() {
            return prefix(at) + "heal";
        }
    }

    /**
     * {@code at T crash NODE}: the node loses all volatile state (chains, caches, timers); its op log survives.
     * The node must be up at that time.
     *
     * @param at when, 0 or more
     * @param line the source line, 1 or more
     * @param node the node that crashes
     */
    record Crash(Duration at, int line, String node) implements Event {
        /**
         * Validates the event.
         *
         * @param at when, 0 or more
         * @param line the source line, 1 or more
         * @param node the node that crashes
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code at} is negative, {@code line} is below 1 or {@code node}
         *     is not a valid name
         */
        public Crash {
            checkTimeAndLine(at, line);
            ScenarioSyntax.requireNodeName(node, "node name");
        }

        @Override
        public String text() {
            return prefix(at) + "crash " + node;
        }
    }

    /**
     * {@code at T restart NODE}: a crashed node comes back with a new incarnation. The node must have crashed
     * earlier and not been restarted since.
     *
     * @param at when, 0 or more
     * @param line the source line, 1 or more
     * @param node the node that restarts
     */
    record Restart(Duration at, int line, String node) implements Event {
        /**
         * Validates the event.
         *
         * @param at when, 0 or more
         * @param line the source line, 1 or more
         * @param node the node that restarts
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code at} is negative, {@code line} is below 1 or {@code node}
         *     is not a valid name
         */
        public Restart {
            checkTimeAndLine(at, line);
            ScenarioSyntax.requireNodeName(node, "node name");
        }

        @Override
        public String text() {
            return prefix(at) + "restart " + node;
        }
    }

    private static void checkTimeAndLine(Duration at, int line) {
        ScenarioSyntax.requireNonNegative(at, "event time");
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1 but was " + line);
        }
    }

    private static String prefix(Duration at) {
        return "at " + ScenarioSyntax.formatDuration(at) + " ";
    }
}
