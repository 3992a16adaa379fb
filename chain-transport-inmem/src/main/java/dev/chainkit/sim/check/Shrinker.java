package dev.chainkit.sim.check;

import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Shrinks a failing schedule by delta debugging: removes chunks of actions (halving the chunk size down to single
 * actions), then lowers rule counts, shortens delays and lowers the network's probabilities and latency, keeping
 * each change only if the run still fails the same way ({@link Failure.Kind}), until a pass changes nothing or the
 * run budget is spent. The seed stays the same throughout. Not API.
 *
 * <p>Thread safety: not thread-safe; one shrink per instance.
 */
final class Shrinker<A, W> {

    private final PropertyCheck<A, W> check;
    private final long seed;
    private final Failure.Kind kind;
    private final int budget;
    private int runs;

    Shrinker(PropertyCheck<A, W> check, long seed, Failure.Kind kind, int budget) {
        this.check = check;
        this.seed = seed;
        this.kind = kind;
        this.budget = budget;
    }

    /** How many runs the shrink used. */
    int runs() {
        return runs;
    }

    Schedule<W> shrink(Schedule<W> failing) {
        Schedule<W> s = failing;
        boolean progress = true;
        while (progress && runs < budget) {
            Schedule<W> before = s;
            s = removeChunks(s);
            s = simplifyNetwork(s);
            s = simplifyActions(s);
            progress = !s.equals(before);
        }
        return s;
    }

    private Schedule<W> removeChunks(Schedule<W> s) {
        int chunk = Math.max(1, s.actions().size() / 2);
        while (chunk >= 1 && !s.actions().isEmpty() && runs < budget) {
            boolean removed = false;
            int start = 0;
            while (start < s.actions().size() && runs < budget) {
                List<TimedAction<W>> fewer = new ArrayList<>(s.actions());
                fewer.subList(start, Math.min(start + chunk, fewer.size())).clear();
                Schedule<W> candidate = s.withActions(fewer);
                if (fails(candidate)) {
                    s = candidate;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            } else {
                chunk = Math.min(chunk, Math.max(1, s.actions().size() / 2));
            }
        }
        return s;
    }

    private Schedule<W> simplifyNetwork(Schedule<W> s) {
        List<UnaryOperator<NetworkConfig>> moves = List.of(
                n -> n.withLoss(0),
                n -> n.withDuplicate(0),
                n -> n.withLatency(n.latencyMin()),
                n -> n.withLoss(half(n.lossProbability())),
                n -> n.withDuplicate(half(n.duplicateProbability())),
                n -> n.withLatency(n.latencyMin(), n.latencyMin().plus(n.latencyMax().minus(n.latencyMin())
                        .dividedBy(2))));
        for (UnaryOperator<NetworkConfig> move : moves) {
            NetworkConfig smaller = move.apply(s.network());
            if (!smaller.equals(s.network())) {
                Schedule<W> candidate = s.withNetwork(smaller);
                if (fails(candidate)) {
                    s = candidate;
                }
            }
        }
        return s;
    }

    private Schedule<W> simplifyActions(Schedule<W> s) {
        for (int i = 0; i < s.actions().size(); i++) {
            TimedAction<W> ta = s.actions().get(i);
            if (!(ta.action() instanceof Action.Fault<W> f)) {
                continue;
            }
            FaultRule rule = f.rule();
            List<FaultRule> smaller = new ArrayList<>();
            for (int c : new int[] {1, rule.count() / 2, rule.count() - 1}) {
                if (c >= 1 && c < rule.count()) {
                    smaller.add(rule.withCount(c));
                }
            }
            if (rule.action() == FaultRule.Action.DELAY && !rule.delay().isZero()) {
                smaller.add(rule.withDelay(Duration.ofMillis(1).compareTo(rule.delay()) < 0 ? Duration.ofMillis(1)
                        : Duration.ZERO));
                smaller.add(rule.withDelay(rule.delay().dividedBy(2)));
            }
            for (FaultRule r : smaller) {
                List<TimedAction<W>> changed = new ArrayList<>(s.actions());
                changed.set(i, new TimedAction<>(ta.at(), new Action.Fault<>(r)));
                Schedule<W> candidate = s.withActions(changed);
                if (fails(candidate)) {
                    s = candidate;
                    break;
                }
            }
        }
        return s;
    }

    private boolean fails(Schedule<W> candidate) {
        if (runs >= budget) {
            return false;
        }
        runs++;
        CheckResult<W> r = ScheduleRunner.run(check, seed, candidate, false);
        return r.failure().map(f -> f.kind() == kind).orElse(false);
    }

    private static double half(double p) {
        return Math.floor(p * 50) / 100.0;
    }
}
