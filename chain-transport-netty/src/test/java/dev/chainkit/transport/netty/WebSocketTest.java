package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.internal.EnvelopeCodec;
import dev.chainkit.transport.netty.internal.Frames;
import dev.chainkit.transport.netty.internal.Handshake;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * WebSocket on the listening port, tested with a client this project did not write: the JDK's
 * {@link java.net.http.WebSocket}. The frames inside the binary messages are the same as over TCP.
 */
class WebSocketTest {

    private static final NodeId SERVER = id("server");
    private static final NodeId PHONE = id("phone");
    private final NodeSecrets secrets = NodeSecrets.generate(List.of(SERVER, PHONE));

    @Test
    void aJdkWebSocketClientAuthenticatesAndCompletesAChain() throws Exception {
        Echo.Recording responder = new Echo.Recording();
        HttpClient http = HttpClient.newHttpClient();
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                    .register(Echo.PROTOCOL, responder).settings(FAST).listen(anyPort()).start());
            Received received = new Received();
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3))
                    .buildAsync(uri(server, "/chainkit"), received).get(5, TimeUnit.SECONDS);
            byte[] nonce = Handshake.nonce();
            WireWriter hello = new WireWriter();
            Handshake.write(new Handshake.Hello(1, 1, PHONE, 3, nonce), hello);
            send(ws, frames(Frames.HELLO, hello.toByteArray()));
            RawPeer.Frame challengeFrame = received.next();
            assertEquals(Frames.CHALLENGE, challengeFrame.type());
            Handshake.Challenge challenge = Handshake.readChallenge(challengeFrame.reader());
            byte[] transcript = Handshake.transcript(1, PHONE, 3, nonce, SERVER, challenge.incarnation(),
                    challenge.nonce());
            send(ws, frames(Frames.PROOF, Handshake.dialerProof(secrets, PHONE, transcript).orElseThrow()));
            assertEquals(Frames.WELCOME, received.next().type());
            WireWriter env = new WireWriter();
            new EnvelopeCodec(CodecRegistry.of(Echo.CODEC)).encode(new Envelope("echo", new ChainId(PHONE, 3, 1), 0,
                    PHONE, 3, SERVER, 0, EnvelopeKind.STEP, new Echo.Ask(42, "over websocket")), env);
            byte[] frame = frames(Frames.ENVELOPE, env.toByteArray());
            send(ws, java.util.Arrays.copyOf(frame, 5));
            send(ws, java.util.Arrays.copyOfRange(frame, 5, frame.length));
            RawPeer.Frame answer = received.next();
            assertEquals(Frames.ENVELOPE, answer.type());
            Envelope reply = new EnvelopeCodec(CodecRegistry.of(Echo.CODEC)).decode(answer.reader(),
                    new EnvelopeCodec.Names(PHONE, SERVER));
            assertEquals(new Echo.Answer(42, "over websocket"), reply.payload());
            assertEquals(EnvelopeKind.TERMINAL, reply.kind());
            assertEquals(List.of("phone/3/1#0"), List.copyOf(responder.handled));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            Loopback.await("link down", Duration.ofSeconds(5), () -> server.linkedPeers().isEmpty());
        }
    }

    @Test
    void aTextMessageAndAPlainRequestAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(SERVER, 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST).listen(anyPort()).start());
            WebSocket ws = http.newWebSocketBuilder().buildAsync(uri(server, "/chainkit"), new Received())
                    .get(5, TimeUnit.SECONDS);
            ws.sendText("hello?", true).get(5, TimeUnit.SECONDS);
            Loopback.await("UNEXPECTED_FRAME", Duration.ofSeconds(5),
                    () -> server.stats().closed(CloseReason.UNEXPECTED_FRAME) == 1);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.localAddress().getPort() + "/index.html")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, page.statusCode());
            Loopback.await("BAD_UPGRADE", Duration.ofSeconds(5),
                    () -> server.stats().closed(CloseReason.BAD_UPGRADE) == 1);
        }
    }

    private static URI uri(NettyNode server, String path) {
        return URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + path);
    }

    private static void send(WebSocket ws, byte[] bytes) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
    }

    private static byte[] frames(int type, byte[] body) {
        return new WireWriter().writeInt(body.length + 2).writeByte(1).writeByte(type).writeBytes(body).toByteArray();
    }

    /** Collects binary messages into a byte stream and cuts it into frames. */
    static final class Received implements WebSocket.Listener {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final BlockingQueue<RawPeer.Frame> frames = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (pending) {
                pending.writeBytes(b);
                byte[] all = pending.toByteArray();
                WireReader r = new WireReader(all);
                int used = 0;
                while (r.remaining() >= 4) {
                    int length = r.readInt();
                    if (r.remaining() < length) {
                        break;
                    }
                    r.readByte();
                    int type = r.readByte();
                    frames.add(new RawPeer.Frame(type, r.readBytes(length - 2)));
                    used = r.position();
                }
                pending.reset();
                pending.write(all, used, all.length - used);
            }
            webSocket.request(1);
            return null;
        }

        RawPeer.Frame next() throws InterruptedException {
            RawPeer.Frame f;
            do {
                f = frames.poll(5, TimeUnit.SECONDS);
                assertNotNull(f, "no frame within 5 s");
            } while (f.type() == Frames.HEARTBEAT);
            return f;
        }
    }
}
