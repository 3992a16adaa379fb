package dev.chainkit.examples.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Decide;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The cluster one seed of a sweep runs: the server {@code hq}, its clients {@code a}, {@code b}, ... with their
 * users' roles and habits (a judge or a player, {@code decide=skip} or {@code purge}, a thinking time), and how
 * long the schedule's span ({@code horizon}) is. Drawn from the seed alone ({@link #draw}), so a seed always
 * names the same cluster, and written into a failure's scenario file as its {@code server} and {@code client}
 * lines.
 *
 * <p>Thread safety: immutable.
 *
 * @param server the server, whose user is the organizer
 * @param clients the clients, in order
 * @param horizon the span in which the schedule's ops and faults happen; faults calm at its end
 */
public record ClusterShape(ServerSpec server, List<ClientSpec> clients, Duration horizon) {

    /** The server's name in every sweep. */
    public static final String SERVER = "hq";
    /** The longest a user thinks about a conflict before answering, in milliseconds. */
    public static final long MAX_THINK_MS = 300;

    private static final long SALT = 0x636C7573746572L;
    private static final Duration[] HORIZONS = {Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(40)};

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if there is no client or the horizon is shorter than 1 ms
     */
    public ClusterShape {
        Objects.requireNonNull(server, "server");
        clients = List.copyOf(clients);
        Objects.requireNonNull(horizon, "horizon");
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one client");
        }
        if (horizon.toMillis() < 1) {
            throw new IllegalArgumentException("horizon must be at least 1ms, got " + horizon);
        }
    }

    /**
     * The cluster of {@code seed}: a client count in the config's range; each client a judge (three in four) or
     * the player {@code p<i>} for its position {@code i}; answering conflicts {@code skip} (seven in ten) or
     * {@code purge}; answering at once (two in three) or after up to {@value #MAX_THINK_MS} ms; a horizon of 2 s
     * (most seeds: much concurrency, many conflicts), 8 s or 40 s (partitions long enough for chains to time out).
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static ClusterShape draw(SweepConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ SALT);
        int count = config.minClients() + random.nextInt(config.maxClients() - config.minClients() + 1);
        List<ClientSpec> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Role role = random.nextInt(4) == 0 ? Role.player(playerOf(i)) : Role.judge();
            Decide decide = random.nextInt(10) < 7 ? Decide.SKIP : Decide.PURGE;
            Duration think = random.nextInt(3) < 2 ? Duration.ZERO
                    : Duration.ofMillis(1 + random.nextLong(MAX_THINK_MS));
            clients.add(new ClientSpec(clientName(i), role, decide, think));
        }
        int h = random.nextInt(20);
        Duration horizon = HORIZONS[h < 12 ? 0 : h < 17 ? 1 : 2];
        return new ClusterShape(ServerSpec.organizer(SERVER), clients, horizon);
    }

    /** The name of the client at {@code index}: {@code a}, {@code b}, ... */
    static String clientName(int index) {
        return String.valueOf((char) ('a' + index));
    }

    /** The player a client at {@code index} plays when its role is a player: {@code p1}, {@code p2}, ... */
    static String playerOf(int index) {
        return "p" + (index + 1);
    }

    /** Every node's name, the server first. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        names.add(server.name());
        clients.forEach(c -> names.add(c.name()));
        return names;
    }

    /** Every node's id, the server first. */
    public List<NodeId> nodeIds() {
        return nodeNames().stream().map(NodeId::of).toList();
    }

    /** The spec of the client {@code name}, or null if it is not a client. */
    ClientSpec client(String name) {
        for (ClientSpec c : clients) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The role of the user of node {@code name}. @throws IllegalArgumentException if there is no such node */
    Role roleOf(String name) {
        if (server.name().equals(name)) {
            return server.role();
        }
        ClientSpec c = client(name);
        if (c == null) {
            throw new IllegalArgumentException("no node " + name + " in " + nodeNames());
        }
        return c.role();
    }

    /** The longest thinking time of any client. */
    Duration maxThink() {
        return clients.stream().map(ClientSpec::think).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
