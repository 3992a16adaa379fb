package dev.chainkit.examples.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed scenario file ({@code .scn}): the network and nodes to simulate, what happens when, and what must
 * hold once the run has drained. Build one with {@link ScenarioParser#parse(String, String)}; write one back
 * with {@link ScenarioPrinter#print(Scenario)}.
 *
 * <p>The constructor checks each component on its own and orders the events; the rules that tie components
 * together (exactly the declared nodes are named, labels are defined before use, restarts follow crashes,
 * events fall within the limit) are checked by the parser, which reports them with their line.
 *
 * <p>Thread safety: immutable value (unmodifiable lists of immutable elements), thread-safe.
 *
 * @param name the name for reports: one word without {@code #}; by default the file name without {@code .scn}
 * @param seed seeds every random choice of the run; {@link #DEFAULT_SEED} by default
 * @param network the random faults and latency of every link; {@link Network#DEFAULT} by default
 * @param retry the retransmission schedule override, if any
 * @param limit the virtual-time budget of the whole run, more than 0; {@link #DEFAULT_LIMIT} by default
 * @param servers the servers, in file order: one, or several sharing one store
 * @param clients the clients, in file order
 * @param calmAt when the random faults of {@code network} stop; empty for never (the default)
 * @param events the timed events, ordered by time and, at equal times, by line (file order)
 * @param expectations the expectations, in file order
 * @param hints how the store's hints travel between several servers; {@link Hints#DEFAULT} by default
 */
public record Scenario(String name, long seed, Network network, Optional<RetryOverride> retry, Duration limit,
        List<ServerSpec> servers, List<ClientSpec> clients, Optional<Duration> calmAt, List<Event> events,
        List<Expectation> expectations, Hints hints) {

    /** The seed of a scenario without a {@code seed} line. */
    public static final long DEFAULT_SEED = 1;

    /** The limit of a scenario without a {@code limit} line: 10 minutes of virtual time. */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(10);

    /** The label of the genesis op that creates the tournament and starts every log. */
    public static final String GENESIS_LABEL = "o0";

    /**
     * A scenario with one server (and the default hints). See the canonical constructor.
     *
     * @throws NullPointerException if an argument or a list element is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Scenario(String name, long seed, Network network, Optional<RetryOverride> retry, Duration limit,
            ServerSpec server, List<ClientSpec> clients, Optional<Duration> calmAt, List<Event> events,
            List<Expectation> expectations) {
        this(name, seed, network, retry, limit, List.of(Objects.requireNonNull(server, "server must not be null")),
                clients, calmAt, events, expectations, Hints.DEFAULT);
    }

    /** The first server: the author of the genesis op, first in reports. */
    public ServerSpec server() {
        return servers.get(0);
    }

    /** The servers' names, in file order. */
    public List<String> serverNames() {
        return servers.stream().map(ServerSpec::name).toList();
    }

    /**
     * Validates the components, copies the lists and orders the events by time and, at equal times, by line
     * (file order; events with equal time and line keep their order in {@code events}).
     *
     * @param name the name for reports: one word without {@code #}
     * @param seed seeds every random choice of the run
     * @param network the random faults and latency of every link
     * @param retry the retransmission schedule override, if any
     * @param limit the virtual-time budget of the whole run, more than 0
     * @param servers the servers, in file order, at least one
     * @param clients the clients, in file order
     * @param calmAt when the random faults of {@code network} stop, 0 or more; empty for never
     * @param events the timed events, in any order
     * @param expectations the expectations, in file order
     * @param hints how the store's hints travel between several servers
     * @throws NullPointerException if an argument or a list element is null
     * @throws IllegalArgumentException if {@code name} is not one word without {@code #}, {@code limit} is not
     *     positive, {@code calmAt} is negative or there is no server
     */
    public Scenario {
        Objects.requireNonNull(name, "scenario name must not be null");
        if (name.isEmpty() || name.indexOf('#') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a scenario name must be one word without '#' but was '" + name
                    + "'");
        }
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(retry, "retry must not be null (use Optional.empty())");
        Objects.requireNonNull(limit, "limit must not be null");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be more than 0ms but was "
                    + (limit.isZero() ? "0ms" : limit.toString()));
        }
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one server");
        }
        Objects.requireNonNull(hints, "hints must not be null");
        clients = List.copyOf(clients);
        Objects.requireNonNull(calmAt, "calmAt must not be null (use Optional.empty() for never)");
        calmAt.ifPresent(t -> ScenarioSyntax.requireNonNegative(t, "calm time"));
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(Event::at).thenComparingInt(Event::line));
        events = List.copyOf(ordered);
        expectations = List.copyOf(expectations);
    }
}
