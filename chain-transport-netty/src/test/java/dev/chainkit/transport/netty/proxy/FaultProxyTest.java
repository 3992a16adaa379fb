package dev.chainkit.transport.netty.proxy;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.Echo;
import dev.chainkit.transport.netty.Loopback;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import dev.chainkit.transport.netty.ThreadLeaks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chains complete through the fault proxy under loss, duplication, delay, repeated connection cuts and a blackhole,
 * and each step is handled at most once. Every sending loop is bounded in count and time.
 */
class FaultProxyTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");
    private static final CodecRegistry CODECS = CodecRegistry.of(Echo.CODEC);

    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));
    private final Echo.Recording responder = new Echo.Recording();
    private ThreadLeaks leaks;
    private Loopback net;
    private NettyNode server;

    @BeforeEach
    void startServer() {
        leaks = ThreadLeaks.snapshot();
        net = new Loopback();
        server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                .register(Echo.PROTOCOL, responder).settings(FAST).listen(anyPort()).start());
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
        assertNull(responder.twice, "a step was handled twice");
        leaks.assertNoneLeft();
    }

    @Test
    void chainsCompleteThroughLossDuplicationAndDelay() throws Exception {
        long seed = Long.getLong("chainkit.seed", System.nanoTime());
        System.out.println("FaultProxyTest seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        FaultProxy proxy = net.track(FaultProxy.start(anyPort(), server.localAddress(), (frame, now) -> {
            double r = random.nextDouble();
            if (r < 0.2) {
                return FrameVerdict.drop();
            }
            long delay = random.nextLong(20_000_000L);
            return r < 0.35 ? FrameVerdict.copies(delay, random.nextLong(20_000_000L)) : FrameVerdict.copies(delay);
        }, CODECS));
        NettyNode client = client(proxy.address());
        assertAllComplete(client, 100, "seed " + seed);
        ProxyStats s = proxy.stats();
        assertTrue(s.dropped() > 0 && s.duplicated() > 0 && s.delayed() > 0, s + ", seed " + seed);
        assertEquals(100, responder.handled.size());
    }

    @Test
    void chainsCompleteAcrossRepeatedConnectionCuts() throws Exception {
        FaultProxy proxy = net.track(FaultProxy.start(anyPort(), server.localAddress(), FramePolicy.NONE, CODECS));
        NettyNode client = client(proxy.address());
        Loopback.await("first link", Duration.ofSeconds(5), () -> client.linkedPeers().contains(SERVER));
        List<ChainHandle<Integer>> chains = new ArrayList<>();
        for (int cut = 0; cut < 5; cut++) {
            chains.addAll(startChains(client, 20, cut * 20));
            proxy.cutAll();
            Thread.sleep(150);
        }
        awaitCompleted(chains, "after 5 cuts");
        assertTrue(client.stats().linksEstablished() >= 3, client.stats().toString());
        assertEquals(5, proxy.stats().cuts());
    }

    @Test
    void aBlackholedPathIsDetectedByTheIdleTimeoutAndChainsCompleteAfterIt() throws Exception {
        FaultProxy proxy = net.track(FaultProxy.start(anyPort(), server.localAddress(), FramePolicy.NONE, CODECS));
        NettyNode client = client(proxy.address());
        Loopback.await("first link", Duration.ofSeconds(5), () -> client.linkedPeers().contains(SERVER));
        proxy.blackhole(Direction.TO_TARGET, true);
        proxy.blackhole(Direction.FROM_TARGET, true);
        List<ChainHandle<Integer>> chains = startChains(client, 10, 0);
        Loopback.await("both ends give the dead path up", Duration.ofSeconds(5),
                () -> client.stats().closed(CloseReason.IDLE_TIMEOUT) >= 1
                        && server.stats().closed(CloseReason.IDLE_TIMEOUT) >= 1);
        assertTrue(chains.stream().noneMatch(c -> c.outcome().isDone()), "nothing crossed the blackhole");
        proxy.blackhole(Direction.TO_TARGET, false);
        proxy.blackhole(Direction.FROM_TARGET, false);
        awaitCompleted(chains, "after the blackhole");
        assertTrue(proxy.stats().blackholed() > 0);
    }

    @Test
    void aPolicySeesEachEnvelopeFramesDescriptorAndDropsExactlyWhatItChooses() throws Exception {
        AtomicInteger answersDropped = new AtomicInteger();
        List<FrameInfo> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FaultProxy proxy = net.track(FaultProxy.start(anyPort(), server.localAddress(), (frame, now) -> {
            seen.add(frame);
            if (frame.messageKind().equals("Answer") && answersDropped.getAndIncrement() == 0) {
                return FrameVerdict.drop();
            }
            return FrameVerdict.pass();
        }, CODECS));
        NettyNode client = client(proxy.address());
        assertAllComplete(client, 1, "one chain whose first answer is lost");
        assertEquals(1, proxy.stats().dropped());
        FrameInfo ask = seen.get(0);
        assertEquals(new FrameInfo(Direction.TO_TARGET, CLIENT, SERVER, "echo", "Ask", 0, ask.sizeBytes()), ask);
        assertTrue(seen.stream().anyMatch(f -> f.direction() == Direction.FROM_TARGET
                && f.messageKind().equals("Answer") && f.step() == 1));
        assertEquals(1, responder.handled.size(), "the resent Ask got the cached answer, not a second handling");
    }

    @Test
    void onlyLoopbackAddressesAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> FaultProxy.start(new InetSocketAddress("10.0.0.1", 0),
                server.localAddress(), FramePolicy.NONE, CODECS));
        assertThrows(IllegalArgumentException.class, () -> FaultProxy.start(anyPort(),
                new InetSocketAddress("192.0.2.1", 7000), FramePolicy.NONE, CODECS));
    }

    private NettyNode client(InetSocketAddress via) {
        RetryPolicy quick = RetryPolicy.builder().withInitialDelay(Duration.ofMillis(50))
                .withMaxDelay(Duration.ofMillis(300)).build();
        return net.track(NettyNode.builder(CLIENT, 1).secrets(secrets).codec(Echo.CODEC).settings(FAST)
                .nodeSettings(NodeSettings.defaults().withRetryPolicy(quick)).peer(SERVER, via).start());
    }

    private static List<ChainHandle<Integer>> startChains(NettyNode client, int count, int from) throws Exception {
        return client.call(n -> {
            List<ChainHandle<Integer>> started = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                started.add(n.start(Echo.PROTOCOL, SERVER, new Echo.Ask(i, "n" + i), (c, r) -> Echo.complete(r)));
            }
            return started;
        }).get(5, TimeUnit.SECONDS);
    }

    private static void assertAllComplete(NettyNode client, int count, String what) throws Exception {
        awaitCompleted(startChains(client, count, 0), what);
    }

    private static void awaitCompleted(List<ChainHandle<Integer>> chains, String what) throws Exception {
        for (ChainHandle<Integer> c : chains) {
            Outcome<Integer> o = c.outcome().get(30, TimeUnit.SECONDS);
            assertTrue(o instanceof Outcome.Completed<Integer>, what + ": " + c.id() + " ended " + o);
        }
    }
}
