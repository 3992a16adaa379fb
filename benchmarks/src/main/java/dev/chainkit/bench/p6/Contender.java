package dev.chainkit.bench.p6;

/**
 * One system in P6: it runs a closed {@link Loop} of request-reply exchanges between two endpoints on loopback TCP.
 *
 * <p>Thread safety: {@link #start}, {@link #sync} and {@link #close} are called from the benchmark's main thread.
 */
interface Contender extends AutoCloseable {

    /** The name printed beside its figures. */
    String name();

    /** Starts {@code inFlight} exchanges on the driving thread; each completion starts the next while running. */
    void start(Loop loop, int inFlight);

    /**
     * The ids of the threads that do this system's work (each side's event loop), for its CPU time per exchange.
     *
     * @throws Exception if a thread does not answer within 10 s
     */
    long[] threadIds() throws Exception;

    /** Waits until the driving thread has run a task submitted now (so the loop's counters are settled). */
    void sync() throws Exception;

    @Override
    void close();
}
