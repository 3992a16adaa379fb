package dev.chainkit.bench.p6;

import dev.chainkit.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * P6: completed 2-step chains per second between two nodes over loopback TCP, at 1, 64 and 1024 chains in flight,
 * with p50/p99 latency (HdrHistogram), side by side in the same run with gRPC-java unary calls carrying the same bytes
 * and a raw Netty echo of the same frames (the ceiling). Each system runs one thread per side. Rounds interleave the
 * three systems (chainkit, gRPC, echo, chainkit, ...) so a noisy moment hits all of them; ratios are taken per
 * round, and each figure is the median over the rounds with its range.
 *
 * <p>Targets: at 64 in flight, chainkit >= 3x gRPC's calls/s and >= 0.3 of the raw echo. Measurements, not tests.
 *
 * <p>Thread safety: a main; single-threaded apart from the systems' own threads.
 */
public final class NetworkThroughput {

    private static final int[] IN_FLIGHT = {1, 64, 1024};
    /** gRPC logs every call cut short by a channel's shutdown at WARNING (JUL); kept referenced so it stays quiet. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String USAGE = "usage: NetworkThroughput --quick | --full [--only NAME] [--in-flight N]"
            + " [--rounds N]";

    private NetworkThroughput() {
    }

    private static int positive(String arg) {
        try {
            int n = Integer.parseInt(arg);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a positive number, got '" + arg + "'; " + USAGE);
    }

    /**
     * @param args {@code --quick} (1 round, 1 s warmup, 1 s measured) or {@code --full} (3 rounds, 2 s, 3 s),
     *     then optionally {@code --only NAME} (chainkit, grpc or echo: one system alone, for a profiler),
     *     {@code --in-flight N} (that load alone instead of 1, 64 and 1024) and {@code --rounds N}
     * @throws IllegalArgumentException on other arguments
     */
    public static void main(String[] args) throws Exception {
        GRPC_LOG.setLevel(java.util.logging.Level.SEVERE);
        if (args.length == 0 || !args[0].equals("--quick") && !args[0].equals("--full") || args.length % 2 != 1) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean quick = args[0].equals("--quick");
        int rounds = quick ? 1 : 3;
        long warmupMs = quick ? 1000 : 2000;
        long measureMs = quick ? 1000 : 3000;
        String only = null;
        int[] loads = IN_FLIGHT;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--only" -> only = args[i + 1];
                case "--in-flight" -> loads = new int[] {positive(args[i + 1])};
                case "--rounds" -> rounds = positive(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; " + USAGE);
            }
        }
        Map<String, Supplier<Contender>> systems = new LinkedHashMap<>();
        systems.put("chainkit", () -> uncheck(EngineOverTcp::new));
        systems.put("grpc", () -> uncheck(GrpcUnary::new));
        systems.put("echo", RawEcho::new);
        if (only != null) {
            systems.keySet().retainAll(java.util.Set.of(only));
            if (systems.isEmpty()) {
                throw new IllegalArgumentException("unknown system '" + only + "'; expected chainkit, grpc or echo");
            }
        }
        System.out.printf(Locale.ROOT, "# P6: %d-byte request and %d-byte reply frames; %d round(s) of %d ms warmup"
                + " + %d ms measured per system and load%n", WireBytes.REQUEST.length, WireBytes.REPLY.length, rounds,
                warmupMs, measureMs);
        for (int inFlight : loads) {
            Map<String, List<Loop.Result>> results = new LinkedHashMap<>();
            List<Double> vsGrpc = new ArrayList<>();
            List<Double> vsEcho = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Map<String, Loop.Result> round = new LinkedHashMap<>();
                for (Map.Entry<String, Supplier<Contender>> s : systems.entrySet()) {
                    Loop.Result res = run(s.getValue(), inFlight, warmupMs, measureMs);
                    round.put(s.getKey(), res);
                    results.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(res);
                }
                if (only == null) {
                    vsGrpc.add(round.get("chainkit").perSecond() / round.get("grpc").perSecond());
                    vsEcho.add(round.get("chainkit").perSecond() / round.get("echo").perSecond());
                }
            }
            for (Map.Entry<String, List<Loop.Result>> e : results.entrySet()) {
                List<Loop.Result> rs = e.getValue();
                System.out.printf(Locale.ROOT, "P6 %-8s in flight %4d: %s per s, p50 %s us, p99 %s us, CPU %s us and %s"
                        + " bytes allocated per exchange%n", e.getKey(), inFlight,
                        Stats.of(rs.stream().map(Loop.Result::perSecond).toList()).format("%,.0f"),
                        Stats.of(rs.stream().map(Loop.Result::p50Us).toList()).format("%.0f"),
                        Stats.of(rs.stream().map(Loop.Result::p99Us).toList()).format("%.0f"),
                        Stats.of(rs.stream().map(Loop.Result::cpuUs).toList()).format("%.2f"),
                        Stats.of(rs.stream().map(Loop.Result::allocatedBytes).toList()).format("%.0f"));
            }
            if (only != null) {
                continue;
            }
            Stats g = Stats.of(vsGrpc);
            Stats x = Stats.of(vsEcho);
            boolean target = inFlight == 64;
            System.out.printf(Locale.ROOT, "P6 in flight %4d: chainkit/gRPC %s%s, chainkit/echo %s%s%n", inFlight,
                    g.format("%.2f"), target ? " (target >= 3: " + (g.median() >= 3 ? "met" : "MISSED") + ")" : "",
                    x.format("%.2f"), target ? " (target >= 0.3: " + (x.median() >= 0.3 ? "met" : "MISSED") + ")" : "");
        }
    }

    private static Loop.Result run(Supplier<Contender> make, int inFlight, long warmupMs, long measureMs)
            throws Exception {
        try (Contender c = make.get()) {
            Loop loop = new Loop();
            c.start(loop, inFlight);
            long[] threads = c.threadIds();
            Thread.sleep(warmupMs);
            c.sync();
            long cpu = -cpuNs(threads);
            long allocated = -allocatedBytes(threads);
            loop.measure();
            long start = System.nanoTime();
            Thread.sleep(measureMs);
            loop.stop();
            cpu += cpuNs(threads);
            allocated += allocatedBytes(threads);
            double seconds = (System.nanoTime() - start) / 1e9;
            c.sync();
            Thread.sleep(200);   // let the exchanges in flight finish before the systems close
            return loop.result(seconds, cpu, allocated);
        }
    }

    private static long cpuNs(long[] threads) {
        long sum = 0;
        for (long t : threads) {
            sum += THREADS.getThreadCpuTime(t);
        }
        return sum;
    }

    private static long allocatedBytes(long[] threads) {
        long sum = 0;
        for (long a : THREADS.getThreadAllocatedBytes(threads)) {
            sum += a;
        }
        return sum;
    }

    private interface Make<T> {
        T make() throws Exception;
    }

    private static <T> T uncheck(Make<T> make) {
        try {
            return make.make();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
