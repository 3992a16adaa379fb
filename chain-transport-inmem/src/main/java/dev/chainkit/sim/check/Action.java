package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.fault.FaultRule;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One thing a {@link Schedule} makes happen: a fault (a targeted rule, a partition, a heal, a crash, a restart)
 * or a piece of the user's workload. Each renders as the text of a scenario line without its time.
 *
 * <p>Thread safety: immutable (provided the workload value is).
 *
 * @param <W> the user's workload type
 */
public sealed interface Action<W> {

    /** The scenario text: {@code drop 2 OpSync a -> hq}, {@code partition a | b,hq}, {@code crash hq}. */
    String render();

    /** A targeted fault rule (drop, duplicate or delay the next messages of a kind on a link). */
    record Fault<W>(FaultRule rule) implements Action<W> {
        /** @throws NullPointerException if {@code rule} is null */
        public Fault {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String render() {
            return rule.toString();
        }
    }

    /** Cuts every link between two groups, both ways. Groups are kept sorted so the text is stable. */
    record Partition<W>(SortedSet<NodeId> left, SortedSet<NodeId> right) implements Action<W> {
        /**
         * @throws NullPointerException if a group is null
         * @throws IllegalArgumentException if a group is empty or a node is in both
         */
        public Partition {
            left = Collections.unmodifiableSortedSet(new TreeSet<>(left));
            right = Collections.unmodifiableSortedSet(new TreeSet<>(right));
            if (left.isEmpty() || right.isEmpty()) {
                throw new IllegalArgumentException("a partition needs two non-empty groups, got " + left + " | "
                        + right);
            }
            if (left.stream().anyMatch(right::contains)) {
                throw new IllegalArgumentException("a node is on both sides of the partition " + left + " | " + right);
            }
        }

        /** A partition between two groups given as any sets. */
        public static <W> Partition<W> of(Set<NodeId> left, Set<NodeId> right) {
            return new Partition<>(new TreeSet<>(left), new TreeSet<>(right));
        }

        @Override
        public String render() {
            return "partition " + names(left) + " | " + names(right);
        }

        private static String names(Set<NodeId> group) {
            return group.stream().map(NodeId::name).collect(Collectors.joining(","));
        }
    }

    /** Undoes every partition. */
    record Heal<W>() implements Action<W> {
        @Override
        public String render() {
            return "heal";
        }
    }

    /** Crashes a node (a no-op if it is already down). */
    record Crash<W>(NodeId node) implements Action<W> {
        /** @throws NullPointerException if {@code node} is null */
        public Crash {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public String render() {
            return "crash " + node;
        }
    }

    /** Restarts a crashed node (a no-op if it is up). */
    record Restart<W>(NodeId node) implements Action<W> {
        /** @throws NullPointerException if {@code node} is null */
        public Restart {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public String render() {
            return "restart " + node;
        }
    }

    /** A piece of the user's workload, applied by {@link PropertyCheck#applyWorkload}; renders as its toString. */
    record Workload<W>(W work) implements Action<W> {
        /** @throws NullPointerException if {@code work} is null */
        public Workload {
            Objects.requireNonNull(work, "work");
        }

        @Override
        public String render() {
            return work.toString();
        }
    }
}
