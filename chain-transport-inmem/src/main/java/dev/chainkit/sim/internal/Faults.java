package dev.chainkit.sim.internal;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.FaultRule;
import dev.chainkit.sim.NetworkConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fault state of the simulated network: its random faults (drawn from one seeded generator, in the order
 * messages are sent), calm, the cut links of partitions and the active targeted rules. Not API.
 *
 * <p>Thread safety: confined to the simulation's thread.
 */
final class Faults {

    private final NetworkConfig config;
    private final SplittableRandom random;
    private final List<ActiveRule> rules = new ArrayList<>();
    private boolean[][] cut = new boolean[0][0];
    private boolean anyCut;
    private boolean calm;

    /** Set by {@link #applyRules}: whether a duplicate rule matched. */
    boolean ruleDuplicated;
    /** Set by {@link #applyRules}: the delay a delay rule added, in nanoseconds. */
    long ruleDelayNs;

    Faults(NetworkConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    NetworkConfig config() {
        return config;
    }

    /** Makes room for {@code nodes} nodes in the partition matrix. */
    void grow(int nodes) {
        boolean[][] bigger = new boolean[nodes][nodes];
        for (int i = 0; i < cut.length; i++) {
            System.arraycopy(cut[i], 0, bigger[i], 0, cut.length);
        }
        cut = bigger;
    }

    void cut(int a, int b) {
        cut[a][b] = true;
        cut[b][a] = true;
        anyCut = true;
    }

    void healAll() {
        for (boolean[] row : cut) {
            Arrays.fill(row, false);
        }
        anyCut = false;
    }

    boolean isCut(int from, int to) {
        return anyCut && cut[from][to];
    }

    void calm() {
        calm = true;
    }

    boolean isCalm() {
        return calm;
    }

    void addRule(FaultRule rule) {
        rules.add(new ActiveRule(rule));
    }

    boolean hasRules() {
        return !rules.isEmpty();
    }

    /**
     * Applies the matching rules to one message: a drop rule wins; otherwise the oldest matching duplicate and
     * delay rules each apply once ({@link #ruleDuplicated}, {@link #ruleDelayNs}). Used-up rules are removed.
     *
     * @return the drop rule that matched, or null
     */
    FaultRule applyRules(String kind, NodeId from, NodeId to) {
        ruleDuplicated = false;
        ruleDelayNs = 0;
        ActiveRule drop = null;
        ActiveRule dup = null;
        ActiveRule delay = null;
        for (ActiveRule r : rules) {
            if (r.rule.matches(kind, from, to)) {
                switch (r.rule.action()) {
                    case DROP -> drop = drop == null ? r : drop;
                    case DUPLICATE -> dup = dup == null ? r : dup;
                    case DELAY -> delay = delay == null ? r : delay;
                }
            }
        }
        if (drop != null) {
            drop.remaining--;
        } else {
            if (dup != null) {
                dup.remaining--;
                ruleDuplicated = true;
            }
            if (delay != null) {
                delay.remaining--;
                ruleDelayNs = delay.rule.delay().toNanos();
            }
        }
        if (drop != null || dup != null || delay != null) {
            for (Iterator<ActiveRule> it = rules.iterator(); it.hasNext(); ) {
                if (it.next().remaining == 0) {
                    it.remove();
                }
            }
        }
        return drop == null ? null : drop.rule;
    }

    /** Draws whether the network loses a message (never once calm). */
    boolean lose() {
        return !calm && config.lossProbability() > 0 && random.nextDouble() < config.lossProbability();
    }

    /** Draws whether the network duplicates a message (never once calm). */
    boolean duplicate() {
        return !calm && config.duplicateProbability() > 0 && random.nextDouble() < config.duplicateProbability();
    }

    /** Draws one message's latency in nanoseconds. */
    long latencyNs() {
        long min = config.latencyMinNs();
        long max = config.latencyMaxNs();
        return min == max ? min : min + random.nextLong(max - min + 1);
    }

    private static final class ActiveRule {
        final FaultRule rule;
        int remaining;

        ActiveRule(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.count();
        }
    }
}
