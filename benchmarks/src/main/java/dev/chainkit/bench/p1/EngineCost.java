package dev.chainkit.bench.p1;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * P1's engine cost alone, for comparing two engines on a noisy machine: the two nodes of P1 on one thread, handing
 * envelopes to each other through a FIFO, {@value P1#WINDOW} chains in flight, and the thread's CPU time per
 * completed chain (the minimum over rounds). No threads to hand over between, no timers that fire (the scheduler
 * drops them: nothing is lost), a clock that moves 1 ms per 4096 envelopes: what is left is the engine's own work,
 * and CPU time does not count the moments the machine gave to other jobs. Not part of {@code ./bench}; run it
 * against the jars of the two engines in turn:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chainkit.bench.p1.EngineCost 10 300000</pre>
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class EngineCost {

    private EngineCost() { }

    /**
     * @param args rounds (default 10), chains per round (default 300,000)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int chains = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        long[] now = {0};
        NanoClock clock = () -> now[0];
        Scheduler dropped = (delayNs, task) -> () -> { };
        ArrayDeque<Envelope> wire = new ArrayDeque<>();
        ChainNode a = ChainNode.builder(NodeId.of("a"), 1).clock(clock).scheduler(dropped).transport(wire::add)
                .build();
        ChainNode b = ChainNode.builder(NodeId.of("b"), 1).clock(clock).scheduler(dropped).transport(wire::add)
                .build();
        b.register(Ping.PROTOCOL, Ping.RESPONDER);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            EngineThroughput.Pump pump = new EngineThroughput.Pump(a, b.id(), chains);
            long cpu = threads.getCurrentThreadCpuTime();
            pump.begin();
            for (int n = 1; !pump.done.isDone(); n++) {
                Envelope e = wire.poll();
                (e.receiver().equals(a.id()) ? a : b).onEnvelope(e);
                if (n % 4096 == 0) {
                    now[0] += 1_000_000;
                }
            }
            double ns = (threads.getCurrentThreadCpuTime() - cpu) / (double) chains;
            best = Math.min(best, ns);
            System.out.printf(Locale.ROOT, "round %d: %.0f ns of CPU per chain%n", r, ns);
        }
        System.out.printf(Locale.ROOT, "P1 engine cost: %.0f ns of CPU per chain (best of %d rounds of %d)%n", best,
                rounds, chains);
    }
}
