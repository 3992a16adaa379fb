package dev.chainkit.transport.netty.internal;

import dev.chainkit.transport.netty.CloseReason;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A link's liveness watch: when the link has written nothing for the heartbeat interval it sends a HEARTBEAT, and
 * when it has heard no frame for the idle timeout it closes as IDLE_TIMEOUT, so a dead or blackholed peer is
 * noticed. Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Times, not events.</b> Reading and writing only store the time: once per read batch that carried a
 *   frame ({@link #heard}) and once per flush of the link ({@link #wrote}), never per envelope. Netty's
 *   {@code IdleStateHandler}, which did this job before, made a promise and a listener for every write to learn
 *   when it completed: work per envelope for what needs a time per flush.</li>
 *   <li><b>One timer per link</b>, armed for whichever of the two deadlines comes first and re-armed from the
 *   stored times when it fires, so a busy link's timer fires about once per heartbeat interval and does nothing
 *   else.</li>
 *   <li><b>Written means handed to the socket</b>, not acknowledged by it: a link whose outbox is full sends no
 *   heartbeat (it could not go out before the frames already waiting), and tries again an interval later.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the link's event loop.
 */
final class LinkWatch implements Runnable {

    private final Link link;
    private final long heartbeatNs;
    private final long idleNs;
    private long heardNs;
    private long wroteNs;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /**
     * @param heartbeatNs send a heartbeat after this long without writing, in nanoseconds
     * @param idleNs close after this long without hearing a frame, in nanoseconds
     */
    LinkWatch(Link link, long heartbeatNs, long idleNs) {
        this.link = link;
        this.heartbeatNs = heartbeatNs;
        this.idleNs = idleNs;
    }

    /** The link is up at {@code nowNs}: both clocks start now. */
    void start(long nowNs) {
        heardNs = nowNs;
        wroteNs = nowNs;
        arm(nowNs);
    }

    /** A read batch carrying at least one frame ended at {@code nowNs}. */
    void heard(long nowNs) {
        heardNs = nowNs;
    }

    /** The link flushed what it wrote at {@code nowNs}. */
    void wrote(long nowNs) {
        wroteNs = nowNs;
    }

    /** The link is gone: the timer stops for good. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        timer = null;
        if (stopped || link.connection.closing()) {
            return;
        }
        long now = System.nanoTime();
        if (now - heardNs >= idleNs) {
            link.connection.close(CloseReason.IDLE_TIMEOUT, "nothing heard for "
                    + TimeUnit.NANOSECONDS.toMillis(now - heardNs) + " ms (idle timeout "
                    + TimeUnit.NANOSECONDS.toMillis(idleNs) + " ms)");
            return;
        }
        if (now - wroteNs >= heartbeatNs) {
            if (link.channel.isWritable()) {
                link.handOver();
                link.channel.writeAndFlush(Frames.empty(link.channel.alloc(), link.connection.version,
                        Frames.HEARTBEAT), link.channel.voidPromise());
            }
            wroteNs = now;
        }
        arm(now);
    }

    private void arm(long nowNs) {
        long dueNs = Math.min(heardNs + idleNs - nowNs, wroteNs + heartbeatNs - nowNs);
        timer = link.channel.eventLoop().schedule(this, Math.max(0, dueNs), TimeUnit.NANOSECONDS);
    }
}
