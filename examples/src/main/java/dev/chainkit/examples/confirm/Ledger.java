package dev.chainkit.examples.confirm;

import dev.chainkit.core.NodeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one phone keeps across crashes: the reports its user made that are not settled yet, what its user saw in
 * matches others report, and every settlement. Keep it in durable storage (in the simulator: the node's
 * {@code Durable} store) and hand the same ledger to each incarnation's {@link MatchDevice}.
 *
 * <p>It also counts how many times each match was settled on this phone, so tests can check "exactly once".
 *
 * <p>Thread safety: not thread-safe; confined to the node's thread.
 */
public final class Ledger {

    /**
     * A report this phone's user made that is not settled yet.
     *
     * @param match the match
     * @param opponent the opponent's phone
     * @param score the score from this user's side
     */
    public record Claim(String match, NodeId opponent, Score score) {
        /** @throws NullPointerException if an argument is null */
        public Claim {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(opponent, "opponent");
            Objects.requireNonNull(score, "score");
        }
    }

    private final Map<String, Claim> unsettled = new LinkedHashMap<>();
    private final Map<String, Score> seen = new LinkedHashMap<>();
    private final Map<String, Settlement> settlements = new LinkedHashMap<>();
    private final Map<String, Integer> settleCounts = new LinkedHashMap<>();

    /** Creates an empty ledger. */
    public Ledger() {
    }

    /**
     * Records what this phone's user saw in a match that the opponent reports; without it the user confirms
     * whatever is reported.
     *
     * @param match the match
     * @param score the score from this user's side
     */
    public void saw(String match, Score score) {
        seen.put(Objects.requireNonNull(match, "match"), Objects.requireNonNull(score, "score"));
    }

    /** What this phone's user saw in {@code match}, from its own side, if it said. */
    public Optional<Score> seen(String match) {
        return Optional.ofNullable(seen.get(match));
    }

    /** The reports of this phone's user that are not settled yet, in the order they were made. */
    public Map<String, Claim> unsettled() {
        return Collections.unmodifiableMap(unsettled);
    }

    /** The settlement of {@code match}, if it is settled. */
    public Optional<Settlement> settlement(String match) {
        return Optional.ofNullable(settlements.get(match));
    }

    /** Every settlement on this phone, by match, in the order they were made. */
    public Map<String, Settlement> settlements() {
        return Collections.unmodifiableMap(settlements);
    }

    /** How many times each match was settled on this phone (1 each when all is well). */
    public Map<String, Integer> settleCounts() {
        return Collections.unmodifiableMap(settleCounts);
    }

    /** Adds an unsettled report of this phone's user. */
    void claim(Claim claim) {
        unsettled.put(claim.match(), claim);
    }

    /** Settles a match: records the settlement, counts it, and forgets the match's unsettled report. */
    void settle(Settlement settlement) {
        settleCounts.merge(settlement.match(), 1, Integer::sum);
        settlements.putIfAbsent(settlement.match(), settlement);
        unsettled.remove(settlement.match());
    }
}
