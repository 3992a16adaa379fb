package dev.chainkit.sim.internal;

/**
 * Derives independent random seeds from one run seed, so every random choice of a run is fixed by that seed: the
 * network's, each node incarnation's retransmission jitter and its application's, and a property check's
 * schedule. Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class Seeding {

    /** Salt of the network's random faults. */
    public static final long NETWORK = 0x6E6574776F726BL;
    /** Salt of a node's engine (retransmission jitter). */
    public static final long ENGINE = 0x656E67696E65L;
    /** Salt of a node's application random source. */
    public static final long APP = 0x617070L;
    /** Salt of a property check's schedule generator. */
    public static final long SCHEDULE = 0x7363686564756C65L;

    private Seeding() {
    }

    /** The SplitMix64 finalizer: a bijective mix of all 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for {@code salt} within the run seeded by {@code seed}. */
    public static long derive(long seed, long salt) {
        return mix(mix(seed) ^ salt);
    }

    /** A seed for one node incarnation's {@code salt} within the run seeded by {@code seed}. */
    public static long derive(long seed, long salt, String nodeName, long incarnation) {
        return mix(derive(seed, salt) + nodeName.hashCode() * 0x9E3779B97F4A7C15L + incarnation);
    }
}
