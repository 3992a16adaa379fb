package dev.chainkit.sim.explore;

import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The engine alone, as an explorer model: clients open a chain of three steps to a server ({@code Ask} at step 0,
 * {@code Offer} at step 1, {@code Accept} at step 2), which the server ends with {@code Done} (terminal, step 3).
 * The server counts how often each step of each chain ran its handler in this incarnation (the engine promises
 * at most once); each client records its chain's outcome.
 */
final class Handshake implements ExploreModel<Handshake.App, String> {

    /** A message; the explorer describes it by its type and number. */
    sealed interface Msg extends StateDigestible permits Ask, Offer, Accept, Done {
        int n();

        @Override
        default void digest(StateSink sink) {
            sink.putInt(n());
        }
    }

    record Ask(int n) implements Msg { }

    record Offer(int n) implements Msg { }

    record Accept(int n) implements Msg { }

    record Done(int n) implements Msg { }

    static final Protocol<Msg> PROTOCOL = Protocol.of("handshake", Msg.class, 4);

    /** A node's application. */
    interface App extends StateDigestible { }

    /** Answers: an offer to an ask, done to an accept; counts handler runs per chain and step. */
    static final class Server implements App {
        final Map<ChainId, int[]> runs = new TreeMap<>(Comparator.comparing(ChainId::initiator)
                .thenComparingLong(ChainId::incarnation).thenComparingLong(ChainId::sequence));

        Server(NodeContext ctx) {
            ctx.node().register(PROTOCOL, (chain, m) -> {
                runs.computeIfAbsent(chain.id(), k -> new int[4])[chain.step()]++;
                if (m instanceof Ask a) {
                    return ResponderAction.reply(new Offer(a.n()));
                }
                if (m instanceof Accept a) {
                    return ResponderAction.replyAndTerminate(new Done(a.n()));
                }
                throw new IllegalStateException("unexpected " + m);
            });
        }

        @Override
        public void digest(StateSink sink) {
            sink.putInt(runs.size());
            runs.forEach((id, steps) -> {
                sink.putChainId(id);
                for (int s : steps) {
                    sink.putInt(s);
                }
            });
        }
    }

    /** Opens one handshake per work item and records the outcomes. */
    static final class Client implements App {
        private final ChainNode node;
        final List<String> outcomes = new ArrayList<>();
        int opened;

        Client(NodeContext ctx) {
            this.node = ctx.node();
        }

        void open(NodeId server) {
            int n = ++opened;
            node.start(PROTOCOL, server, new Ask(n), (chain, reply) -> reply instanceof Offer
                    ? InitiatorAction.<Msg, String>reply(new Accept(n))
                    : InitiatorAction.<Msg, String>complete("done " + n))
                    .outcome().thenAccept(o -> outcomes.add(o instanceof Outcome.Completed ? "completed" : "ended"));
        }

        @Override
        public void digest(StateSink sink) {
            sink.putInt(opened).putInt(outcomes.size());
            outcomes.forEach(sink::putString);
        }
    }

    private final int clients;
    private final boolean symmetric;
    private final NodeSettings settings;

    /**
     * {@code clients} clients {@code c1..}, each opening one handshake to server {@code s}, resending each step at
     * most {@code attempts} times.
     */
    Handshake(int clients, boolean symmetric, int attempts) {
        this.clients = clients;
        this.symmetric = symmetric;
        this.settings = Explorer.DEFAULT_SETTINGS.withRetryPolicy(Explorer.DEFAULT_SETTINGS.retryPolicy().toBuilder()
                .withMaxAttempts(attempts).build());
    }

    @Override
    public NodeSettings settings() {
        return settings;
    }

    @Override
    public List<NodeSpec<App>> nodes() {
        List<NodeSpec<App>> nodes = new ArrayList<>();
        nodes.add(NodeSpec.of("s", Server::new));
        for (int i = 1; i <= clients; i++) {
            nodes.add(NodeSpec.of("c" + i, Client::new));
        }
        return nodes;
    }

    @Override
    public List<String> workload() {
        List<String> work = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            work.add("c" + i);
        }
        return work;
    }

    @Override
    public String actor(String work) {
        return work;
    }

    @Override
    public String describe(String work) {
        return "open";
    }

    @Override
    public void apply(Cluster<App> cluster, String work) {
        ((Client) cluster.node(work).app()).open(NodeId.of("s"));
    }

    @Override
    public Optional<String> invariant(Cluster<App> cluster) {
        Server s = (Server) cluster.node("s").app();
        for (Map.Entry<ChainId, int[]> e : s.runs.entrySet()) {
            for (int step = 0; step < 4; step++) {
                if (e.getValue()[step] > 1) {
                    return Optional.of("the server ran its handler " + e.getValue()[step] + " times for step " + step
                            + " of chain " + e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> terminal(Cluster<App> cluster) {
        for (int i = 1; i <= clients; i++) {
            Client c = (Client) cluster.node("c" + i).app();
            if (c.outcomes.size() != c.opened) {
                return Optional.of("c" + i + " opened " + c.opened + " chain(s) but learned " + c.outcomes.size()
                        + " outcome(s)");
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Set<String>> symmetricNodes() {
        if (!symmetric) {
            return List.of();
        }
        Set<String> group = new java.util.TreeSet<>();
        for (int i = 1; i <= clients; i++) {
            group.add("c" + i);
        }
        return List.of(group);
    }
}
