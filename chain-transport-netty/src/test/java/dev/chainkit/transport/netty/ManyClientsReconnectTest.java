package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 200 real clients on loopback reconnect to a restarted server spread over their jitter window (a coarse check of
 * what {@link ReconnectPolicyTest} checks exactly): no 100 ms holds more than a third of them.
 */
class ManyClientsReconnectTest {

    private static final int CLIENTS = 200;
    private static final NodeId SERVER = id("server");

    @Test
    void twoHundredClientsReconnectingAfterAServerRestartSpreadOverTheJitterWindow() throws Exception {
        ThreadLeaks leaks = ThreadLeaks.snapshot();
        List<NodeId> ids = new ArrayList<>(List.of(SERVER));
        for (int i = 0; i < CLIENTS; i++) {
            ids.add(id("c" + i));
        }
        NodeSecrets secrets = NodeSecrets.generate(ids);
        TransportSettings settings = TransportSettings.builder()
                .withReconnect(ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(4))).build();
        EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("clients", true),
                NioIoHandler.newFactory());
        try (Loopback net = new Loopback()) {
            NettyNode first = NettyNode.builder(SERVER, 1).secrets(secrets).settings(settings).listen(anyPort())
                    .start();
            InetSocketAddress address = first.localAddress();
            for (int i = 1; i <= CLIENTS; i++) {
                net.track(NettyNode.builder(ids.get(i), 1).secrets(secrets).settings(settings)
                        .eventLoopGroup(clientLoops).peer(SERVER, address).start());
            }
            Loopback.await("200 links", Duration.ofSeconds(20), () -> first.linkedPeers().size() == CLIENTS);
            ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
            first.close();
            long restartNs = System.nanoTime();
            NettyNode second = net.track(NettyNode.builder(SERVER, 2).secrets(secrets).settings(settings)
                    .transportListener(new TransportListener() {
                        @Override
                        public void linkUp(NodeId peer, long incarnation, boolean dialed) {
                            arrivals.add(System.nanoTime());
                        }
                    }).listen(address).start());
            Loopback.await("200 links again", Duration.ofSeconds(20), () -> second.linkedPeers().size() == CLIENTS);
            long[] t = arrivals.stream().mapToLong(a -> a - restartNs).sorted().toArray();
            int densest = 0;
            for (int i = 0, j = 0; i < t.length; i++) {
                while (t[i] - t[j] > TimeUnit.MILLISECONDS.toNanos(100)) {
                    j++;
                }
                densest = Math.max(densest, i - j + 1);
            }
            String seen = "arrivals (ms after the restart) at p10 " + t[20] / 1_000_000 + ", p50 " + t[100] / 1_000_000
                    + ", p90 " + t[180] / 1_000_000 + "; densest 100 ms: " + densest;
            System.out.println("ManyClientsReconnectTest: " + seen);
            assertTrue(densest <= CLIENTS / 3, seen);
            assertTrue(t[180] - t[20] >= TimeUnit.MILLISECONDS.toNanos(300), seen + " " + Arrays.toString(t));
        } finally {
            clientLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        leaks.assertNoneLeft();
    }
}
