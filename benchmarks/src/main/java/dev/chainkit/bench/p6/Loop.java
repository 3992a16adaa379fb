package dev.chainkit.bench.p6;

import org.HdrHistogram.Histogram;

/**
 * A closed loop of requests, {@code inFlight} at a time: each completion records its latency and starts the next.
 * Confined to the thread that drives the system under test (its event loop); the counters are read after
 * {@link #stop}.
 *
 * <p>Thread safety: {@link #measure}, {@link #stop} and the readers use volatile flags; everything else runs on the
 * driving thread.
 */
final class Loop {

    private final Histogram latencies = new Histogram(60_000_000_000L, 3);
    private volatile boolean measuring;
    private volatile boolean stopped;
    private long completed;

    /** Whether to start another request after a completion. */
    boolean running() {
        return !stopped;
    }

    /** Records one completion of a request started at {@code startNs}. Driving thread. */
    void completed(long startNs) {
        if (measuring) {
            completed++;
            latencies.recordValue(Math.min(System.nanoTime() - startNs, latencies.getHighestTrackableValue()));
        }
    }

    /** Starts counting (after the warmup). */
    void measure() {
        measuring = true;
    }

    /** Stops counting and starting requests. */
    void stop() {
        measuring = false;
        stopped = true;
    }

    /**
     * The result, once stopped and the driving thread has seen it (read through its own task).
     *
     * @param seconds how long it measured
     * @param cpuNs the CPU time the system's threads used meanwhile, in nanoseconds
     * @param allocated the bytes the system's threads allocated meanwhile
     */
    Result result(double seconds, long cpuNs, long allocated) {
        long n = Math.max(1, completed);
        return new Result(completed / seconds, latencies.getValueAtPercentile(50) / 1000.0,
                latencies.getValueAtPercentile(99) / 1000.0, cpuNs / 1000.0 / n, (double) allocated / n);
    }

    /**
     * Completions per second, latency percentiles in microseconds, and the CPU time of the system's threads (both
     * sides) per completion in microseconds and the bytes they allocated per completion: the costs that other jobs
     * on the machine do not change.
     */
    record Result(double perSecond, double p50Us, double p99Us, double cpuUs, double allocatedBytes) { }
}
