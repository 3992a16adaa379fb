package dev.chainkit.bench.p2;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * P2: simulated deliveries per second, on one thread, in virtual time. A {@link Simulation} (tracing off, default
 * settings: the 32 s dedup window, a reliable 1 ms network) runs 2-step chains from {@code client} to
 * {@code server}, {@code inFlight} at a time; each outcome opens the next chain. A chain is exactly two
 * deliveries, so deliveries per second are twice the chains; housekeeping (tombstone expiry) and retransmission
 * timers are events too but are not counted. The simulation runs on across invocations, so tombstones reach their
 * steady state (32 s of virtual time) early in the warmup.
 *
 * <p>Thread safety: JMH state, one benchmark thread, which is the simulation's thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatorSpeed {

    /** Chains per invocation; deliveries are twice as many. */
    static final int CHAINS = 50_000;

    /** Chains in flight: 1 is ping-pong. */
    @Param({"1", "64"})
    public int inFlight;

    private Simulation sim;
    private Pump pump;
    private long target;

    @Setup(Level.Trial)
    public void start() {
        sim = Simulation.builder().seed(7).tracing(false).build();
        sim.addNode("server", ctx -> {
            ctx.node().register(Ping.PROTOCOL, Ping.RESPONDER);
            return null;
        });
        SimNode<Void> client = sim.addNode("client", ctx -> null);
        pump = new Pump(client.chainNode(), NodeId.of("server"));
        for (int i = 0; i < inFlight; i++) {
            pump.startOne();
        }
    }

    /** Runs {@value #CHAINS} chains: {@code 2 * CHAINS} deliveries. */
    @Benchmark
    @OperationsPerInvocation(2 * CHAINS)
    public long deliveries() {
        target += CHAINS;
        Pump p = pump;
        long until = target;
        if (!sim.runUntil(() -> p.completed >= until, Duration.ofDays(3650))) {
            throw new IllegalStateException("the simulation stalled at " + p.completed + " chains: " + sim.pending());
        }
        return sim.eventCount();
    }

    /** Opens a chain whenever one completes. Confined to the simulation's thread. */
    private static final class Pump implements BiConsumer<Outcome<Void>, Throwable> {
        private final ChainNode node;
        private final NodeId peer;
        long completed;

        Pump(ChainNode node, NodeId peer) {
            this.node = node;
            this.peer = peer;
        }

        void startOne() {
            node.start(Ping.PROTOCOL, peer, Ping.REQUEST, Ping.initiator()).outcome().whenComplete(this);
        }

        @Override
        public void accept(Outcome<Void> outcome, Throwable error) {
            if (!(outcome instanceof Outcome.Completed<Void>)) {
                throw new IllegalStateException("a chain did not complete on a reliable network: " + outcome);
            }
            completed++;
            startOne();
        }
    }
}
