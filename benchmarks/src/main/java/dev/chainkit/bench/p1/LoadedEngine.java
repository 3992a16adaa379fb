package dev.chainkit.bench.p1;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.NodeId;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * P1 under load: {@link EngineThroughput}'s two nodes and {@value P1#WINDOW} chains in flight, but {@code b} works
 * {@code serviceMicros} on each request (a busy-wait), so that b's queue, not the network, sets the round trip: at
 * the default 150 us a request waits some 150 ms in the queue, beyond the retry policy's 100 ms initial delay, with
 * replies to older requests arriving all along. The network is lossless, so every retransmission is needless; the
 * {@link EngineThroughput.Resends} counters report them beside the rate.
 *
 * <p>Thread safety: JMH state, one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LoadedEngine {

    /** Chains per invocation: at 150 us each, about 1.5 s. */
    static final int BATCH = 10_000;

    /** How long {@code b} works on each request, in microseconds. */
    @Param({"150"})
    public int serviceMicros;

    private ThreadedNetwork network;
    private SimNode<Void> a;
    private final NodeId b = NodeId.of("b");

    @Setup(Level.Trial)
    public void start() {
        long serviceNs = serviceMicros * 1_000L;
        network = ThreadedNetwork.builder().build();
        network.addNode("b", ctx -> {
            ctx.node().register(Ping.PROTOCOL, (chain, message) -> {
                long until = System.nanoTime() + serviceNs;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                return Ping.RESPONDER.onMessage(chain, message);
            });
            return null;
        });
        a = network.addNode("a", ctx -> null);
    }

    @TearDown(Level.Trial)
    public void stop() {
        network.close();
    }

    /** Completes {@value #BATCH} chains with {@value P1#WINDOW} in flight. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long chains(EngineThroughput.Resends resends) throws Exception {
        return EngineThroughput.run(network, a, b, BATCH, resends);
    }
}
