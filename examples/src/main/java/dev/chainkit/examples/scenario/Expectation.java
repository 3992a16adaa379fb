package dev.chainkit.examples.scenario;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What must hold once a run has drained: an {@code expect ...} line of a scenario.
 *
 * <p>Every expectation knows the line of the scenario file it came from and its {@link #text() text}, which
 * reports show and which the parser reads back into an equal expectation. The constructors check each
 * expectation on its own; whether the nodes and labels it names exist is checked by {@link ScenarioParser}.
 *
 * <p>Thread safety: all implementations are immutable values, thread-safe.
 */
public sealed interface Expectation permits Expectation.Converged, Expectation.Quiet, Expectation.Log,
        Expectation.Once, Expectation.Absent, Expectation.Messages, Expectation.Outcome {

    /**
     * Returns the line of the scenario file the expectation came from.
     *
     * @return the line number, 1 or more
     */
    int line();

    /**
     * Returns the statement as a scenario file writes it: the words of the line as written, single-spaced,
     * without the comment (numbers without leading zeros).
     *
     * @return e.g. {@code expect messages ForwardSync <= 4}, without a line break
     */
    String text();

    /**
     * {@code expect converged}: all logs are identical (op ids and order) and every state equals a replay of
     * its log.
     *
     * @param line the source line, 1 or more
     */
    record Converged(int line) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @throws IllegalArgumentException if {@code line} is below 1
         */
        public Converged {
            checkLine(line);
        }

        @Override
        public String text() {
            return "expect converged";
        }
    }

    /**
     * {@code expect quiet}: no chain in flight, no message in transit, no retransmission pending.
     *
     * @param line the source line, 1 or more
     */
    record Quiet(int line) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @throws IllegalArgumentException if {@code line} is below 1
         */
        public Quiet {
            checkLine(line);
        }

        @Override
        public String text() {
            return "expect quiet";
        }
    }

    /**
     * {@code expect log NODE|all = LABELS...}: the exact log, by labels, on one node or on every node.
     *
     * @param line the source line, 1 or more
     * @param node the node whose log is checked, or empty for every node ({@code all})
     * @param labels the expected log in order, at least one label (usually starting with {@code o0})
     */
    record Log(int line, Optional<String> node, List<String> labels) implements Expectation {
        /**
         * Validates the expectation and copies the labels.
         *
         * @param line the source line, 1 or more
         * @param node the node whose log is checked, or empty for every node
         * @param labels the expected log in order
         * @throws NullPointerException if an argument or a label is null
         * @throws IllegalArgumentException if {@code line} is below 1, there is no label, or a name is invalid
         */
        public Log {
            checkLine(line);
            Objects.requireNonNull(node, "node must not be null (use Optional.empty() for all)");
            node.ifPresent(n -> ScenarioSyntax.requireNodeName(n, "node name"));
            labels = List.copyOf(labels);
            if (labels.isEmpty()) {
                throw new IllegalArgumentException("an expected log needs at least one label, e.g. 'o0'");
            }
            labels.forEach(l -> ScenarioSyntax.requireName(l, "label"));
        }

        @Override
        public String text() {
            return "expect log " + node.orElse(ScenarioSyntax.ALL_NODES) + " = " + String.join(" ", labels);
        }
    }

    /**
     * {@code expect once LABEL}: the op is in every log exactly once.
     *
     * @param line the source line, 1 or more
     * @param label the op's label
     */
    record Once(int line, String label) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @param label the op's label
         * @throws NullPointerException if {@code label} is null
         * @throws IllegalArgumentException if {@code line} is below 1 or {@code label} is not a valid name
         */
        public Once {
            checkLine(line);
            ScenarioSyntax.requireName(label, "label");
        }

        @Override
        public String text() {
            return "expect once " + label;
        }
    }

    /**
     * {@code expect absent LABEL}: the op is in no log (it was rejected, or its author dropped it).
     *
     * @param line the source line, 1 or more
     * @param label the op's label
     */
    record Absent(int line, String label) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @param label the op's label
         * @throws NullPointerException if {@code label} is null
         * @throws IllegalArgumentException if {@code line} is below 1 or {@code label} is not a valid name
         */
        public Absent {
            checkLine(line);
            ScenarioSyntax.requireName(label, "label");
        }

        @Override
        public String text() {
            return "expect absent " + label;
        }
    }

    /**
     * {@code expect messages KIND|any OP N}: the number of messages of that kind sent by nodes over the whole
     * run (retransmissions included, network duplicates not) compares with {@code count} as {@code comparison}
     * says.
     *
     * @param line the source line, 1 or more
     * @param kind the message kind counted, or {@link MessageKind#ANY}
     * @param comparison how the count compares with {@code count}
     * @param count the bound, 0 or more
     */
    record Messages(int line, MessageKind kind, Comparison comparison, int count) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @param kind the message kind counted
         * @param comparison how the count compares with {@code count}
         * @param count the bound, 0 or more
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code line} is below 1 or {@code count} is negative
         */
        public Messages {
            checkLine(line);
            Objects.requireNonNull(kind, "message kind must not be null");
            Objects.requireNonNull(comparison, "comparison must not be null");
            if (count < 0) {
                throw new IllegalArgumentException("a message count must be 0 or more but was " + count);
            }
        }

        @Override
        public String text() {
            return "expect messages " + kind.text() + " " + comparison.text() + " " + count;
        }
    }

    /**
     * {@code expect outcome LABEL = OUTCOME}: how the chain that first carried the op ended for its author.
     *
     * @param line the source line, 1 or more
     * @param label the op's label, not {@code o0} (no chain carries the genesis op)
     * @param outcome the expected end
     */
    record Outcome(int line, String label, ChainOutcome outcome) implements Expectation {
        /**
         * Validates the expectation.
         *
         * @param line the source line, 1 or more
         * @param label the op's label
         * @param outcome the expected end
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code line} is below 1, {@code label} is not a valid name or is
         *     {@code o0}
         */
        public Outcome {
            checkLine(line);
            ScenarioSyntax.requireName(label, "label");
            if (label.equals(Scenario.GENESIS_LABEL)) {
                throw new IllegalArgumentException("'" + Scenario.GENESIS_LABEL
                        + "' is the genesis op: no chain carries it, so it has no outcome");
            }
            Objects.requireNonNull(outcome, "outcome must not be null");
        }

        @Override
        public String text() {
            return "expect outcome " + label + " = " + outcome.text();
        }
    }

    private static void checkLine(int line) {
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1 but was " + line);
        }
    }
}
