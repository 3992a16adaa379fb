package dev.chainkit.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's timers on a wheel, woken by one Netty task: no task early, none lost, cancelled ones never. */
class EventLoopSchedulerTest {

    private static final long MS = 1_000_000L;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final EventLoopScheduler scheduler = new EventLoopScheduler(loop, NanoClock.system());

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void runsEveryTaskNoEarlierThanItsDelayIncludingAnEarlierOneScheduledAfterALaterOne() throws Exception {
        List<String> ran = new ArrayList<>();
        long[] lateBy = new long[2];
        CountDownLatch done = new CountDownLatch(3);
        loop.execute(() -> {
            long start = System.nanoTime();
            scheduler.schedule(300 * MS, () -> {
                lateBy[0] = System.nanoTime() - start - 300 * MS;
                ran.add("300 ms");
                done.countDown();
            });
            scheduler.schedule(20 * MS, () -> { // earlier than the armed wake-up: re-arms it
                lateBy[1] = System.nanoTime() - start - 20 * MS;
                ran.add("20 ms");
                scheduler.schedule(0, () -> { // from inside a due task
                    ran.add("then at once");
                    done.countDown();
                });
                done.countDown();
            });
            Cancellable never = scheduler.schedule(10 * MS, () -> ran.add("cancelled"));
            never.cancel();
            scheduler.schedule(Long.MAX_VALUE, () -> ran.add("never: too far for the clock"));
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "ran only " + ran);
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("20 ms", "then at once", "300 ms"), ran);
        assertTrue(lateBy[0] >= 0 && lateBy[1] >= 0, "no task runs before its delay: " + lateBy[0] + ", " + lateBy[1]);
    }

    @Test
    void refusesToBeUsedOffTheLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scheduler.schedule(MS, () -> { }));
        assertTrue(e.getMessage().contains("node's thread"), e.getMessage());
    }
}
