package dev.chainkit.transport.netty;

import dev.chainkit.core.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The tests' fixture: loopback addresses, settings short enough for tests, nodes closed in reverse order at the
 * end, and bounded waits.
 */
public final class Loopback implements AutoCloseable {

    /** Heartbeats and idle timeout fast enough for tests; reconnects within tens of milliseconds. */
    public static final TransportSettings FAST = TransportSettings.builder()
            .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(600))
            .withHandshakeTimeout(Duration.ofSeconds(2))
            .withReconnect(ReconnectPolicy.of(Duration.ofMillis(20), Duration.ofMillis(200)))
            .build();

    private final List<AutoCloseable> open = new ArrayList<>();

    /** 127.0.0.1 with a free port chosen at bind time. */
    public static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    public static NodeId id(String name) {
        return NodeId.of(name);
    }

    /** Closes {@code c} when the fixture closes (in reverse order). */
    public <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** Polls {@code condition} every 5 ms for at most {@code timeout}; fails with {@code what} if it never holds. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }
}
