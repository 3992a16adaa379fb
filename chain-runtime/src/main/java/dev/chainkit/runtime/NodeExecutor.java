package dev.chainkit.runtime;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ChainNode} on one thread: its inbound envelopes, the tasks others hand it, and its timers. This is
 * the node runtime every transport hosts nodes on: the threaded in-memory network, a network transport, a server.
 * The node is built on the executor's thread with the executor's {@link #clock()} and {@link #scheduler()}, and the
 * engine's promise that a node is confined to one thread holds by construction.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One mailbox.</b> Envelopes ({@link #deliver}) and tasks ({@link #execute}, {@link #submit}) share one
 *   unbounded JCTools MPSC queue, so what one sender hands over is handled in the order it was handed over. An
 *   envelope goes in as itself (no wrapper: the hot path allocates nothing of its own).</li>
 *   <li><b>The loop.</b> Drain up to a batch of the mailbox, run the timers that are due ({@link TimerWheel}), and
 *   when there was nothing to do spin, then yield, then park until a sender unparks it or the next timer tick.</li>
 *   <li><b>Closing races nothing away.</b> A task is accepted only while the executor runs; once it is in the
 *   mailbox, its submitter checks the state again and, if a close came in between, races the node's thread for the
 *   task's one-shot claim: either the task runs, or the submitter refuses it and throws. So every task the
 *   executor accepted runs, and its future completes; every other task is refused synchronously. Envelopes that a
 *   close overtakes are handed to the {@linkplain Builder#undelivered undelivered} handler instead: by the node's
 *   thread as it ends, or by a sender that comes later (a short locked sweep).</li>
 *   <li><b>No self-join.</b> {@link #close()} on the executor's own thread (say, in an outcome callback) only asks
 *   the loop to stop: the loop finishes the current task and what was accepted before, closes the node and ends.</li>
 *   <li><b>Time.</b> The clock is injected (default {@link System#nanoTime()}); timeouts given as durations too long
 *   for a {@code long} of nanoseconds mean "no limit", and a timer delay too long for the clock means never.</li>
 * </ul>
 *
 * <h2>Threads, and what happens before what</h2>
 * <ul>
 *   <li>{@link #deliver}, {@link #execute}, {@link #submit}, {@link #shutdown}, {@link #clock()},
 *   {@link #isShutdown()}, {@link #isTerminated()} and {@link #termination()}: any thread. Everything a thread did
 *   before handing over an envelope or a task happens-before the node's thread handles it; a task happens-before
 *   its future completes.</li>
 *   <li>{@link #start}: any thread but the executor's, once. The setup runs on the executor's thread, and what it
 *   did happens-before {@code start} returns.</li>
 *   <li>{@link #scheduler()}'s {@code schedule} and a timer's {@code cancel}: the executor's thread only (the
 *   node's engine, its handlers, tasks and timers run there); {@code schedule} elsewhere throws.</li>
 *   <li>{@link #close()}: any thread; on the executor's own thread it does not wait. {@link #awaitTermination}:
 *   any thread but the executor's. The executor's whole run happens-before {@link #termination()} completes and
 *   before {@code awaitTermination} returns true.</li>
 * </ul>
 */
public final class NodeExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeExecutor.class);
    private static final int BATCH = 4096;
    private static final long MAX_PARK_NS = 50_000_000L;
    private static final int TIMER_SLOTS = 512;
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private final String name;
    private final NanoClock clock;
    private final TimerWheel timers;
    private final Scheduler scheduler;
    private final Mailbox mailbox;
    private final int spinTries;
    private final int yieldTries;
    private final long closeTimeoutNs;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Set by {@link #start} before the thread starts; read and cleared by the thread. */
    private Function<? super NodeExecutor, ChainNode> setup;
    private CompletableFuture<Void> started;
    /** The executor's thread only. */
    private ChainNode node;

    private NodeExecutor(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.timers = new TimerWheel(clock, b.timerTickNs, TIMER_SLOTS);
        this.scheduler = this::scheduleOnOwnThread;
        this.spinTries = b.spinTries;
        this.yieldTries = b.yieldTries;
        this.closeTimeoutNs = b.closeTimeoutNs;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.mailbox = new Mailbox(name, thread, b.undelivered);
    }

    /**
     * Starts building an executor whose thread is called {@code name}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name of the executor and of its thread. Any thread. */
    public String name() {
        return name;
    }

    /** The clock of the node and its timers. Any thread (as thread-safe as the injected clock). */
    public NanoClock clock() {
        return clock;
    }

    /**
     * The node's {@link Scheduler}: a timer wheel whose tasks run on the executor's thread. Call
     * {@code schedule} and {@code cancel} on the executor's thread only (the setup, handlers, tasks and timers run
     * there); from another thread, hand a task over with {@link #execute} that schedules.
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Whether the calling thread is the executor's. */
    public boolean inExecutorThread() {
        return Thread.currentThread() == thread;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the executor's thread, builds the node there with {@code setup} (which gets this executor, for its
     * clock and scheduler, and may build the application on the node too), and returns once that is done. From then
     * on the loop runs: envelopes queued before the start are handled first.
     *
     * <p>If the setup throws, the executor ends (envelopes queued for it go to the undelivered handler) and this
     * method throws once the thread has ended.
     *
     * @param setup builds the node on the executor's thread; must not return null
     * @throws NullPointerException if {@code setup} is null
     * @throws IllegalStateException if the executor was started or shut down before, if the setup failed (its
     *     exception is the cause), or if the calling thread was interrupted while waiting (the executor goes on
     *     starting; close it)
     */
    public void start(Function<? super NodeExecutor, ChainNode> setup) {
        Objects.requireNonNull(setup, "setup");
        if (!mailbox.beginStart()) {
            throw new IllegalStateException("node executor '" + name + "' cannot start: it was started or shut down"
                    + " before");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.setup = setup;
        this.started = done;
        thread.start(); // publishes both fields to the thread
        Throwable failure;
        try {
            done.get();
            return;
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node executor '" + name + "' was starting", e);
        }
        try {
            thread.join(); // it has swept its mailbox and is ending
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the setup of node executor '" + name + "' failed", failure);
    }

    /**
     * Stops accepting envelopes and tasks, at once; what was accepted before still runs, then the node is closed
     * (its open chains fail with "node closed") and the thread ends. Does not wait. Idempotent. Any thread.
     */
    public void shutdown() {
        if (mailbox.shutdown()) {
            terminate();
        }
    }

    /** Whether {@link #shutdown()} or {@link #close()} was called (or the setup failed). */
    public boolean isShutdown() {
        return mailbox.state() >= Mailbox.CLOSING;
    }

    /** Whether the executor's run is over: the node is closed and the thread has ended, or never started. */
    public boolean isTerminated() {
        return terminated.isDone() && !thread.isAlive();
    }

    /** A future that completes when the executor's run is over (the node closed, the mailbox swept). */
    public CompletableFuture<Void> termination() {
        return terminated.copy();
    }

    /**
     * Waits until the executor's run is over and its thread has ended.
     *
     * @param timeout how long to wait at most; one too long for a {@code long} of nanoseconds means no limit
     * @return whether it ended within the timeout
     * @throws IllegalStateException if called on the executor's own thread (it would wait for itself)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return awaitTermination(saturatedNanos(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * {@link #shutdown()}, then, unless called on the executor's own thread, waits for the run to end for at most
     * the close timeout ({@link Builder#closeTimeout}). On its own thread it returns at once: the loop stops after
     * the current task and what was accepted before it.
     *
     * @throws IllegalStateException if the thread did not end within the close timeout, or the calling thread was
     *     interrupted while waiting (its interrupt flag is set again)
     */
    @Override
    public void close() {
        shutdown();
        if (inExecutorThread()) {
            return;
        }
        try {
            if (!awaitTermination(closeTimeoutNs)) {
                throw new IllegalStateException("node executor '" + name + "' did not stop within "
                        + Duration.ofNanos(closeTimeoutNs));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node executor '" + name + "' to stop", e);
        }
    }

    // ---------------------------------------------------------------- handing over work

    /**
     * Hands an envelope to the node. Any thread; this is what a transport calls for each inbound envelope.
     *
     * @return true when accepted: the node will handle it, or, if a close overtakes it, it goes to the undelivered
     *     handler; false when refused because the executor is shutting down or ended (the caller decides what that
     *     means, e.g. counts it as undeliverable)
     * @throws NullPointerException if {@code envelope} is null
     */
    public boolean deliver(Envelope envelope) {
        return mailbox.deliver(Objects.requireNonNull(envelope, "envelope"));
    }

    /**
     * Runs {@code task} on the executor's thread, after what is already in the mailbox. What it throws is logged.
     * An accepted task always runs; a refused one never does. Tasks are taken from the moment {@link #start} runs
     * the setup (the setup itself may hand over work for the node's first turns); if the setup fails, what it was
     * handed never runs.
     *
     * @throws RejectedExecutionException if the executor is not running: not started yet, shutting down, or ended
     * @throws NullPointerException if {@code task} is null
     */
    @Override
    public void execute(Runnable task) {
        mailbox.enqueue(new MailboxTask.Plain(Objects.requireNonNull(task, "task")));
    }

    /**
     * Runs {@code task} on the executor's thread and completes the returned future with its result, or with what it
     * threw. An accepted task always runs, so its future always completes.
     *
     * @throws RejectedExecutionException if the executor is not running (see {@link #execute})
     * @throws NullPointerException if {@code task} is null
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        MailboxTask.WithResult<T> t = new MailboxTask.WithResult<>(Objects.requireNonNull(task, "task"));
        mailbox.enqueue(t);
        return t.future;
    }

    // ---------------------------------------------------------------- the executor's thread

    private void run() {
        Function<? super NodeExecutor, ChainNode> build = setup;
        CompletableFuture<Void> done = started;
        setup = null;
        started = null;
        try {
            node = Objects.requireNonNull(build.apply(this), "the setup returned no chain node");
        } catch (Throwable e) {
            log.warn("Setup of node executor [{}] failed", name, e);
            terminate();
            done.completeExceptionally(e);
            return;
        }
        mailbox.started();
        done.complete(null);
        log.info("Node executor [{}] started", name);
        try {
            loop();
        } finally {
            closeNode();
            terminate();
        }
    }

    private void loop() {
        int idleRounds = 0;
        while (true) {
            int work = 0;
            for (int i = 0; i < BATCH; i++) {
                Object item = mailbox.poll();
                if (item == null) {
                    break;
                }
                if (item == Mailbox.STOP) {
                    return;
                }
                dispatch(item);
                work++;
            }
            work += timers.expire(clock.nanoTime());
            if (work > 0) {
                idleRounds = 0;
            } else {
                idle(++idleRounds);
            }
        }
    }

    private void dispatch(Object item) {
        if (item instanceof Envelope e) {
            try {
                node.onEnvelope(e);
            } catch (Throwable t) {
                log.error("Node executor [{}] failed on envelope [{}] of chain [{}]", name, e, e.chainId(), t);
            }
            return;
        }
        MailboxTask task = (MailboxTask) item;
        if (task.claimToRun()) {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("A task on node executor [{}] threw", name, t);
            }
        }
    }

    private void idle(int idleRounds) {
        if (idleRounds <= spinTries) {
            Thread.onSpinWait();
        } else if (idleRounds <= spinTries + yieldTries) {
            Thread.yield();
        } else {
            mailbox.idle(timers.size() == 0 ? MAX_PARK_NS
                    : Math.min(MAX_PARK_NS, timers.nanosToNextTick(clock.nanoTime())));
        }
    }

    private void closeNode() {
        try {
            node.close();
        } catch (Throwable e) {
            log.error("Closing the node of executor [{}] threw", name, e);
        }
        node = null;
    }

    /** Terminates and sweeps the mailbox, then completes the termination future. */
    private void terminate() {
        mailbox.terminate();
        terminated.complete(null);
        log.info("Node executor [{}] stopped", name);
    }

    private Cancellable scheduleOnOwnThread(long delayNs, Runnable task) {
        if (!inExecutorThread()) {
            throw new IllegalStateException("node executor '" + name + "': schedule called on thread '"
                    + Thread.currentThread().getName() + "'; timers belong to the executor's thread (hand the"
                    + " scheduling over with execute)");
        }
        return timers.schedule(delayNs, task);
    }

    private boolean awaitTermination(long timeoutNs) throws InterruptedException {
        if (inExecutorThread()) {
            throw new IllegalStateException("node executor '" + name + "' cannot wait for its own thread to end");
        }
        if (timeoutNs == Long.MAX_VALUE) {
            thread.join();
        } else {
            TimeUnit.NANOSECONDS.timedJoin(thread, timeoutNs);
        }
        return !thread.isAlive() && terminated.isDone();
    }

    /** {@code d} in nanoseconds; a duration too long for a {@code long} gives {@link Long#MAX_VALUE}. */
    private static long saturatedNanos(Duration d) {
        return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    /** A positive setting {@code d} in saturated nanoseconds. */
    private static long positiveNanos(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return saturatedNanos(d);
    }

    @Override
    public String toString() {
        return "NodeExecutor[" + name + ", " + Mailbox.describe(mailbox.state()) + "]";
    }

    /** Settings of a {@link NodeExecutor}. Not thread-safe; each setter checks its argument at once. */
    public static final class Builder {
        private final String name;
        private NanoClock clock = NanoClock.system();
        private long timerTickNs = 1_000_000L;
        private int spinTries = 200;
        private int yieldTries = 20;
        private long closeTimeoutNs = 10_000_000_000L;
        private Consumer<Envelope> undelivered = e -> log.debug("Undelivered [{}] of chain [{}]: its node executor"
                + " stopped", e, e.chainId());

        private Builder(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("a node executor needs a name for its thread, got a blank one");
            }
            this.name = name;
        }

        /**
         * A new builder with these settings and another name: a template for many executors (one per node).
         *
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder copy(String name) {
            Builder b = new Builder(name);
            b.clock = clock;
            b.timerTickNs = timerTickNs;
            b.spinTries = spinTries;
            b.yieldTries = yieldTries;
            b.closeTimeoutNs = closeTimeoutNs;
            b.undelivered = undelivered;
            return b;
        }

        /**
         * The clock of the node and its timers; default {@link NanoClock#system()}.
         *
         * @throws NullPointerException if null
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The resolution of the timers (default 1 ms): a timer runs at most about one tick late.
         *
         * @throws IllegalArgumentException if {@code tick} is not positive
         * @throws NullPointerException if null
         */
        public Builder timerTick(Duration tick) {
            this.timerTickNs = positiveNanos(tick, "timerTick");
            return this;
        }

        /**
         * How many empty rounds the idle thread spins, then yields, before it parks (defaults 200 and 20).
         *
         * @throws IllegalArgumentException if a count is negative
         */
        public Builder idle(int spinTries, int yieldTries) {
            if (spinTries < 0 || yieldTries < 0) {
                throw new IllegalArgumentException("idle spin and yield tries must be 0 or more, got " + spinTries
                        + " and " + yieldTries);
            }
            this.spinTries = spinTries;
            this.yieldTries = yieldTries;
            return this;
        }

        /**
         * How long {@link NodeExecutor#close()} waits for the thread to end (default 10 s); a duration too long for
         * a {@code long} of nanoseconds means no limit.
         *
         * @throws IllegalArgumentException if {@code timeout} is not positive
         * @throws NullPointerException if null
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeoutNs = positiveNanos(timeout, "closeTimeout");
            return this;
        }

        /**
         * Receives each envelope that was accepted but that a close overtook, so the node never handled it (default:
         * a DEBUG log line). Called on the executor's thread as it ends, or on a sender's thread that came later:
         * must be thread-safe, quick, and must not throw.
         *
         * @throws NullPointerException if null
         */
        public Builder undelivered(Consumer<Envelope> handler) {
            this.undelivered = Objects.requireNonNull(handler, "undelivered");
            return this;
        }

        /** A new executor, not started. */
        public NodeExecutor build() {
            return new NodeExecutor(this);
        }
    }
}
