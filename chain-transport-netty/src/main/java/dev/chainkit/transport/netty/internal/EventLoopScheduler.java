package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A node's {@link Scheduler} on its Netty event loop: tasks run on the loop's thread, the node's thread. Netty
 * orders tasks by due time, then by submission, as the SPI requires. Not API.
 *
 * <p>Thread safety: call {@link #schedule} on the loop (the engine does); cancel there too.
 */
final class EventLoopScheduler implements Scheduler {

    private final EventLoop loop;

    EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public Cancellable schedule(long delayNs, Runnable task) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delayNs must be 0 or more, got " + delayNs);
        }
        ScheduledFuture<?> f = loop.schedule(Objects.requireNonNull(task, "task"), delayNs, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
