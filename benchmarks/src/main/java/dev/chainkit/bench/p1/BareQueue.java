package dev.chainkit.bench.p1;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedArrayQueue;
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
 * P1 reference (a), the practical limit: the same number of messages as the engine benchmark (a request and a
 * reply per round trip) handed between two threads through bare JCTools {@code MpscUnboundedArrayQueue}s, the
 * mailbox type and chunk size of the threaded transport, with the same idle strategy (spin, yield, park; a
 * producer unparks a parked consumer). Each message is a fresh 16-byte object, as an envelope is. No engine, no
 * timers, no maps.
 *
 * <p>Thread safety: JMH state, one benchmark thread; the two loop threads are started and stopped per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BareQueue {

    private Loop a;
    private Loop b;

    @Setup(Level.Trial)
    public void start() {
        a = new Loop("bare-a");
        b = new Loop("bare-b");
        a.peer = b;
        b.peer = a;
        a.thread.start();
        b.thread.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        a.stop = true;
        b.stop = true;
        LockSupport.unpark(a.thread);
        LockSupport.unpark(b.thread);
        a.thread.join();
        b.thread.join();
    }

    /** Completes {@value P1#BATCH} round trips with {@value P1#WINDOW} in flight. */
    @Benchmark
    @OperationsPerInvocation(P1.BATCH)
    public long roundTrips() {
        Batch batch = new Batch(P1.BATCH);
        a.offer(batch);
        return batch.done.join();
    }

    /** A message: a request from a to b, or b's reply. */
    private static final class Token {
        final int seq;
        final boolean reply;

        Token(int seq, boolean reply) {
            this.seq = seq;
            this.reply = reply;
        }
    }

    /** Tells loop a to run one batch. */
    private static final class Batch {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        int toStart;
        int toFinish;

        Batch(int n) {
            toStart = n;
            toFinish = n;
        }
    }

    /** One thread and its mailbox; a starts batches and counts replies, b answers requests. */
    private static final class Loop implements Runnable {
        final MpscUnboundedArrayQueue<Object> mailbox = new MpscUnboundedArrayQueue<>(1024);
        final Thread thread;
        volatile boolean parked;
        volatile boolean stop;
        Loop peer;
        private Batch batch;
        private long checksum;

        Loop(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        void offer(Object item) {
            mailbox.offer(item);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            int idle = 0;
            while (!stop) {
                int work = 0;
                for (int i = 0; i < 4096; i++) {
                    Object item = mailbox.relaxedPoll();
                    if (item == null) {
                        break;
                    }
                    handle(item);
                    work++;
                }
                if (work > 0) {
                    idle = 0;
                } else if (++idle <= 200) {
                    Thread.onSpinWait();
                } else if (idle <= 220) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (mailbox.isEmpty() && !stop) {
                        LockSupport.parkNanos(this, 50_000_000L);
                    }
                    parked = false;
                }
            }
        }

        private void handle(Object item) {
            if (item instanceof Token t) {
                if (!t.reply) {
                    peer.offer(new Token(t.seq, true));
                    return;
                }
                checksum += t.seq;
                if (batch.toStart > 0) {
                    peer.offer(new Token(batch.toStart--, false));
                }
                if (--batch.toFinish == 0) {
                    batch.done.complete(checksum);
                }
            } else {
                batch = (Batch) item;
                for (int i = 0; i < P1.WINDOW && batch.toStart > 0; i++) {
                    peer.offer(new Token(batch.toStart--, false));
                }
            }
        }
    }
}
