package dev.chainkit.sim.fault;

import dev.chainkit.core.NodeId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The faults of a network and what they do to each message: random loss, duplication and latency
 * ({@link NetworkConfig}), partitions, targeted {@link FaultRule}s, and calm. {@link #decide} turns one message into
 * a {@link FaultDecision}; whoever moves the message (the simulator, a {@link FaultInjectingTransport}, a network
 * proxy) carries the decision out. This is the simulator's fault logic, taken out of it so that every transport
 * applies the same rules, in the spirit of Aeron's {@code LossGenerator}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Descriptor, time and randomness are arguments.</b> A decision needs only a {@link MessageInfo} (link,
 *   protocol, kind, size), the time and a random source, never an {@link dev.chainkit.core.Envelope}: a proxy that
 *   decoded a frame only this far applies the same rules. The caller owns the random source, so a seeded run
 *   replays exactly, and each thread can keep its own.</li>
 *   <li><b>Order of the faults</b>, fixed because the simulator's traces depend on it: a partition drops the
 *   message (nothing else is looked at); a matching drop rule drops it (only that rule is used up); otherwise the
 *   oldest matching duplicate rule and the oldest matching delay rule each apply once; then random loss is drawn,
 *   then random duplication, then one latency per copy. A draw is made only when its probability is above 0 and the
 *   network is not calm, so the sequence of draws, and therefore a seeded run, is the same as before this class
 *   existed.</li>
 *   <li><b>Threads.</b> Partitions and rules are immutable snapshots behind volatile fields, replaced under a lock
 *   by the rare writers; a decision reads them without locking and uses up a rule's count with a compare-and-set,
 *   so nodes on several threads can share one instance and a rule of count {@code n} affects exactly {@code n}
 *   messages. A used-up rule is pruned from the snapshot by the decision that used it up.</li>
 *   <li><b>Saturation.</b> A copy's delay is its latency plus a delay rule's delay, saturated at
 *   {@link FaultDecision#NEVER}: a delay too long for the clock means the copy never arrives.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe. Calls that change the faults ({@link #partition}, {@link #heal},
 * {@link #addRule}, {@link #calm}) apply to decisions that start after they return.
 */
public final class NetworkFaults {

    private static final ActiveRule[] NO_RULES = new ActiveRule[0];

    private final NetworkConfig config;
    private final Object writeLock = new Object();
    private volatile boolean calm;
    private volatile ActiveRule[] rules = NO_RULES;
    private volatile Map<NodeId, Set<NodeId>> cuts = Map.of();

    /**
     * Faults with {@code config}'s random behaviour, no partition, no rule, not calm.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public NetworkFaults(NetworkConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The random loss, duplication and latency of every link. */
    public NetworkConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- partitions

    /**
     * Cuts every link between the two groups, both ways, until {@link #heal()}. Partitions add up.
     *
     * @throws NullPointerException if a group or a member is null
     * @throws IllegalArgumentException if a group is empty or a node is in both
     */
    public void partition(Set<NodeId> left, Set<NodeId> right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (left.isEmpty() || right.isEmpty()) {
            throw new IllegalArgumentException("a partition needs two non-empty groups, got " + left + " | " + right);
        }
        for (NodeId a : left) {
            if (right.contains(Objects.requireNonNull(a, "node"))) {
                throw new IllegalArgumentException("node " + a + " is on both sides of the partition " + left + " | "
                        + right);
            }
        }
        synchronized (writeLock) {
            Map<NodeId, Set<NodeId>> next = new HashMap<>();
            cuts.forEach((from, to) -> next.put(from, new HashSet<>(to)));
            for (NodeId a : left) {
                for (NodeId b : right) {
                    next.computeIfAbsent(a, k -> new HashSet<>()).add(Objects.requireNonNull(b, "node"));
                    next.computeIfAbsent(b, k -> new HashSet<>()).add(a);
                }
            }
            Map<NodeId, Set<NodeId>> frozen = new HashMap<>();
            next.forEach((from, to) -> frozen.put(from, Set.copyOf(to)));
            cuts = Map.copyOf(frozen);
        }
    }

    /** Undoes every partition. */
    public void heal() {
        synchronized (writeLock) {
            cuts = Map.of();
        }
    }

    /** Whether the link from {@code from} to {@code to} is cut by a partition. */
    public boolean isCut(NodeId from, NodeId to) {
        Map<NodeId, Set<NodeId>> c = cuts;
        if (c.isEmpty()) {
            return false;
        }
        Set<NodeId> cut = c.get(from);
        return cut != null && cut.contains(to);
    }

    // ---------------------------------------------------------------- rules and calm

    /**
     * Adds a targeted rule; it applies to messages decided from now on, and is removed once used up.
     *
     * @throws NullPointerException if {@code rule} is null
     */
    public void addRule(FaultRule rule) {
        ActiveRule active = new ActiveRule(Objects.requireNonNull(rule, "rule"));
        synchronized (writeLock) {
            ActiveRule[] current = rules;
            ActiveRule[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = active;
            rules = next;
        }
    }

    /** The rules not used up yet, oldest first, each with the count it has left. */
    public List<FaultRule> rules() {
        List<FaultRule> out = new ArrayList<>();
        for (ActiveRule r : rules) {
            int left = r.remaining;
            if (left > 0) {
                out.add(left == r.rule.count() ? r.rule : r.rule.withCount(left));
            }
        }
        return List.copyOf(out);
    }

    /** Stops random loss and duplication from now on; latency, rules and partitions stay. Idempotent. */
    public void calm() {
        calm = true;
    }

    /** Whether random loss and duplication have stopped. */
    public boolean isCalm() {
        return calm;
    }

    // ---------------------------------------------------------------- deciding

    /**
     * Decides what happens to one message sent at {@code nowNs}, using up the rules that apply and drawing from
     * {@code random} (see the class notes for the order). Carrying the decision out is the caller's job.
     *
     * @param message what is known of the message
     * @param nowNs the time it is sent, in nanoseconds; stamped on the decision ({@link FaultDecision#dueNs})
     * @param random the source of the random draws; seed it to replay a run
     * @throws NullPointerException if {@code message} or {@code random} is null
     */
    public FaultDecision decide(MessageInfo message, long nowNs, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (isCut(message.sender(), message.receiver())) {
            return FaultDecision.dropped(nowNs, FaultDecision.Drop.PARTITION);
        }
        boolean ruleDuplicated = false;
        long ruleDelayNs = 0;
        ActiveRule[] active = rules;
        if (active.length != 0) {
            if (take(active, FaultRule.Action.DROP, message) != null) {
                return FaultDecision.dropped(nowNs, FaultDecision.Drop.RULE);
            }
            ruleDuplicated = take(active, FaultRule.Action.DUPLICATE, message) != null;
            ActiveRule delay = take(active, FaultRule.Action.DELAY, message);
            ruleDelayNs = delay == null ? 0 : delay.delayNs;
        }
        boolean randomFaults = !calm;
        double loss = config.lossProbability();
        if (randomFaults && loss > 0 && random.nextDouble() < loss) {
            return new FaultDecision(nowNs, FaultDecision.Drop.LOSS, ruleDuplicated, ruleDelayNs, false, 0, 0, 0);
        }
        double duplicate = config.duplicateProbability();
        boolean randomDuplicated = randomFaults && duplicate > 0 && random.nextDouble() < duplicate;
        int copies = 1 + (ruleDuplicated ? 1 : 0) + (randomDuplicated ? 1 : 0);
        long first = plus(latencyNs(random), ruleDelayNs);
        long second = copies > 1 ? plus(latencyNs(random), ruleDelayNs) : 0;
        long third = copies > 2 ? plus(latencyNs(random), ruleDelayNs) : 0;
        return new FaultDecision(nowNs, FaultDecision.Drop.NONE, ruleDuplicated, ruleDelayNs, randomDuplicated,
                first, second, third);
    }

    /** Uses up one count of the oldest live rule of {@code action} that matches, pruning it if that was its last. */
    private ActiveRule take(ActiveRule[] active, FaultRule.Action action, MessageInfo message) {
        for (ActiveRule r : active) {
            if (r.rule.action() == action && r.rule.matches(message) && r.take()) {
                if (r.remaining == 0) {
                    prune();
                }
                return r;
            }
        }
        return null;
    }

    private void prune() {
        synchronized (writeLock) {
            rules = Arrays.stream(rules).filter(r -> r.remaining > 0).toArray(ActiveRule[]::new);
        }
    }

    /** One latency draw in nanoseconds, uniform in the configured range (no draw for a fixed latency). */
    private long latencyNs(RandomGenerator random) {
        long min = config.latencyMinNs();
        long span = config.latencyMaxNs() - min;
        if (span == 0) {
            return min;
        }
        return span == Long.MAX_VALUE ? random.nextLong() >>> 1 : min + random.nextLong(span + 1);
    }

    private static long plus(long aNs, long bNs) {
        return aNs > FaultDecision.NEVER - bNs ? FaultDecision.NEVER : aNs + bNs;
    }

    @Override
    public String toString() {
        return "NetworkFaults[" + config + (calm ? ", calm" : "") + ", rules=" + rules().size()
                + (cuts.isEmpty() ? "" : ", partitioned") + "]";
    }

    /** A rule and the count it has left; the count is used up by compare-and-set. */
    private static final class ActiveRule {
        private static final VarHandle REMAINING;

        static {
            try {
                REMAINING = MethodHandles.lookup().findVarHandle(ActiveRule.class, "remaining", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final FaultRule rule;
        final long delayNs;
        volatile int remaining;

        ActiveRule(FaultRule rule) {
            this.rule = rule;
            this.delayNs = Durations.saturatedNanos(rule.delay());
            this.remaining = rule.count();
        }

        /** Uses up one count; false when none was left. */
        boolean take() {
            int left;
            do {
                left = remaining;
                if (left == 0) {
                    return false;
                }
            } while (!REMAINING.compareAndSet(this, left, left - 1));
            return true;
        }
    }
}
