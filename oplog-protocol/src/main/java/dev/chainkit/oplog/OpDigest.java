package dev.chainkit.oplog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The fingerprint of an operation's content, kept beside its id so that an id that comes back naming a different op
 * is recognised ("op identity"): a client whose store was rolled back may name a new op {@code c.1} again, and the
 * server must refuse it rather than drop it as a duplicate of the {@code c.1} it has.
 *
 * <p><b>What counts as content</b>: the payload's text form ({@link PayloadCodec#encode}) and {@code createdAtMs}.
 * The id is the key the digest is kept under, not part of it. The author is left out on purpose: a server takes an
 * op's author and role from the authenticated node that sent it and from its membership, not from the op, so the
 * author is not something the sender chooses, and a role that changed between two sends of one op must not make the
 * op "different". An op id is only ever sent again by its own author's node.
 *
 * <p>The digest is the lowercase hex SHA-256 of {@code createdAtMs} in decimal, a line feed, and the payload text in
 * UTF-8. Once shipped, this form never changes: stores keep it on disk.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class OpDigest {

    private OpDigest() {
    }

    /**
     * Returns the digest of {@code op}'s content.
     *
     * @param op the operation
     * @param codec the domain's payload codec
     * @param <P> the payload type
     * @return 64 lowercase hex characters
     * @throws NullPointerException if an argument is null
     */
    public static <P> String of(Operation<P> op, PayloadCodec<P> codec) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(codec, "codec");
        return of(op.createdAtMs(), codec.encode(op.payload()));
    }

    /**
     * Returns the digest of an op's content given in its stored form.
     *
     * @param createdAtMs the op's creation time, in milliseconds
     * @param payloadText the payload's text form
     * @return 64 lowercase hex characters
     * @throws NullPointerException if {@code payloadText} is null
     */
    public static String of(long createdAtMs, String payloadText) {
        Objects.requireNonNull(payloadText, "payloadText");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
        sha.update(Long.toString(createdAtMs).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(payloadText.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Tells whether two ops with the same id have the same content.
     *
     * @param a one op
     * @param b another op
     * @param codec the domain's payload codec
     * @param <P> the payload type
     * @return true if their digests are equal
     * @throws NullPointerException if an argument is null
     */
    public static <P> boolean sameContent(Operation<P> a, Operation<P> b, PayloadCodec<P> codec) {
        return a.createdAtMs() == b.createdAtMs() && of(a, codec).equals(of(b, codec));
    }
}
