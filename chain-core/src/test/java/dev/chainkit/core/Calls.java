package dev.chainkit.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts handler calls per (chain, step), so tests can assert "handled once". Not thread-safe.
 */
final class Calls {

    private final Map<ChainId, Map<Integer, Integer>> counts = new HashMap<>();
    private int total;

    void record(ChainId chain, int step) {
        counts.computeIfAbsent(chain, c -> new HashMap<>()).merge(step, 1, Integer::sum);
        total++;
    }

    /** How many times the handler saw {@code step} of {@code chain}. */
    int count(ChainId chain, int step) {
        return counts.getOrDefault(chain, Map.of()).getOrDefault(step, 0);
    }

    /** How many times the handler saw any step of {@code chain}. */
    int count(ChainId chain) {
        return counts.getOrDefault(chain, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    int total() {
        return total;
    }

    /** Whether no (chain, step) was handled more than once. */
    boolean eachAtMostOnce() {
        return counts.values().stream().flatMap(m -> m.values().stream()).allMatch(n -> n <= 1);
    }
}
