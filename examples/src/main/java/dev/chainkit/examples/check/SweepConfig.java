package dev.chainkit.examples.check;

import java.time.Duration;
import java.util.Objects;

/**
 * What a property sweep of the tournament sync may draw, seed by seed: how many servers and clients, how many ops,
 * how lossy, duplicating and slow the network may be, how lossy the store's hints between several servers may be,
 * and whether partitions and crashes (of any node, servers included) happen. Every value is a range or a maximum;
 * each seed draws its own configuration within it ({@link ClusterShape#draw}, {@link TournamentSyncCheck}), so one
 * sweep covers the whole range.
 *
 * <p>{@link #defaults()} is the range: one server, 1 to 4 clients, up to 30 ops, loss up to 0.4,
 * duplication up to 0.2, latency 1 ms up to 100 ms, partitions and crashes on. {@link #severalServers()} is the
 * scale-out issue's: 2 or 3 servers sharing one store, hints lost with a probability up to 0.5, the rest as the
 * defaults.
 *
 * <p>Thread safety: immutable; every {@code withX} returns a changed copy.
 *
 * @param minClients the fewest clients a seed draws, 1 or more
 * @param maxClients the most clients a seed draws, from {@code minClients} to {@link #MAX_CLIENTS}
 * @param maxOps the most local ops a seed's users make (each seed makes 1 to this many), 1 to {@link #MAX_OPS}
 * @param maxLoss the highest probability in [0, 1] that the network loses a message until calm
 * @param maxDuplicate the highest probability in [0, 1] that the network delivers a message twice until calm
 * @param maxLatency the slowest a link may be: each seed's latency runs from 1 ms to a value drawn up to this
 * @param partitions whether seeds may cut the network in two (always healed by the end of the schedule)
 * @param crashes whether seeds may crash nodes, the server included (always restarted by the end)
 * @param minServers the fewest servers a seed draws, 1 or more
 * @param maxServers the most servers a seed draws, from {@code minServers} to {@link #MAX_SERVERS}; several share
 *     one store
 * @param maxHintLoss the highest probability in [0, 1] that a hint between servers is lost until calm
 */
public record SweepConfig(int minClients, int maxClients, int maxOps, double maxLoss, double maxDuplicate,
        Duration maxLatency, boolean partitions, boolean crashes, int minServers, int maxServers,
        double maxHintLoss) {

    /** The most servers a sweep can have (their names are {@code s1}, {@code s2}, ...; one is {@code hq}). */
    public static final int MAX_SERVERS = 4;
    /** The most clients a sweep can have (their names are {@code a}, {@code b}, ...). */
    public static final int MAX_CLIENTS = 8;
    /**
     * The most ops one seed can make: a run's checks cost what its ops change, not what its logs hold, so a seed of
     * 2,000 ops plays in about a second.
     */
    public static final int MAX_OPS = 2000;

    private static final SweepConfig DEFAULTS = new SweepConfig(1, 4, 30, 0.4, 0.2, Duration.ofMillis(100), true,
            true, 1, 1, 0);

    /**
     * @throws NullPointerException if {@code maxLatency} is null
     * @throws IllegalArgumentException if a value is out of its range (each message says which and why)
     */
    public SweepConfig {
        if (minClients < 1 || maxClients < minClients || maxClients > MAX_CLIENTS) {
            throw new IllegalArgumentException("clients must satisfy 1 <= min <= max <= " + MAX_CLIENTS + ", got "
                    + minClients + ".." + maxClients);
        }
        if (maxOps < 1 || maxOps > MAX_OPS) {
            throw new IllegalArgumentException("max ops must be from 1 to " + MAX_OPS + ", got " + maxOps);
        }
        probability(maxLoss, "loss");
        probability(maxDuplicate, "duplicate");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (maxLatency.toMillis() < 1) {
            throw new IllegalArgumentException("max latency must be at least 1ms, got " + maxLatency);
        }
        if (minServers < 1 || maxServers < minServers || maxServers > MAX_SERVERS) {
            throw new IllegalArgumentException("servers must satisfy 1 <= min <= max <= " + MAX_SERVERS + ", got "
                    + minServers + ".." + maxServers);
        }
        probability(maxHintLoss, "hint loss");
    }

    /**
     * A config of the sweep's range before several servers: {@code minServers = maxServers = 1}, no hint loss.
     *
     * @throws NullPointerException if {@code maxLatency} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public SweepConfig(int minClients, int maxClients, int maxOps, double maxLoss, double maxDuplicate,
            Duration maxLatency, boolean partitions, boolean crashes) {
        this(minClients, maxClients, maxOps, maxLoss, maxDuplicate, maxLatency, partitions, crashes, 1, 1, 0);
    }

    /** The range: 1 to 4 clients, up to 30 ops, loss up to 0.4, duplication up to 0.2, latency 1..100 ms. */
    public static SweepConfig defaults() {
        return DEFAULTS;
    }

    /** The scale-out range: 2 or 3 servers sharing one store, hint loss up to 0.5, the rest as {@link #defaults()}. */
    public static SweepConfig severalServers() {
        return DEFAULTS.withServers(2, 3).withMaxHintLoss(0.5);
    }

    /** Each seed draws from {@code min} to {@code max} servers. @throws IllegalArgumentException if out of range */
    public SweepConfig withServers(int min, int max) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, maxDuplicate, maxLatency, partitions, crashes,
                min, max, maxHintLoss);
    }

    /** The highest probability that a hint is lost. @throws IllegalArgumentException if outside [0, 1] */
    public SweepConfig withMaxHintLoss(double max) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, maxDuplicate, maxLatency, partitions, crashes,
                minServers, maxServers, max);
    }

    /** Exactly {@code clients} clients in every seed. @throws IllegalArgumentException if out of range */
    public SweepConfig withClients(int clients) {
        return withClients(clients, clients);
    }

    /** Each seed draws from {@code min} to {@code max} clients. @throws IllegalArgumentException if out of range */
    public SweepConfig withClients(int min, int max) {
        return new SweepConfig(min, max, maxOps, maxLoss, maxDuplicate, maxLatency, partitions, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** Each seed makes 1 to {@code max} ops. @throws IllegalArgumentException if out of range */
    public SweepConfig withMaxOps(int max) {
        return new SweepConfig(minClients, maxClients, max, maxLoss, maxDuplicate, maxLatency, partitions, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** The highest loss probability. @throws IllegalArgumentException if outside [0, 1] */
    public SweepConfig withMaxLoss(double max) {
        return new SweepConfig(minClients, maxClients, maxOps, max, maxDuplicate, maxLatency, partitions, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** The highest duplication probability. @throws IllegalArgumentException if outside [0, 1] */
    public SweepConfig withMaxDuplicate(double max) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, max, maxLatency, partitions, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** The slowest a link may be. @throws IllegalArgumentException if shorter than 1 ms */
    public SweepConfig withMaxLatency(Duration max) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, maxDuplicate, max, partitions, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** Whether seeds may partition the network. */
    public SweepConfig withPartitions(boolean enabled) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, maxDuplicate, maxLatency, enabled, crashes,
                minServers, maxServers, maxHintLoss);
    }

    /** Whether seeds may crash and restart nodes. */
    public SweepConfig withCrashes(boolean enabled) {
        return new SweepConfig(minClients, maxClients, maxOps, maxLoss, maxDuplicate, maxLatency, partitions,
                enabled, minServers, maxServers, maxHintLoss);
    }

    private static void probability(double p, String what) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("max " + what + " must be a probability from 0 to 1, got " + p);
        }
    }

    @Override
    public String toString() {
        return (maxServers == 1 ? "" : "servers=" + (minServers == maxServers ? Integer.toString(minServers)
                : minServers + ".." + maxServers) + " hint-loss<=" + maxHintLoss + " ")
                + "clients=" + (minClients == maxClients ? Integer.toString(minClients) : minClients + ".." + maxClients)
                + " ops<=" + maxOps + " loss<=" + maxLoss + " duplicate<=" + maxDuplicate + " latency=1ms.."
                + maxLatency.toMillis() + "ms partitions=" + (partitions ? "on" : "off") + " crashes="
                + (crashes ? "on" : "off");
    }
}
