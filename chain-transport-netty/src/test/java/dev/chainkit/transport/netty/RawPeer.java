package dev.chainkit.transport.netty;

import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.internal.EnvelopeCodec;
import dev.chainkit.transport.netty.internal.Frames;
import dev.chainkit.transport.netty.internal.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/**
 * A hand-driven peer on a plain blocking socket (loopback only): it writes whatever frames or bytes a test wants,
 * honest or not, records what it sent so it can be replayed, and reads what comes back. Every read has a 3 s
 * timeout.
 */
final class RawPeer implements AutoCloseable {

    /** A frame read back. */
    record Frame(int type, byte[] body) {
        WireReader reader() {
            return new WireReader(body);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    byte[] nonce;
    byte[] transcript;
    Handshake.Challenge challenge;

    RawPeer(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 3000);
        socket.setSoTimeout(3000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes raw bytes (recorded). */
    void sendBytes(byte[] bytes) throws IOException {
        sent.write(bytes);
        out.write(bytes);
        out.flush();
    }

    /** Writes a frame of {@code type} with {@code body}. */
    void send(int type, byte[] body) throws IOException {
        WireWriter w = new WireWriter().writeInt(body.length + 2).writeByte(Frames.MAX_VERSION).writeByte(type)
                .writeBytes(body);
        sendBytes(w.toByteArray());
    }

    /** Everything written so far. */
    byte[] sent() {
        return sent.toByteArray();
    }

    static {
        Handshake.nonce();   // the first secure random draw of a JVM can take a while: not inside a handshake
    }

    /** Reads one frame, skipping heartbeats; null at the end of the stream (or a reset). */
    Frame read() throws IOException {
        try {
            while (true) {
                int length = in.readInt();
                in.readUnsignedByte();
                int type = in.readUnsignedByte();
                byte[] body = new byte[length - 2];
                in.readFully(body);
                if (type != Frames.HEARTBEAT) {
                    return new Frame(type, body);
                }
            }
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /** Sends HELLO as {@code self} and reads the CHALLENGE (null if refused: then {@link #closeReason} says why). */
    Frame hello(NodeId self, long incarnation) throws IOException {
        nonce = Handshake.nonce();
        return hello(self, incarnation, nonce);
    }

    /** Sends HELLO with a given nonce and reads the answer. */
    Frame hello(NodeId self, long incarnation, byte[] helloNonce) throws IOException {
        this.nonce = helloNonce;
        WireWriter w = new WireWriter();
        Handshake.write(new Handshake.Hello(Frames.MIN_VERSION, Frames.MAX_VERSION, self, incarnation, helloNonce), w);
        send(Frames.HELLO, w.toByteArray());
        Frame f = read();
        if (f != null && f.type() == Frames.CHALLENGE) {
            challenge = Handshake.readChallenge(f.reader());
            transcript = Handshake.transcript(challenge.version(), self, incarnation, helloNonce, challenge.node(),
                    challenge.incarnation(), challenge.nonce());
        }
        return f;
    }

    /** Sends the proof {@code secrets} make for {@code self}, and reads the answer (WELCOME or CLOSE). */
    Frame prove(NodeSecrets secrets, NodeId self) throws IOException {
        send(Frames.PROOF, Handshake.dialerProof(secrets, self, transcript).orElseThrow());
        return read();
    }

    /** A full honest handshake; fails unless it ends in WELCOME. */
    RawPeer authenticate(NodeSecrets secrets, NodeId self, long incarnation) throws IOException {
        Frame c = hello(self, incarnation);
        if (c == null || c.type() != Frames.CHALLENGE) {
            throw new AssertionError("expected CHALLENGE, got " + describe(c));
        }
        Frame w = prove(secrets, self);
        if (w == null || w.type() != Frames.WELCOME) {
            throw new AssertionError("expected WELCOME, got " + describe(w));
        }
        return this;
    }

    /** Sends {@code e} as an ENVELOPE frame, encoded with {@code codecs}. */
    void send(Envelope e, CodecRegistry codecs) throws IOException {
        WireWriter w = new WireWriter();
        if (!new EnvelopeCodec(codecs).encode(e, w)) {
            throw new AssertionError("no codec for " + e.protocol());
        }
        send(Frames.ENVELOPE, w.toByteArray());
    }

    /** Reads frames until an ENVELOPE frame and decodes it with {@code codecs}; fails at a CLOSE or the end. */
    Envelope readEnvelope(CodecRegistry codecs) throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.type() == Frames.ENVELOPE) {
                return new EnvelopeCodec(codecs).decode(f.reader(), new EnvelopeCodec.Names(null, null));
            }
            if (f.type() == Frames.CLOSE) {
                throw new AssertionError("expected an envelope, got " + describe(f));
            }
        }
        throw new AssertionError("expected an envelope, got the end of the stream");
    }

    /** Reads until a CLOSE frame or the end; the reason a CLOSE frame gave, or null if none came. */
    CloseReason closeReason() throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.type() == Frames.CLOSE) {
                return CloseReason.ofCode(f.reader().readByte());
            }
        }
        return null;
    }

    static String describe(Frame f) {
        if (f == null) {
            return "the end of the stream";
        }
        if (f.type() == Frames.CLOSE) {
            WireReader r = f.reader();
            return "CLOSE " + CloseReason.ofCode(r.readByte()) + ": " + r.readString();
        }
        return Frames.name(f.type());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
