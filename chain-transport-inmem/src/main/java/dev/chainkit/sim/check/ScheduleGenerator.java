package dev.chainkit.sim.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.Protocol;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Draws random {@link Schedule}s with knobs: how many workload actions and faults, how lossy and duplicating the
 * network may be, its latency, which message kinds targeted rules aim at, and whether partitions and crashes
 * happen. Every action falls in {@code [0, horizon)} at a whole millisecond; every partition is healed and every
 * crashed node restarted by the horizon, where random faults calm down.
 *
 * <p>Thread safety: immutable; {@link #generate} draws only from the random source it is given.
 *
 * @param <W> the user's workload type
 */
public final class ScheduleGenerator<W> {

    private static final long MS = 1_000_000L;

    private final WorkloadGenerator<W> workload;
    private final long horizonMs;
    private final int minWorkloads;
    private final int maxWorkloads;
    private final int maxFaults;
    private final double maxLoss;
    private final double maxDuplicate;
    private final long latencyMinMs;
    private final long latencyMaxMs;
    private final List<String> messageKinds;
    private final int maxRuleCount;
    private final long maxRuleDelayMs;
    private final boolean partitions;
    private final boolean crashes;

    private ScheduleGenerator(Builder<W> b) {
        this.workload = b.workload;
        this.horizonMs = b.horizonMs;
        this.minWorkloads = b.minWorkloads;
        this.maxWorkloads = b.maxWorkloads;
        this.maxFaults = b.maxFaults;
        this.maxLoss = b.maxLoss;
        this.maxDuplicate = b.maxDuplicate;
        this.latencyMinMs = b.latencyMinMs;
        this.latencyMaxMs = b.latencyMaxMs;
        this.messageKinds = List.copyOf(b.messageKinds);
        this.maxRuleCount = b.maxRuleCount;
        this.maxRuleDelayMs = b.maxRuleDelayMs;
        this.partitions = b.partitions;
        this.crashes = b.crashes;
    }

    /**
     * Starts building a generator of schedules whose workload actions come from {@code workload}.
     *
     * @throws NullPointerException if {@code workload} is null
     */
    public static <W> Builder<W> builder(WorkloadGenerator<W> workload) {
        return new Builder<>(Objects.requireNonNull(workload, "workload"));
    }

    /**
     * Draws one schedule.
     *
     * @param random the source of every choice
     * @param nodes the nodes faults may name, in order
     * @throws IllegalArgumentException if {@code nodes} is empty
     */
    public Schedule<W> generate(RandomGenerator random, List<NodeId> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one node");
        }
        NetworkConfig network = NetworkConfig.reliable()
                .withLoss(maybe(random, maxLoss))
                .withDuplicate(maybe(random, maxDuplicate))
                .withLatency(Duration.ofMillis(latencyMinMs),
                        Duration.ofMillis(latencyMinMs + random.nextLong(latencyMaxMs - latencyMinMs + 1)));
        List<TimedAction<W>> actions = new ArrayList<>();
        int workloads = minWorkloads + random.nextInt(maxWorkloads - minWorkloads + 1);
        for (int i = 0; i < workloads; i++) {
            long at = random.nextLong(horizonMs);
            actions.add(at(at, new Action.Workload<>(Objects.requireNonNull(workload.next(random, nodes, i),
                    "workload generator returned null"))));
        }
        List<String> faultKinds = new ArrayList<>();
        if (nodes.size() > 1) {
            faultKinds.add("rule");
            if (partitions) {
                faultKinds.add("partition");
            }
        }
        if (crashes) {
            faultKinds.add("crash");
        }
        int faults = faultKinds.isEmpty() ? 0 : random.nextInt(maxFaults + 1);
        for (int i = 0; i < faults; i++) {
            long at = random.nextLong(horizonMs);
            long until = at + 1 + random.nextLong(horizonMs - at);
            switch (faultKinds.get(random.nextInt(faultKinds.size()))) {
                case "rule" -> actions.add(at(at, new Action.Fault<>(rule(random, nodes))));
                case "partition" -> {
                    List<NodeId> shuffled = new ArrayList<>(nodes);
                    for (int k = shuffled.size() - 1; k > 0; k--) {
                        Collections.swap(shuffled, k, random.nextInt(k + 1));
                    }
                    int cut = 1 + random.nextInt(nodes.size() - 1);
                    Set<NodeId> left = new HashSet<>(shuffled.subList(0, cut));
                    Set<NodeId> right = new HashSet<>(shuffled.subList(cut, shuffled.size()));
                    actions.add(at(at, Action.Partition.of(left, right)));
                    actions.add(at(until, new Action.Heal<>()));
                }
                case "crash" -> {
                    NodeId node = nodes.get(random.nextInt(nodes.size()));
                    actions.add(at(at, new Action.Crash<>(node)));
                    actions.add(at(until, new Action.Restart<>(node)));
                }
                default -> throw new IllegalStateException("unknown fault kind");
            }
        }
        actions.sort(Comparator.comparing(TimedAction::at));
        return new Schedule<>(network, Duration.ofMillis(horizonMs), actions);
    }

    private FaultRule rule(RandomGenerator random, List<NodeId> nodes) {
        int from = random.nextInt(nodes.size());
        int to = (from + 1 + random.nextInt(nodes.size() - 1)) % nodes.size();
        String kind = messageKinds.get(random.nextInt(messageKinds.size()));
        int count = 1 + random.nextInt(maxRuleCount);
        return switch (random.nextInt(3)) {
            case 0 -> FaultRule.drop(count, kind, nodes.get(from), nodes.get(to));
            case 1 -> FaultRule.duplicate(count, kind, nodes.get(from), nodes.get(to));
            default -> FaultRule.delay(count, kind, nodes.get(from), nodes.get(to),
                    Duration.ofMillis(1 + random.nextLong(maxRuleDelayMs)));
        };
    }

    /** Zero a third of the time, otherwise a value in [0, max] rounded to two decimals. */
    private static double maybe(RandomGenerator random, double max) {
        if (max == 0 || random.nextInt(3) == 0) {
            return 0;
        }
        return Math.round(random.nextDouble() * max * 100) / 100.0;
    }

    private static <W> TimedAction<W> at(long ms, Action<W> action) {
        return new TimedAction<>(Duration.ofNanos(ms * MS), action);
    }

    /** Builds a {@link ScheduleGenerator}. Not thread-safe; each setter checks its argument at once. */
    public static final class Builder<W> {
        private final WorkloadGenerator<W> workload;
        private long horizonMs = 2_000;
        private int minWorkloads = 1;
        private int maxWorkloads = 5;
        private int maxFaults = 3;
        private double maxLoss;
        private double maxDuplicate;
        private long latencyMinMs = 1;
        private long latencyMaxMs = 1;
        private List<String> messageKinds = List.of(FaultRule.ANY_KIND);
        private List<Protocol<?>> protocols = List.of();
        private int maxRuleCount = 3;
        private long maxRuleDelayMs = 500;
        private boolean partitions = true;
        private boolean crashes = true;

        private Builder(WorkloadGenerator<W> workload) {
            this.workload = workload;
        }

        /**
         * The span in which actions happen; random faults calm at its end (default 2 s).
         *
         * @throws IllegalArgumentException if {@code horizon} is shorter than 1 ms
         */
        public Builder<W> horizon(Duration horizon) {
            Objects.requireNonNull(horizon, "horizon");
            if (horizon.toMillis() < 1) {
                throw new IllegalArgumentException("horizon must be at least 1ms, got " + horizon);
            }
            this.horizonMs = horizon.toMillis();
            return this;
        }

        /**
         * How many workload actions a schedule has, drawn from [min, max] (default 1..5).
         *
         * @throws IllegalArgumentException if {@code min} is negative or {@code max} is below {@code min}
         */
        public Builder<W> workloads(int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("workloads must satisfy 0 <= min <= max, got " + min + ".." + max);
            }
            this.minWorkloads = min;
            this.maxWorkloads = max;
            return this;
        }

        /**
         * The most faults a schedule has, drawn from [0, max] (default 3); a partition or a crash counts once
         * with its heal or restart.
         *
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder<W> faults(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("faults must be 0 or more, got " + max);
            }
            this.maxFaults = max;
            return this;
        }

        /**
         * The highest loss probability a schedule's network may have (default 0).
         *
         * @throws IllegalArgumentException if {@code max} is NaN or outside [0, 1]
         */
        public Builder<W> loss(double max) {
            this.maxLoss = probability(max, "loss");
            return this;
        }

        /**
         * The highest duplicate probability a schedule's network may have (default 0).
         *
         * @throws IllegalArgumentException if {@code max} is NaN or outside [0, 1]
         */
        public Builder<W> duplicate(double max) {
            this.maxDuplicate = probability(max, "duplicate");
            return this;
        }

        /**
         * The latency: each schedule's range runs from {@code min} to a value drawn from [min, max], in whole
         * milliseconds (default 1ms..1ms).
         *
         * @throws IllegalArgumentException if {@code min} is negative or {@code max} is below {@code min}
         */
        public Builder<W> latency(Duration min, Duration max) {
            Objects.requireNonNull(min, "latency min");
            Objects.requireNonNull(max, "latency max");
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, got " + min + ".." + max);
            }
            this.latencyMinMs = min.toMillis();
            this.latencyMaxMs = max.toMillis();
            return this;
        }

        /**
         * The protocols the run's nodes speak: {@link #build()} refuses a {@link #messageKinds} entry that none of
         * them has ({@link Protocol#messageKinds()}), so a misspelt kind fails at once instead of silently never
         * matching. Required as soon as a kind other than {@code any} is named.
         *
         * @throws NullPointerException if a protocol is null
         * @throws IllegalArgumentException if none is given
         */
        public Builder<W> protocols(Protocol<?>... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("protocols needs at least one protocol");
            }
            for (Protocol<?> p : protocols) {
                Objects.requireNonNull(p, "protocol");
            }
            this.protocols = List.of(protocols);
            return this;
        }

        /**
         * The message kinds targeted rules aim at (default only {@code any}); each must be a kind of the
         * {@link #protocols} or {@code any}, which {@link #build()} checks.
         *
         * @throws IllegalArgumentException if no kind is given or a kind is blank
         */
        public Builder<W> messageKinds(String... kinds) {
            if (kinds.length == 0) {
                throw new IllegalArgumentException("messageKinds needs at least one kind");
            }
            for (String k : kinds) {
                if (Objects.requireNonNull(k, "message kind").isBlank()) {
                    throw new IllegalArgumentException("message kinds must not be blank");
                }
            }
            this.messageKinds = List.of(kinds);
            return this;
        }

        /**
         * The highest count of a targeted rule, drawn from [1, max] (default 3).
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder<W> maxRuleCount(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRuleCount must be at least 1, got " + max);
            }
            this.maxRuleCount = max;
            return this;
        }

        /**
         * The longest delay of a delay rule, drawn from [1ms, max] (default 500 ms).
         *
         * @throws IllegalArgumentException if {@code max} is shorter than 1 ms
         */
        public Builder<W> maxRuleDelay(Duration max) {
            Objects.requireNonNull(max, "maxRuleDelay");
            if (max.toMillis() < 1) {
                throw new IllegalArgumentException("maxRuleDelay must be at least 1ms, got " + max);
            }
            this.maxRuleDelayMs = max.toMillis();
            return this;
        }

        /** Whether schedules may partition the nodes (default true). */
        public Builder<W> partitions(boolean enabled) {
            this.partitions = enabled;
            return this;
        }

        /** Whether schedules may crash and restart nodes (default true). */
        public Builder<W> crashes(boolean enabled) {
            this.crashes = enabled;
            return this;
        }

        /**
         * The generator.
         *
         * @throws IllegalArgumentException if a message kind is not one of the {@link #protocols} (or no protocols
         *     were given to check the kinds against, or a protocol's kinds cannot be known)
         */
        public ScheduleGenerator<W> build() {
            checkKinds();
            return new ScheduleGenerator<>(this);
        }

        private void checkKinds() {
            if (messageKinds.stream().allMatch(FaultRule.ANY_KIND::equals)) {
                return;
            }
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException("messageKinds " + messageKinds + " names message kinds, so the"
                        + " builder needs the run's protocols to check them: call protocols(...)");
            }
            Set<String> known = new LinkedHashSet<>();
            for (Protocol<?> p : protocols) {
                Set<String> kinds = p.messageKinds();
                if (kinds.isEmpty()) {
                    throw new IllegalArgumentException("the message kinds of protocol " + p.name() + " cannot be"
                            + " known: its message type " + p.messageType().getName() + " is not a sealed"
                            + " hierarchy; override Protocol.messageKinds() to list them");
                }
                known.addAll(kinds);
            }
            for (String k : messageKinds) {
                if (!k.equals(FaultRule.ANY_KIND) && !known.contains(k)) {
                    throw new IllegalArgumentException("message kind '" + k + "' is not a message of the run's"
                            + " protocols, so a rule aimed at it would never match (known: " + String.join(", ",
                            known) + ", " + FaultRule.ANY_KIND + ")");
                }
            }
        }

        private static double probability(double p, String what) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(what + " probability must be in [0, 1], got " + p);
            }
            return p;
        }
    }
}
