package dev.chainkit.bench.p1;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.threaded.ThreadedNetwork;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * P1, the engine: completed 2-step chains per second through the {@link ThreadedNetwork}, two nodes on their two
 * threads, {@value P1#WINDOW} chains in flight. Node {@code a} opens chains to {@code b}; each outcome, on
 * {@code a}'s thread, opens the next chain until {@value P1#BATCH} have completed. The benchmark thread only
 * waits.
 *
 * <p>Beside the rate, the {@link Resends} counters report how many retransmissions {@code a} made: the network is
 * lossless, so every one is needless. {@link LoadedEngine} is the same under load.
 *
 * <p>Thread safety: JMH state, one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineThroughput {

    /** The dedup window: {@code default} (the retry deadline plus its max delay, 32 s), or a duration. */
    @Param({"default"})
    public String dedupWindow;


    private ThreadedNetwork network;
    private SimNode<Void> a;
    private ChainNode initiator;
    private final NodeId b = NodeId.of("b");

    @Setup(Level.Trial)
    public void start() {
        NodeSettings settings = NodeSettings.defaults();
        if (!dedupWindow.equals("default")) {
            settings = settings.withDedupWindow(Duration.parse("PT" + dedupWindow));
        }
        network = ThreadedNetwork.builder().settings(settings).build();
        network.addNode("b", ctx -> {
            ctx.node().register(Ping.PROTOCOL, Ping.RESPONDER);
            return null;
        });
        a = network.addNode("a", ctx -> null);
    }

    @TearDown(Level.Trial)
    public void stop() {
        network.close();
    }

    /** Completes {@value P1#BATCH} chains with {@value P1#WINDOW} in flight. */
    @Benchmark
    @OperationsPerInvocation(P1.BATCH)
    public long chains(Resends resends) throws Exception {
        return run(network, a, b, P1.BATCH, resends);
    }

    /** Runs {@code chains} chains from {@code a} to {@code b}, counting them and {@code a}'s retransmissions. */
    static long run(ThreadedNetwork network, SimNode<Void> a, NodeId b, int chains, Resends resends)
            throws Exception {
        Pump pump = new Pump(a.chainNode(), b, chains);
        network.execute(a.id(), pump::begin);
        long done = pump.done.join();
        long total = network.submit(a.id(), () -> a.chainNode().stats().count(ChainEventType.RETRANSMITTED)).get();
        resends.retransmitted += total - resends.seen;
        resends.seen = total;
        resends.chainsDone += chains;
        return done;
    }

    /**
     * Per-iteration counts beside the rate: {@code retransmitted} by {@code a} (all needless: the network loses
     * nothing) and {@code chainsDone}. JMH reports them as secondary results, summed over each iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Resends {
        /** Retransmissions in the iteration. */
        public long retransmitted;
        /** Chains completed in the iteration. */
        public long chainsDone;
        private long seen;

        /** Starts each iteration's counts at zero (the node's own counter keeps running). */
        @Setup(Level.Iteration)
        public void clear() {
            retransmitted = 0;
            chainsDone = 0;
        }
    }

    /** Keeps the window full on {@code a}'s thread. Confined to that thread, but for {@link #done}. */
    static final class Pump implements BiConsumer<Outcome<Void>, Throwable> {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final ChainNode node;
        private final NodeId peer;
        private int toStart;
        private int toFinish;
        private long completed;

        Pump(ChainNode node, NodeId peer, int chains) {
            this.node = node;
            this.peer = peer;
            this.toStart = chains;
            this.toFinish = chains;
        }

        void begin() {
            for (int i = 0; i < P1.WINDOW; i++) {
                startOne();
            }
        }

        private void startOne() {
            if (toStart > 0) {
                toStart--;
                node.start(Ping.PROTOCOL, peer, Ping.REQUEST, Ping.initiator()).outcome().whenComplete(this);
            }
        }

        @Override
        public void accept(Outcome<Void> outcome, Throwable error) {
            if (outcome instanceof Outcome.Completed<Void>) {
                completed++;
            }
            startOne();
            if (--toFinish == 0) {
                done.complete(completed);
            }
        }
    }
}
