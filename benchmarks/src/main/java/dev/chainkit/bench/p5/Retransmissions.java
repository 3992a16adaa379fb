package dev.chainkit.bench.p5;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeStats;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.NetworkConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * P5: retransmissions per step under random loss, with the default retry policy, on the simulator (virtual time,
 * independent loss per message, latency 20..80 ms so that the round trip, 40..160 ms, straddles the policy's
 * 100 ms initial delay and the RTT adaptation has work to do).
 *
 * <p>Which {@code p}: {@code p/(1-p)} is the expected number of resends until one try gets through when each try
 * fails with probability {@code p}. A chain's step is a request and its reply; a try fails when either is lost. So
 * the figure is reported two ways:
 * <ul>
 *   <li><b>per exchange</b>: each message is lost with {@code p' = 1 - sqrt(1 - p)}, so that an exchange fails with
 *   exactly {@code p}; the reference is {@code p/(1-p)};</li>
 *   <li><b>per message</b>: each message is lost with {@code p}; an exchange fails with {@code 1-(1-p)^2}, and the
 *   exact expectation is {@code 1/(1-p)^2 - 1}, beside the naive {@code p/(1-p)}.</li>
 * </ul>
 * Both references are also given truncated at the policy's 16 attempts (a chain that fails 16 times times out),
 * which is what the engine can at most do; the target is judged against the truncated exact value.
 *
 * <p>Then the partition: {@value #BURST_CHAINS} chains start at the same instant into a partition, which heals
 * 10 s later. No burst means the heal itself sets nothing off: the first round trip after it carries resends of at
 * most a fifth of the chains, and from the heal to completion each chain resends about once (at most 1.2 on
 * average). Beside it: the partition's busiest round trip in its last 4 s, and its resends in all (the engine probes
 * a silent peer with one chain, so they are few). Prints one {@code P5} line per figure. Argument: chains per loss rate (default 20000).
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class Retransmissions {

    static final int IN_FLIGHT = 32;
    static final int BURST_CHAINS = 1000;
    private static final int MAX_ATTEMPTS = RetryPolicy.defaults().maxAttempts();
    private static final Duration LATENCY_MIN = Duration.ofMillis(20);
    private static final Duration LATENCY_MAX = Duration.ofMillis(80);

    private Retransmissions() { }

    public static void main(String[] args) {
        int chains = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (double p : new double[] {0.1, 0.3, 0.5}) {
            perExchange(p, chains);
        }
        for (double p : new double[] {0.1, 0.3, 0.5}) {
            perMessage(p, chains);
        }
        partitionHeal();
    }

    /** Each exchange fails with {@code p}: the reference is {@code p/(1-p)}. */
    static void perExchange(double p, int chains) {
        double messageLoss = 1 - Math.sqrt(1 - p);
        Result r = run(messageLoss, chains, 11);
        double reference = p / (1 - p);
        double truncated = truncatedResends(1 - p);
        System.out.printf(Locale.ROOT, "P5 loss %.1f per exchange (%.3f per message): %.3f resends/step vs p/(1-p)"
                        + " %.3f (%.3f at %d attempts): x%.3f (target <= 1.2: %s); %d steps, %d timed out%n",
                p, messageLoss, r.perStep(), reference, truncated, MAX_ATTEMPTS, r.perStep() / truncated,
                r.perStep() / truncated <= 1.2 ? "met" : "MISSED", r.steps, r.timedOut);
    }

    /** Each message is lost with {@code p}: an exchange gets through with {@code (1-p)^2}. */
    static void perMessage(double p, int chains) {
        Result r = run(p, chains, 13);
        double naive = p / (1 - p);
        double q = (1 - p) * (1 - p);
        double exact = 1 / q - 1;
        double truncated = truncatedResends(q);
        System.out.printf(Locale.ROOT, "P5 loss %.1f per message: %.3f resends/step vs exact 1/(1-p)^2-1 %.3f"
                        + " (%.3f at %d attempts): x%.3f (target <= 1.2: %s); naive p/(1-p) %.3f; %d steps,"
                        + " %d timed out%n",
                p, r.perStep(), exact, truncated, MAX_ATTEMPTS, r.perStep() / truncated,
                r.perStep() / truncated <= 1.2 ? "met" : "MISSED", naive, r.steps, r.timedOut);
    }

    /**
     * Expected resends of a step when each try gets through with {@code q}, sending at most {@value #MAX_ATTEMPTS}
     * times: {@code E[min(G, n)] - 1 = (1 - (1-q)^n)/q - 1}.
     */
    static double truncatedResends(double q) {
        return (1 - Math.pow(1 - q, MAX_ATTEMPTS)) / q - 1;
    }

    /** {@code chains} 2-step chains, {@value #IN_FLIGHT} at a time, each message lost with {@code loss}. */
    static Result run(double loss, int chains, long seed) {
        Simulation sim = Simulation.builder().seed(seed).tracing(false)
                .network(NetworkConfig.reliable().withLoss(loss).withLatency(LATENCY_MIN, LATENCY_MAX)).build();
        sim.addNode("server", ctx -> {
            ctx.node().register(Ping.PROTOCOL, Ping.RESPONDER);
            return null;
        });
        SimNode<Void> client = sim.addNode("client", ctx -> null);
        Pump pump = new Pump(client.chainNode(), chains);
        for (int i = 0; i < IN_FLIGHT; i++) {
            pump.startOne();
        }
        if (!sim.runUntil(() -> pump.ended == chains, Duration.ofDays(30))) {
            throw new IllegalStateException("P5 run did not finish: " + sim.pending());
        }
        NodeStats s = client.chainNode().stats();
        return new Result(s.count(ChainEventType.STARTED), s.count(ChainEventType.RETRANSMITTED),
                s.count(ChainEventType.TIMED_OUT));
    }

    /** Chains start together into a partition; after the heal, is there a burst? */
    static void partitionHeal() {
        long[] retransmittedAt = new long[64 * BURST_CHAINS];
        int[] count = {0};
        Simulation sim = Simulation.builder().seed(17).tracing(false)
                .network(NetworkConfig.reliable().withLatency(LATENCY_MIN, LATENCY_MAX))
                .listener(e -> {
                    if (e.type() == ChainEventType.RETRANSMITTED && count[0] < retransmittedAt.length) {
                        retransmittedAt[count[0]++] = e.timeNs();
                    }
                }).build();
        sim.addNode("server", ctx -> {
            ctx.node().register(Ping.PROTOCOL, Ping.RESPONDER);
            return null;
        });
        SimNode<Void> client = sim.addNode("client", ctx -> null);
        // Warm the round-trip estimate with a few clean chains first, as a running system would have.
        Pump warm = new Pump(client.chainNode(), 20);
        warm.startOne();
        sim.runUntil(() -> warm.ended == 20, Duration.ofMinutes(5));
        int before = count[0];
        sim.partition(Set.of(NodeId.of("client")), Set.of(NodeId.of("server")));
        Pump burst = new Pump(client.chainNode(), BURST_CHAINS);
        for (int i = 0; i < BURST_CHAINS; i++) {
            burst.startOne();
        }
        long healAt = sim.nowNs() + Duration.ofSeconds(10).toNanos();
        sim.runFor(Duration.ofSeconds(10));
        int inFlight = client.chainNode().stats().initiatorChains();
        sim.heal();
        long rtt = 2 * LATENCY_MAX.toNanos();
        sim.runUntil(() -> burst.ended == BURST_CHAINS, Duration.ofMinutes(5));
        int firstRtt = 0;
        int afterHeal = 0;
        int during = 0;
        for (int i = before; i < count[0]; i++) {
            long t = retransmittedAt[i];
            if (t < healAt) {
                during++;
            } else {
                afterHeal++;
                if (t < healAt + rtt) {
                    firstRtt++;
                }
            }
        }
        // The partition's own rhythm just before the heal: its busiest round trip in the last 4 s.
        int busiestBefore = 0;
        for (long w = healAt - Duration.ofSeconds(4).toNanos(); w + rtt <= healAt; w += rtt / 4) {
            int inWindow = 0;
            for (int i = before; i < count[0]; i++) {
                if (retransmittedAt[i] >= w && retransmittedAt[i] < w + rtt) {
                    inWindow++;
                }
            }
            busiestBefore = Math.max(busiestBefore, inWindow);
        }
        double perChain = afterHeal / (double) Math.max(1, inFlight);
        boolean noBurst = firstRtt <= 0.2 * inFlight && perChain <= 1.2;
        System.out.printf(Locale.ROOT, "P5 partition heal: %d retransmissions in the first round trip (%d ms) after"
                        + " the heal, %d chains in flight (%.3f per chain); the partition's busiest round trip in"
                        + " its last 4 s had %d, and %d retransmissions in all during its 10 s; %.2f retransmissions"
                        + " per chain from the heal to completion (no burst, at most 0.2 per chain in that first"
                        + " round trip and 1.2 to completion: %s); %d/%d chains completed%n",
                firstRtt, rtt / 1_000_000, inFlight, firstRtt / (double) Math.max(1, inFlight), busiestBefore,
                during, perChain, noBurst ? "met" : "MISSED", burst.completed, BURST_CHAINS);
    }

    /** Counts of one run. */
    record Result(long steps, long retransmitted, long timedOut) {
        double perStep() {
            return retransmitted / (double) steps;
        }
    }

    /** Opens chains as others end, up to a total. Confined to the simulation's thread. */
    private static final class Pump implements BiConsumer<Outcome<Void>, Throwable> {
        private final ChainNode node;
        private final int total;
        private int started;
        int ended;
        int completed;

        Pump(ChainNode node, int total) {
            this.node = node;
            this.total = total;
        }

        void startOne() {
            if (started < total) {
                started++;
                node.start(Ping.PROTOCOL, NodeId.of("server"), Ping.REQUEST, Ping.initiator()).outcome()
                        .whenComplete(this);
            }
        }

        @Override
        public void accept(Outcome<Void> outcome, Throwable error) {
            ended++;
            if (outcome instanceof Outcome.Completed<Void>) {
                completed++;
            }
            startOne();
        }
    }
}
