package dev.chainkit.examples.live;

import dev.chainkit.core.RetryPolicy;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.transport.netty.ReconnectPolicy;
import dev.chainkit.transport.netty.TransportSettings;
import java.time.Duration;

/**
 * How scenario time maps to real time in a live run: {@code --speed S} plays a scenario S times faster than written.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Everything that is a time of the scenario's world is divided by S, together</b>, so that every relation
 *   between them stays what the file says: the {@code at} times and {@code calm at}, the {@code limit}, each user's
 *   {@code think} time, the {@code network} latency, a {@code delay ... by} rule, and the engine's own
 *   retransmission schedule (the {@code retry} line, or the engine's default: initial delay, maximum delay and
 *   chain deadline; the dedup window and the server's forward backoff derive from it). A user who thinks longer than
 *   a chain's deadline still does at speed 10 ({@code own01-slow-decision-loop}), and a partition still outlasts the
 *   same number of forward retries ({@code own02-quiet-client-long-outage}). The transport's link timers
 *   (heartbeat, idle timeout, handshake timeout, reconnect backoff) are divided too, with floors, so that a link
 *   comes back after a heal within about the same scenario time.</li>
 *   <li><b>What cannot be divided</b> is the machine: a loopback round trip, an fsync, a process start, a busy
 *   core. They weigh S times more against the scenario's times, so a high speed can turn a relation the file relies
 *   on (an answer within the first retransmission delay, an op before another one 10 ms later) into a race. Speed
 *   1 plays the file as written; the shipped scenarios are played at the speeds their tests name.</li>
 *   <li>Reports keep scenario time: an op's time, the run's end, every expectation's detail read as in the file.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 */
final class TimeScale {

    /** The fastest speed accepted: beyond it the machine's own delays outweigh every scenario's timing. */
    static final double MAX_SPEED = 100;

    private static final long HEARTBEAT_NS = 1_000_000_000L;
    private static final long HEARTBEAT_FLOOR_NS = 250_000_000L;
    private static final long HANDSHAKE_NS = 5_000_000_000L;
    private static final long HANDSHAKE_FLOOR_NS = 1_000_000_000L;
    private static final long RECONNECT_INITIAL_NS = 50_000_000L;
    private static final long RECONNECT_INITIAL_FLOOR_NS = 10_000_000L;
    private static final long RECONNECT_MAX_NS = 1_000_000_000L;
    private static final long RECONNECT_MAX_FLOOR_NS = 250_000_000L;

    private final double speed;

    /**
     * @param speed how many times faster than written, more than 0 and at most {@value #MAX_SPEED}
     * @throws IllegalArgumentException if {@code speed} is out of range or not a number
     */
    TimeScale(double speed) {
        if (!(speed > 0 && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("--speed must be more than 0 and at most " + (int) MAX_SPEED
                    + " (1 plays the file as written, 10 ten times faster), got " + speed);
        }
        this.speed = speed;
    }

    /** How many times faster than written. */
    double speed() {
        return speed;
    }

    /** A scenario duration in real nanoseconds. */
    long realNs(Duration scenarioTime) {
        return Math.round(scenarioTime.toNanos() / speed);
    }

    /** A scenario duration as a real duration. */
    Duration real(Duration scenarioTime) {
        return Duration.ofNanos(realNs(scenarioTime));
    }

    /** Real nanoseconds elapsed, as scenario nanoseconds. */
    long scenarioNs(long realNs) {
        return Math.round(realNs * speed);
    }

    /**
     * The retransmission schedule every node runs with: the scenario's {@code retry} line applied to the engine's
     * defaults, with its delays and deadline divided by the speed (multiplier, jitter and attempts unchanged).
     */
    RetryPolicy retryPolicy(Scenario scenario) {
        RetryPolicy written = scenario.retry().map(r -> r.applyTo(RetryPolicy.defaults()))
                .orElse(RetryPolicy.defaults());
        return written.toBuilder()
                .withInitialDelay(atLeastOneNs(real(written.initialDelay())))
                .withMaxDelay(atLeastOneNs(real(written.maxDelay())))
                .withDeadline(atLeastOneNs(real(written.deadline())))
                .build();
    }

    /**
     * The link timers of every node, each divided by the speed but kept above a floor that a busy machine can keep
     * (a loopback link is not faster than its machine, and a link that misses its heartbeats is closed): a
     * heartbeat every second (at least every 250 ms), idle after four, a handshake within 5 s (at least 1 s), and
     * reconnects after 50 ms (at least 10 ms) doubling up to a second (at least 250 ms).
     */
    TransportSettings transport() {
        long heartbeat = scaled(HEARTBEAT_NS, HEARTBEAT_FLOOR_NS);
        long reconnectInitial = scaled(RECONNECT_INITIAL_NS, RECONNECT_INITIAL_FLOOR_NS);
        return TransportSettings.builder()
                .withHandshakeTimeout(Duration.ofNanos(scaled(HANDSHAKE_NS, HANDSHAKE_FLOOR_NS)))
                .withHeartbeat(Duration.ofNanos(heartbeat), Duration.ofNanos(4 * heartbeat))
                .withReconnect(ReconnectPolicy.of(Duration.ofNanos(reconnectInitial),
                        Duration.ofNanos(Math.max(reconnectInitial, scaled(RECONNECT_MAX_NS, RECONNECT_MAX_FLOOR_NS)))))
                .build();
    }

    private long scaled(long ns, long floorNs) {
        return Math.max(floorNs, Math.round(ns / speed));
    }

    private static Duration atLeastOneNs(Duration d) {
        return d.isZero() ? Duration.ofNanos(1) : d;
    }

    @Override
    public String toString() {
        return "speed " + speed;
    }
}
