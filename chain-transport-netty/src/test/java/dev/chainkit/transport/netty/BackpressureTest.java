package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.CodecRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A peer that never reads cannot grow its sender's memory: the link's outbox stops at its high-water mark (plus one
 * frame), the envelopes beyond are dropped and counted, and when that peer also floods, reading from it pauses, so
 * once the sockets' buffers are full TCP holds the flood back.
 */
class BackpressureTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId CLIENT = id("client");
    private static final int HIGH = 32 << 10;
    private static final int MAX_FRAME = 4096;

    @Test
    void aFloodingPeerThatNeverReadsIsPausedAndTheOutboxStaysBounded() throws Exception {
        NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                    .register(Echo.PROTOCOL, new Echo.Recording())
                    .settings(FAST.toBuilder().withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(30))
                            .withOutbox(8 << 10, HIGH).withMaxFrameBytes(MAX_FRAME).build())
                    .listen(anyPort()).start());
            AtomicLong written = new AtomicLong();
            try (RawPeer flood = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
                String text = "x".repeat(200);
                Thread writer = new Thread(() -> {
                    CodecRegistry codecs = CodecRegistry.of(Echo.CODEC);
                    try {
                        for (int i = 1; i <= 2_000_000; i++) {
                            flood.send(new Envelope("echo", new ChainId(CLIENT, 1, i), 0, CLIENT, 1, SERVER, 0,
                                    EnvelopeKind.STEP, new Echo.Ask(i, text)), codecs);
                            written.incrementAndGet();
                        }
                    } catch (IOException closedUnderIt) {
                        // the test closes the socket to stop a blocked write
                    }
                }, "flood-writer");
                writer.start();
                long maxOutbox = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                long last = -1;
                long stillSinceNs = System.nanoTime();
                while (System.nanoTime() - deadline < 0) {
                    for (LinkInfo l : server.links()) {
                        maxOutbox = Math.max(maxOutbox, l.outboxBytes());
                    }
                    long now = written.get();
                    if (now != last) {
                        last = now;
                        stillSinceNs = System.nanoTime();
                    } else if (System.nanoTime() - stillSinceNs > TimeUnit.MILLISECONDS.toNanos(500)) {
                        break;
                    }
                    Thread.sleep(10);
                }
                TransportStats stats = server.stats();
                assertTrue(System.nanoTime() - deadline < 0, "the flood was never held back: " + written.get()
                        + " envelopes written");
                assertTrue(stats.readPauses() >= 1, "reading from the flooding peer paused: " + stats);
                assertTrue(stats.dropped(DropReason.OUTBOX_FULL) >= 1, "replies beyond the mark dropped: " + stats);
                assertTrue(maxOutbox <= HIGH + MAX_FRAME, "outbox reached " + maxOutbox + " bytes");
                assertTrue(written.get() < 2_000_000, "TCP pushed back before the writer's bound");
                flood.close();
                writer.join(5_000);
                assertTrue(!writer.isAlive());
            }
        }
    }

    @Test
    void chainsToAPeerThatNeverReadsAreDroppedBeyondTheMark() throws Exception {
        NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, CLIENT));
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST.toBuilder().withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(30))
                            .withOutbox(8 << 10, HIGH).withMaxFrameBytes(MAX_FRAME).build())
                    .listen(anyPort()).start());
            try (RawPeer sleeper = new RawPeer(server.localAddress()).authenticate(secrets, CLIENT, 1)) {
                String text = "y".repeat(1000);
                for (int round = 0; round < 20; round++) {
                    server.call(n -> {
                        for (int i = 0; i < 1000; i++) {
                            n.start(Echo.PROTOCOL, CLIENT, new Echo.Ask(i, text), (c, r) -> Echo.complete(r));
                        }
                        return null;
                    }).get(5, TimeUnit.SECONDS);
                    for (LinkInfo l : server.links()) {
                        assertTrue(l.outboxBytes() <= HIGH + MAX_FRAME, "outbox reached " + l.outboxBytes());
                    }
                }
                TransportStats stats = server.stats();
                assertTrue(stats.dropped(DropReason.OUTBOX_FULL) >= 10_000, stats.toString());
                assertTrue(stats.envelopesSent() < 20_000, stats.toString());
            }
        }
    }
}
