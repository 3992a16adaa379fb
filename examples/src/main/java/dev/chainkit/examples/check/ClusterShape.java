package dev.chainkit.examples.check;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Decide;
import dev.chainkit.examples.scenario.Hints;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.oplog.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The cluster one seed of a sweep runs: the server {@code hq} (or several, {@code s1}, {@code s2}, ..., sharing one
 * store, with how their hints travel), its clients {@code a}, {@code b}, ... with their users' roles and habits (a
 * judge or a player, {@code decide=skip} or {@code purge}, a thinking time, the servers they use), how long the
 * users make ops and the ordinary faults happen ({@code span}), and, in a few seeds, one long outage. Drawn from the
 * seed alone ({@link #draw}), so a seed always names the same cluster, and written into a failure's scenario file as
 * its {@code server}, {@code client} and {@code hints} lines.
 *
 * <p>Thread safety: immutable.
 *
 * @param servers the servers, whose users are organizers; several share one store
 * @param clients the clients, in order
 * @param span the span in which the schedule's ops and its ordinary faults happen
 * @param outage the seed's long outage, if it has one; it may last well past {@code span}
 * @param hints how the store's hints travel between several servers ({@link Hints#DEFAULT} with one)
 */
public record ClusterShape(List<ServerSpec> servers, List<ClientSpec> clients, Duration span,
        Optional<Outage> outage, Hints hints) {

    /** The server's name in every sweep with one server. */
    public static final String SERVER = "hq";
    /** A third stream for the servers, so that a sweep of one server draws the clusters it always drew. */
    private static final long SERVERS_SALT = 0x73657276657273L;
    private static final Duration[] POLLS = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};
    /** The longest an ordinary user thinks about a conflict before answering, in milliseconds. */
    public static final long MAX_THINK_MS = 300;
    /**
     * The shortest a slow user thinks, in milliseconds: longer than a chain's deadline with the default retry
     * policy (30 s), so the chain that asked has ended when the answer comes.
     */
    public static final long MIN_SLOW_THINK_MS = 31_000;
    /** The longest a slow user thinks, in milliseconds. */
    public static final long MAX_SLOW_THINK_MS = 90_000;
    /** In how many seeds of a hundred one client's user is slow. */
    static final int SLOW_PERCENT = 7;
    /** In how many seeds of a hundred there is a long outage (when partitions or crashes are on). */
    static final int OUTAGE_PERCENT = 7;
    /**
     * The shortest long outage: longer than a forward chain's deadline plus the server's first backoffs add up to
     * (30 s per failed forward, then 2 s, 4 s, 8 s, 16 s, 32 s with the default policy: about 4 minutes for six).
     */
    public static final Duration MIN_OUTAGE = Duration.ofMinutes(2);
    /** The longest long outage. */
    public static final Duration MAX_OUTAGE = Duration.ofMinutes(6);

    private static final long SALT = 0x636C7573746572L;
    /** A second stream for the rare draws, so that every other seed draws the cluster it always drew. */
    private static final long RARE_SALT = 0x72617265L;
    private static final Duration[] HORIZONS = {Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(40)};

    /**
     * One long outage of a seed: a client whose user makes no ops of its own ({@code quietClient}), and from
     * {@code start} for {@code length} either a partition that cuts that client off from every other node or a
     * crash of {@code down} (the quiet client or the server), restarted at the end.
     *
     * @param quietClient the client that makes no ops
     * @param crash whether the outage is a crash (else a partition of {@code quietClient} from the rest)
     * @param down the node that is cut off or crashed
     * @param start when it begins, within the seed's span
     * @param length how long it lasts
     */
    public record Outage(String quietClient, boolean crash, String down, Duration start, Duration length) {

        /** @throws NullPointerException if an argument is null */
        public Outage {
            Objects.requireNonNull(quietClient, "quietClient");
            Objects.requireNonNull(down, "down");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(length, "length");
        }

        /** When it ends: the partition is healed, the node restarted. */
        public Duration end() {
            return start.plus(length);
        }
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if there is no client, the span is shorter than 1 ms, or the outage's quiet
     *     client is not a client
     */
    public ClusterShape {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one server");
        }
        clients = List.copyOf(clients);
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(outage, "outage");
        Objects.requireNonNull(hints, "hints");
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one client");
        }
        if (span.toMillis() < 1) {
            throw new IllegalArgumentException("span must be at least 1ms, got " + span);
        }
        if (outage.isPresent() && clients.stream().noneMatch(c -> c.name().equals(outage.get().quietClient()))) {
            throw new IllegalArgumentException("the outage's quiet client " + outage.get().quietClient()
                    + " is not a client");
        }
    }

    /**
     * A cluster of one server.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ClusterShape(ServerSpec server, List<ClientSpec> clients, Duration span, Optional<Outage> outage) {
        this(List.of(Objects.requireNonNull(server, "server")), clients, span, outage, Hints.DEFAULT);
    }

    /** The first server: the genesis op's author, the one server of a sweep of one server. */
    public ServerSpec server() {
        return servers.get(0);
    }

    /**
     * The cluster of {@code seed}: a client count in the config's range; each client a judge (three in four) or
     * the player {@code p<i>} for its position {@code i}; answering conflicts {@code skip} (seven in ten) or
     * {@code purge}; answering at once (two in three) or after up to {@value #MAX_THINK_MS} ms; a span of 2 s
     * (most seeds: much concurrency, many conflicts), 8 s or 40 s (partitions long enough for chains to time out).
     * Then, from a stream of their own (so the other seeds keep their clusters): in {@value #SLOW_PERCENT} seeds of
     * a hundred one client's user is slow, thinking {@value #MIN_SLOW_THINK_MS} to {@value #MAX_SLOW_THINK_MS} ms,
     * longer than a chain's deadline; and in {@value #OUTAGE_PERCENT} of a hundred the last client makes no ops
     * and there is a long outage of {@link #MIN_OUTAGE} to {@link #MAX_OUTAGE}, starting within the span: a
     * partition cutting that client off (two in three, if partitions are on) or a crash of that client or of the
     * server (if crashes are on). With several servers (from a stream of their own): a server count in the
     * config's range; each client uses the servers in an order of its own, all of them (or, one in eight, only
     * its first); hints lost with a probability up to the config's, delayed 1 ms up to 50 ms, polled every 1, 2
     * or 5 s; a long outage's crashed server is the quiet client's first.
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
        Duration span = HORIZONS[h < 12 ? 0 : h < 17 ? 1 : 2];
        SplittableRandom rare = new SplittableRandom(seed ^ RARE_SALT);
        if (rare.nextInt(100) < SLOW_PERCENT) {
            int slow = rare.nextInt(count);
            ClientSpec c = clients.get(slow);
            clients.set(slow, new ClientSpec(c.name(), c.role(), c.decide(), Duration.ofMillis(MIN_SLOW_THINK_MS
                    + rare.nextLong(MAX_SLOW_THINK_MS - MIN_SLOW_THINK_MS + 1))));
        }
        Optional<Outage> outage = Optional.empty();
        if (rare.nextInt(100) < OUTAGE_PERCENT && (config.partitions() || config.crashes())) {
            String quiet = clientName(count - 1);
            boolean crash = !config.partitions() || (config.crashes() && rare.nextInt(3) == 0);
            String down = crash && rare.nextBoolean() ? SERVER : quiet;
            Duration start = Duration.ofMillis(rare.nextLong(span.toMillis()));
            Duration length = MIN_OUTAGE.plusMillis(rare.nextLong(MAX_OUTAGE.minus(MIN_OUTAGE).toMillis() + 1));
            outage = Optional.of(new Outage(quiet, crash, down, start, length));
        }
        if (config.maxServers() == 1) {
            return new ClusterShape(ServerSpec.organizer(SERVER), clients, span, outage);
        }
        return severalServers(config, seed, clients, span, outage);
    }

    /** The servers of a seed, each client's list of them, and how hints travel: from a stream of their own. */
    private static ClusterShape severalServers(SweepConfig config, long seed, List<ClientSpec> drawn, Duration span,
            Optional<Outage> outage) {
        SplittableRandom random = new SplittableRandom(seed ^ SERVERS_SALT);
        int count = config.minServers() + random.nextInt(config.maxServers() - config.minServers() + 1);
        if (count == 1) {
            return new ClusterShape(ServerSpec.organizer(SERVER), drawn, span, outage);
        }
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            servers.add(ServerSpec.organizer("s" + i));
        }
        List<ClientSpec> clients = new ArrayList<>();
        for (ClientSpec c : drawn) {
            List<String> order = new ArrayList<>(servers.stream().map(ServerSpec::name).toList());
            for (int k = order.size() - 1; k > 0; k--) {
                java.util.Collections.swap(order, k, random.nextInt(k + 1));
            }
            List<String> uses = random.nextInt(8) == 0 ? order.subList(0, 1) : order;
            clients.add(new ClientSpec(c.name(), c.role(), c.decide(), c.think(), uses));
        }
        double loss = config.maxHintLoss() == 0 || random.nextInt(3) == 0 ? 0
                : Math.round(random.nextDouble() * config.maxHintLoss() * 100) / 100.0;
        Hints hints = new Hints(loss, Duration.ofMillis(1), Duration.ofMillis(1 + random.nextInt(50)),
                POLLS[random.nextInt(POLLS.length)]);
        Optional<Outage> o = outage.map(x -> x.down().equals(SERVER) ? new Outage(x.quietClient(), x.crash(),
                clients.get(clients.size() - 1).servers().get(0), x.start(), x.length()) : x);
        return new ClusterShape(servers, clients, span, o, hints);
    }

    /** The servers' names, in order. */
    public List<String> serverNames() {
        return servers.stream().map(ServerSpec::name).toList();
    }

    /** Whether {@code name} is a server. */
    boolean isServer(String name) {
        return servers.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * The span in which the schedule's faults happen, all over by its end, where random faults calm: the span,
     * or the end of the long outage if it lasts longer.
     */
    public Duration horizon() {
        Duration end = outage.map(Outage::end).orElse(span);
        return end.compareTo(span) > 0 ? end : span;
    }

    /** Whether the user of node {@code name} makes ops: every node's does but the long outage's quiet client. */
    boolean makesOps(String name) {
        return outage.isEmpty() || !outage.get().quietClient().equals(name);
    }

    /** The name of the client at {@code index}: {@code a}, {@code b}, ... */
    static String clientName(int index) {
        return String.valueOf((char) ('a' + index));
    }

    /** The player a client at {@code index} plays when its role is a player: {@code p1}, {@code p2}, ... */
    static String playerOf(int index) {
        return "p" + (index + 1);
    }

    /** Every node's name, the servers first. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>(serverNames());
        clients.forEach(c -> names.add(c.name()));
        return names;
    }

    /** Every node's id, the servers first. */
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
        for (ServerSpec server : servers) {
            if (server.name().equals(name)) {
                return server.role();
            }
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
