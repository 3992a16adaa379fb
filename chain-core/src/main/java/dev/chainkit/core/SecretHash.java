package dev.chainkit.core;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A keyed hash with a secret key per node: SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012; the variant Rust's and CPython's hash tables use). Not API.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Why a secret.</b> Peers choose their own chain ids and, within what the transport authenticates, their
 *   names. A public hash ({@code String.hashCode}, {@code Long.hashCode}, any fixed mix) lets a peer pick thousands
 *   of ids that share one slot of a node's tables, and every later lookup walks all of them: 120k openings then cost
 *   36.5 s instead of 0.42 s (issue 10). A seed mixed into a weak hash does not help: "Aa" and "BB" collide under
 *   {@code h = 31 h + c} whatever the starting value. SipHash is a pseudo-random function of its key, so without the
 *   key a peer cannot tell which of its ids collide, not even by timing lookups.</li>
 *   <li><b>Where.</b> Node names are hashed once per envelope ({@link #hash(String)}), by the peer table. Each peer
 *   record keeps its name's hash, and a chain key (incarnation, sequence) is hashed with the key changed by that
 *   value ({@link #hash(long, long, long)}), so the tables of chains need no string work.</li>
 *   <li><b>Cost.</b> One 16-byte message is two compression rounds and three finalization rounds of four additions,
 *   rotations and xors each: some 20 ns, a few percent of a chain's cost on the responder (P1 in
 *   docs/BENCHMARKS.md).</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 */
final class SecretHash {

    /**
     * The process's secret, from the system's secure random source once: each node's key is derived from it by the
     * hash itself (a pseudo-random function), so nodes draw keys without a lock or a system call, and without the
     * secret a peer can no more predict a node's key than the secret.
     */
    private static final SecretHash MASTER = fromSecureRandom();
    private static final AtomicLong NODES = new AtomicLong();

    private final long k0;
    private final long k1;

    /** A hash with the key {@code (k0, k1)}; tests use a known key to show what a known key would allow. */
    SecretHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** A hash with a fresh secret key, derived from the process's secret (see {@link #MASTER}). */
    static SecretHash random() {
        long n = NODES.incrementAndGet();
        return new SecretHash(MASTER.hash(0, n, 1), MASTER.hash(0, n, 2));
    }

    private static SecretHash fromSecureRandom() {
        SecureRandom source = new SecureRandom();
        return new SecretHash(source.nextLong(), source.nextLong());
    }

    /** The hash of {@code s}: SipHash-1-3 of its UTF-16LE bytes. */
    long hash(String s) {
        return sip(k0, s, 0, 0);
    }

    /**
     * The hash of the 16-byte message {@code a, b} (little-endian) under this key changed by {@code salt}: the
     * hash of a chain key within one peer, {@code salt} being the peer's name hash.
     */
    long hash(long salt, long a, long b) {
        return sip(k0 ^ salt, null, a, b);
    }

    /**
     * SipHash-1-3 under the key {@code (key0, k1)} of the UTF-16LE bytes of {@code s}, or of the words {@code a, b}
     * when {@code s} is null: one compression round per 8-byte block, the last block carrying the length in its top
     * byte, then three finalization rounds.
     */
    private long sip(long key0, String s, long a, long b) {
        int blocks = s == null ? 2 : s.length() >>> 2;
        long last;
        if (s == null) {
            last = 16L << 56;
        } else {
            last = (long) (2 * s.length()) << 56;
            for (int i = blocks * 4; i < s.length(); i++) {
                last |= (long) s.charAt(i) << (16 * (i - blocks * 4));
            }
        }
        long v0 = key0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = key0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        for (int i = 0; i <= blocks + 3; i++) {
            long m;
            if (i < blocks) {
                m = s == null ? (i == 0 ? a : b) : s.charAt(4 * i) | (long) s.charAt(4 * i + 1) << 16
                        | (long) s.charAt(4 * i + 2) << 32 | (long) s.charAt(4 * i + 3) << 48;
            } else {
                m = i == blocks ? last : 0;
            }
            if (i == blocks + 1) {
                v2 ^= 0xff;
            }
            v3 ^= m;
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
