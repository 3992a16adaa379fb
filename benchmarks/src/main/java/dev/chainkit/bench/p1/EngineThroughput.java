package dev.chainkit.bench.p1;

import dev.chainkit.bench.Ping;
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
    public long chains() {
        Pump pump = new Pump(a.chainNode(), b, P1.BATCH);
        network.execute(a.id(), pump::begin);
        return pump.done.join();
    }

    /** Keeps the window full on {@code a}'s thread. Confined to that thread, but for {@link #done}. */
    private static final class Pump implements BiConsumer<Outcome<Void>, Throwable> {
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
