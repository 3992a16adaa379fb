package dev.chainkit.bench.p1;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * P1 reference (b), what a user writes without the engine: request/reply with retries on
 * {@link CompletableFuture}, {@link ScheduledExecutorService} and {@link ConcurrentHashMap}. Two single-thread
 * scheduled executors are the two nodes (two threads, as in the engine benchmark). The client keeps its pending
 * requests in a concurrent map, arms one retry timer per request (100 ms, doubling, capped at 2 s, 20% jitter, 16
 * attempts: the engine's default policy) and cancels it when the reply arrives; the server answers by executing
 * the reply on the client's executor.
 *
 * <p>It promises less than a chain: no duplicate suppression on the server (a retry runs the handler again), no
 * tombstones, no incarnations, no deadline. So it is the cheaper of the two to run, and a fair floor.
 *
 * <p>Thread safety: JMH state, one benchmark thread; the executors are created and shut down per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandWritten {

    private Client client;
    private Server server;

    @Setup(Level.Trial)
    public void start() {
        server = new Server();
        client = new Client(server);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        client.exec.shutdownNow();
        server.exec.shutdownNow();
        client.exec.awaitTermination(10, TimeUnit.SECONDS);
        server.exec.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Completes {@value P1#BATCH} requests with {@value P1#WINDOW} in flight. */
    @Benchmark
    @OperationsPerInvocation(P1.BATCH)
    public long requests() {
        Pump pump = new Pump(client, P1.BATCH);
        client.exec.execute(pump::begin);
        return pump.done.join();
    }

    private static ScheduledThreadPoolExecutor singleThread(String name) {
        return new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The request side. {@link #call} and the callbacks run on {@link #exec}. */
    static final class Client {
        final ScheduledExecutorService exec = singleThread("hand-client");
        final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
        final Server server;
        long nextId;

        Client(Server server) {
            this.server = server;
        }

        CompletableFuture<Object> call(Object request) {
            Pending p = new Pending(++nextId, request);
            pending.put(p.id, p);
            send(p);
            return p.future;
        }

        private void send(Pending p) {
            p.attempts++;
            long id = p.id;
            Object request = p.request;
            server.exec.execute(() -> server.onRequest(this, id, request));
            long base = Math.min(100L << Math.min(p.attempts - 1, 20), 2_000L) * 1_000_000L;
            long delay = base - (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
            p.retry = exec.schedule(() -> onTimeout(p), delay, TimeUnit.NANOSECONDS);
        }

        private void onTimeout(Pending p) {
            if (pending.get(p.id) != p) {
                return;
            }
            if (p.attempts >= 16) {
                pending.remove(p.id);
                p.future.completeExceptionally(new TimeoutException("no reply to request " + p.id));
                return;
            }
            send(p);
        }

        void onReply(long id, Object reply) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.retry.cancel(false);
                p.future.complete(reply);
            }
        }
    }

    /** One outstanding request. */
    static final class Pending {
        final long id;
        final Object request;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        int attempts;
        ScheduledFuture<?> retry;

        Pending(long id, Object request) {
            this.id = id;
            this.request = request;
        }
    }

    /** The reply side: answers every request on its executor. */
    static final class Server {
        static final Object REPLY = new Object();
        final ScheduledExecutorService exec = singleThread("hand-server");

        void onRequest(Client from, long id, Object request) {
            from.exec.execute(() -> from.onReply(id, REPLY));
        }
    }

    /** Keeps the window full on the client's thread. */
    private static final class Pump implements BiConsumer<Object, Throwable> {
        static final Object REQUEST = new Object();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final Client client;
        private int toStart;
        private int toFinish;
        private long completed;

        Pump(Client client, int n) {
            this.client = client;
            this.toStart = n;
            this.toFinish = n;
        }

        void begin() {
            for (int i = 0; i < P1.WINDOW; i++) {
                startOne();
            }
        }

        private void startOne() {
            if (toStart > 0) {
                toStart--;
                client.call(REQUEST).whenComplete(this);
            }
        }

        @Override
        public void accept(Object reply, Throwable error) {
            if (error == null) {
                completed++;
            }
            startOne();
            if (--toFinish == 0) {
                done.complete(completed);
            }
        }
    }
}
