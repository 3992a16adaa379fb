package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.NodeSecrets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The handshake's messages and proofs, free of any network code. Not API.
 *
 * <h2>Design notes</h2>
 * <pre>
 * dialer                                                  acceptor
 *   HELLO     magic "CKIT", min version, max version,
 *             dialer id, dialer incarnation, nonce_d (32)  ------>
 *                                                         checks: magic, versions, dialer known, nonce_d unseen
 *             &lt;------ CHALLENGE magic, version, acceptor id, acceptor incarnation, nonce_a (32),
 *                               proof_a = HMAC(K_dialer, "chainkit acceptor" | transcript)
 *   checks: acceptor is the node dialed, proof_a, incarnation not stale
 *   PROOF     proof_d = HMAC(K_dialer, "chainkit dialer" | transcript)  ------>
 *                                                         checks: proof_d, incarnation not stale, link admitted
 *             &lt;------ WELCOME (or CLOSE with a reason)
 * transcript = version | dialer id | dialer incarnation | nonce_d | acceptor id | acceptor incarnation | nonce_a
 * </pre>
 * <ul>
 *   <li><b>Challenge-response keyed with the dialer's secret.</b> Only a holder of {@code K_dialer} can compute
 *   {@code proof_d} over the acceptor's fresh nonce, so a recorded handshake replayed later fails (and a reused
 *   {@code nonce_d} is refused before that). The secret never crosses the wire.</li>
 *   <li><b>Mutual.</b> {@code proof_a} shows the dialer that the acceptor holds its secret too (it is in the
 *   deployment's secrets file), so a client never speaks to an impostor server. Distinct labels keep one side's
 *   proof from ever serving as the other's.</li>
 *   <li><b>Bound to both identities and incarnations.</b> The transcript covers every field either side claims, so
 *   nothing can be swapped in transit without breaking both proofs.</li>
 *   <li><b>Limits.</b> Without TLS the handshake authenticates the connection's ends when it is made; it does not
 *   protect the bytes that follow from someone who can rewrite TCP traffic. Turn TLS on where the network is not
 *   trusted.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; the secure random source is thread-safe.
 */
public final class Handshake {

    /** Bytes of each side's nonce. */
    public static final int NONCE_BYTES = 32;
    /** Bytes of a proof (HMAC-SHA256). */
    public static final int PROOF_BYTES = 32;

    private static final byte[] MAGIC = {'C', 'K', 'I', 'T'};
    private static final byte[] ACCEPTOR_LABEL = "chainkit acceptor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DIALER_LABEL = "chainkit dialer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    /** The dialer's opening. */
    public record Hello(int minVersion, int maxVersion, NodeId node, long incarnation, byte[] nonce) { }

    /** The acceptor's answer. */
    public record Challenge(int version, NodeId node, long incarnation, byte[] nonce, byte[] proof) { }

    /** A fresh random nonce. */
    public static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** Writes a hello body. */
    public static void write(Hello h, WireWriter out) {
        out.writeBytes(MAGIC).writeByte(h.minVersion()).writeByte(h.maxVersion()).writeString(h.node().name())
                .writeVarLong(h.incarnation()).writeBytes(h.nonce());
    }

    /** Writes a challenge body. */
    public static void write(Challenge c, WireWriter out) {
        out.writeBytes(MAGIC).writeByte(c.version()).writeString(c.node().name()).writeVarLong(c.incarnation())
                .writeBytes(c.nonce()).writeBytes(c.proof());
    }

    /**
     * Reads a hello body.
     *
     * @throws BadMagicException if it does not start with the magic
     * @throws WireFormatException if it does not decode
     */
    public static Hello readHello(WireReader in) {
        magic(in);
        int min = in.readByte();
        int max = in.readByte();
        NodeId node = nodeId(in);
        long incarnation = incarnation(in);
        Hello h = new Hello(min, max, node, incarnation, in.readBytes(NONCE_BYTES));
        in.expectEnd();
        return h;
    }

    /**
     * Reads a challenge body.
     *
     * @throws BadMagicException if it does not start with the magic
     * @throws WireFormatException if it does not decode
     */
    public static Challenge readChallenge(WireReader in) {
        magic(in);
        int version = in.readByte();
        NodeId node = nodeId(in);
        long incarnation = incarnation(in);
        Challenge c = new Challenge(version, node, incarnation, in.readBytes(NONCE_BYTES), in.readBytes(PROOF_BYTES));
        in.expectEnd();
        return c;
    }

    /**
     * Reads a proof body.
     *
     * @throws WireFormatException if it is not exactly one proof
     */
    public static byte[] readProof(WireReader in) {
        byte[] p = in.readBytes(PROOF_BYTES);
        in.expectEnd();
        return p;
    }

    /**
     * The version both ranges share (the highest), or -1 when they share none.
     */
    public static int negotiate(int theirMin, int theirMax) {
        int v = Math.min(theirMax, Frames.MAX_VERSION);
        return v >= Math.max(theirMin, Frames.MIN_VERSION) ? v : -1;
    }

    /** The bytes both proofs cover. */
    public static byte[] transcript(int version, NodeId dialer, long dialerIncarnation, byte[] dialerNonce,
            NodeId acceptor, long acceptorIncarnation, byte[] acceptorNonce) {
        return new WireWriter(160).writeByte(version).writeString(dialer.name()).writeVarLong(dialerIncarnation)
                .writeBytes(dialerNonce).writeString(acceptor.name()).writeVarLong(acceptorIncarnation)
                .writeBytes(acceptorNonce).toByteArray();
    }

    /** The acceptor's proof, or empty when the dialer has no secret in {@code secrets}. */
    public static Optional<byte[]> acceptorProof(NodeSecrets secrets, NodeId dialer, byte[] transcript) {
        return secrets.sign(dialer, labelled(ACCEPTOR_LABEL, transcript));
    }

    /** The dialer's proof, or empty when the dialer has no secret in {@code secrets}. */
    public static Optional<byte[]> dialerProof(NodeSecrets secrets, NodeId dialer, byte[] transcript) {
        return secrets.sign(dialer, labelled(DIALER_LABEL, transcript));
    }

    /** Compares two proofs in constant time. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] labelled(byte[] label, byte[] transcript) {
        byte[] m = Arrays.copyOf(label, label.length + transcript.length);
        System.arraycopy(transcript, 0, m, label.length, transcript.length);
        return m;
    }

    private static void magic(WireReader in) {
        if (in.remaining() < MAGIC.length || !Arrays.equals(in.readBytes(MAGIC.length), MAGIC)) {
            throw new BadMagicException();
        }
    }

    private static NodeId nodeId(WireReader in) {
        int at = in.position();
        String name = in.readString();
        try {
            return NodeId.of(name);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(at, e.getMessage());
        }
    }

    private static long incarnation(WireReader in) {
        int at = in.position();
        long inc = in.readVarLong();
        if (inc < 1) {
            throw new WireFormatException(at, "incarnation must be at least 1, got " + inc);
        }
        return inc;
    }

    /** The first bytes are not a chainkit handshake. */
    public static final class BadMagicException extends WireFormatException {
        BadMagicException() {
            super(0, "not a chainkit handshake (expected the magic 'CKIT')");
        }
    }
}
