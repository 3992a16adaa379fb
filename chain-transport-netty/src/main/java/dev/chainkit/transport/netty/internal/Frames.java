package dev.chainkit.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame layer's constants and writers. A frame is {@code length:u32 | version:u8 | type:u8 | body}, where the
 * length counts the bytes after itself (so at least 2). Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class Frames {

    /** The wire-format versions this build speaks. */
    public static final int MIN_VERSION = 1;
    /** The wire-format versions this build speaks. */
    public static final int MAX_VERSION = 1;

    /** Dialer to acceptor: magic, version range, node id, incarnation, nonce. */
    public static final int HELLO = 1;
    /** Acceptor to dialer: magic, chosen version, node id, incarnation, nonce, acceptor's proof. */
    public static final int CHALLENGE = 2;
    /** Dialer to acceptor: the dialer's proof. */
    public static final int PROOF = 3;
    /** Acceptor to dialer: the link is up. Empty body. */
    public static final int WELCOME = 4;
    /** Either way, at any time: reason code and detail, then the sender closes. */
    public static final int CLOSE = 5;
    /** Either way, on a link: nothing to say, still alive. Empty body. */
    public static final int HEARTBEAT = 6;
    /** Either way, on a link: one envelope. */
    public static final int ENVELOPE = 7;

    /** Bytes before a frame's body: length, version, type. */
    public static final int HEADER_BYTES = 6;
    /** The largest frame accepted before the handshake completes: a handshake frame is well under this. */
    public static final int HANDSHAKE_MAX_FRAME = 1024;

    private Frames() {
    }

    /** A frame of {@code type} with the first {@code length} bytes of {@code body}. */
    public static ByteBuf frame(ByteBufAllocator alloc, int version, int type, byte[] body, int length) {
        return write(alloc.ioBuffer(HEADER_BYTES + length), version, type, body, length);
    }

    /**
     * Appends a frame of {@code type} with the first {@code length} bytes of {@code body} to {@code buf}.
     *
     * @return {@code buf}
     */
    public static ByteBuf write(ByteBuf buf, int version, int type, byte[] body, int length) {
        return buf.writeInt(length + 2).writeByte(version).writeByte(type).writeBytes(body, 0, length);
    }

    /** A frame of {@code type} with an empty body. */
    public static ByteBuf empty(ByteBufAllocator alloc, int version, int type) {
        return alloc.ioBuffer(HEADER_BYTES).writeInt(2).writeByte(version).writeByte(type);
    }

    /** The name of a frame type, for logs. */
    public static String name(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case CHALLENGE -> "CHALLENGE";
            case PROOF -> "PROOF";
            case WELCOME -> "WELCOME";
            case CLOSE -> "CLOSE";
            case HEARTBEAT -> "HEARTBEAT";
            case ENVELOPE -> "ENVELOPE";
            default -> "type " + type;
        };
    }

    /** Whether {@code type} is a frame type this build knows. */
    public static boolean known(int type) {
        return type >= HELLO && type <= ENVELOPE;
    }
}
