package dev.chainkit.bench.p6;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system under test: two {@link NettyNode}s over loopback TCP, each on its own event-loop thread, completing
 * 2-step {@link Ping} chains (request, terminal reply), {@code inFlight} at a time.
 *
 * <p>Thread safety: a benchmark driver; its loop runs on the client node's thread.
 */
final class EngineOverTcp implements Contender {

    /** The ping protocol's codec: a tag, no body. */
    static final ProtocolCodec<Ping> CODEC = ProtocolCodec.builder(Ping.PROTOCOL)
            .message(1, Ping.Request.class, (m, out) -> { }, in -> Ping.REQUEST)
            .message(2, Ping.Reply.class, (m, out) -> { }, in -> Ping.REPLY)
            .build();

    private static final NodeId SERVER = NodeId.of("server");
    private static final NodeId CLIENT = NodeId.of("client");

    private final NettyNode server;
    private final NettyNode client;

    EngineOverTcp() throws InterruptedException {
        NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));
        NodeSettings settings = NodeSettings.defaults().withDedupWindow(Duration.ofSeconds(1));
        server = NettyNode.builder(SERVER, 1).secrets(secrets).codec(CODEC).nodeSettings(settings)
                .register(Ping.PROTOCOL, Ping.RESPONDER)
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start();
        client = NettyNode.builder(CLIENT, 1).secrets(secrets).codec(CODEC).nodeSettings(settings)
                .peer(SERVER, server.localAddress()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!client.linkedPeers().contains(SERVER)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no link within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public String name() {
        return "chainkit";
    }

    @Override
    public void start(Loop loop, int inFlight) {
        client.execute(node -> {
            for (int i = 0; i < inFlight; i++) {
                next(node, loop);
            }
        });
    }

    private void next(ChainNode node, Loop loop) {
        long start = System.nanoTime();
        node.start(Ping.PROTOCOL, SERVER, Ping.REQUEST, Ping.initiator()).outcome().thenRun(() -> {
            loop.completed(start);
            if (loop.running()) {
                next(node, loop);
            }
        });
    }

    @Override
    public long[] threadIds() throws Exception {
        return new long[] {client.call(n -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS),
                server.call(n -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS)};
    }

    @Override
    public void sync() throws Exception {
        client.call(n -> null).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
