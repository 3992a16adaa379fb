package dev.chainkit.sim.check;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.RetryPolicy;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.SimNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A toy protocol for the property runner: tellers deposit money at a bank ({@code hq}) with one chain per attempt,
 * and retry a request as a new chain when an attempt fails or times out (at-least-once delivery at the
 * application level). The engine handles each chain's steps at most once, but it cannot know that two chains
 * carry the same request: a bank that applies every deposit it is handed ({@code idempotent == false}) applies a
 * retried request twice. The idempotent bank remembers applied request ids in its durable ledger and does not.
 */
final class Bank {

    sealed interface Msg permits Deposit, Receipt { }

    record Deposit(String requestId, int amount) implements Msg { }

    record Receipt(String requestId, long balance) implements Msg { }

    static final Protocol<Msg> PROTOCOL = Protocol.of("bank", Msg.class, 2);
    static final NodeId HQ = NodeId.of("hq");
    static final int ATTEMPTS = 3;

    /** The bank's persisted state: balance and how many times each request was applied. */
    static final class Ledger {
        long balance;
        final Map<String, Integer> applied = new TreeMap<>();
    }

    /** A workload action: a teller's user deposits {@code amount} as request {@code requestId}. */
    record Submit(NodeId teller, String requestId, int amount) {
        @Override
        public String toString() {
            return teller + ": deposit " + requestId + " " + amount;
        }
    }

    /** A node's application: the bank or a teller. */
    interface App { }

    static final class Hq implements App {
        Hq(NodeContext ctx, boolean idempotent) {
            Ledger ledger = ctx.durable().get("ledger", Ledger::new);
            ctx.node().register(PROTOCOL, (chain, m) -> {
                Deposit d = (Deposit) m;
                if (!idempotent || !ledger.applied.containsKey(d.requestId())) {
                    ledger.balance += d.amount();
                    ledger.applied.merge(d.requestId(), 1, Integer::sum);
                }
                return ResponderAction.replyAndTerminate(new Receipt(d.requestId(), ledger.balance));
            });
        }
    }

    static final class Teller implements App {
        private final ChainNode node;
        final Map<String, String> status = new TreeMap<>();

        Teller(NodeContext ctx) {
            this.node = ctx.node();
        }

        void submit(String requestId, int amount) {
            status.put(requestId, "pending");
            attempt(requestId, amount, 1);
        }

        private void attempt(String requestId, int amount, int n) {
            node.start(PROTOCOL, HQ, new Deposit(requestId, amount),
                    (chain, reply) -> InitiatorAction.<Msg, Long>complete(((Receipt) reply).balance()))
                    .outcome().thenAccept(o -> {
                        if (o instanceof Outcome.Completed) {
                            status.put(requestId, "done");
                        } else if (n < ATTEMPTS) {
                            attempt(requestId, amount, n + 1);
                        } else {
                            status.put(requestId, "gave up");
                        }
                    });
        }
    }

    /** The property: no request is ever applied twice, and every request a teller saw done was applied. */
    static final class Check implements PropertyCheck<App, Submit> {
        private final boolean idempotent;
        private final ScheduleGenerator<Submit> generator = ScheduleGenerator.<Submit>builder(
                        (random, nodes, i) -> new Submit(nodes.get(1 + random.nextInt(nodes.size() - 1)), "r" + i,
                                1 + random.nextInt(9)))
                .horizon(Duration.ofSeconds(2))
                .workloads(1, 6)
                .faults(4)
                .loss(0.2)
                .duplicate(0.2)
                .latency(Duration.ofMillis(1), Duration.ofMillis(20))
                .protocols(PROTOCOL)
                .messageKinds("Deposit", "Receipt", "any")
                .maxRuleCount(4)
                .build();

        Check(boolean idempotent) {
            this.idempotent = idempotent;
        }

        @Override
        public List<NodeSpec<App>> nodes() {
            return List.of(NodeSpec.of("hq", ctx -> new Hq(ctx, idempotent)), NodeSpec.of("a", Teller::new),
                    NodeSpec.of("b", Teller::new));
        }

        @Override
        public NodeSettings settings() {
            return NodeSettings.defaults().withRetryPolicy(RetryPolicy.builder()
                    .withInitialDelay(Duration.ofMillis(20)).withMaxDelay(Duration.ofMillis(200))
                    .withMaxAttempts(3).withDeadline(Duration.ofSeconds(1)).build());
        }

        @Override
        public Schedule<Submit> generate(RandomGenerator random, List<NodeId> nodes) {
            return generator.generate(random, nodes);
        }

        @Override
        public void applyWorkload(Cluster<App> cluster, Submit work) {
            if (cluster.node(work.teller()).app() instanceof Teller t) {
                t.submit(work.requestId(), work.amount());
            }
        }

        @Override
        public Optional<String> invariant(Cluster<App> cluster) {
            Optional<Ledger> ledger = cluster.node(HQ).durable().find("ledger");
            return ledger.flatMap(l -> l.applied.entrySet().stream().filter(e -> e.getValue() > 1).findFirst()
                    .map(e -> "request " + e.getKey() + " applied " + e.getValue() + " times on hq"));
        }

        @Override
        public Optional<String> liveness(Cluster<App> cluster) {
            Ledger ledger = cluster.node(HQ).durable().<Ledger>find("ledger").orElseThrow();
            for (SimNode<App> n : cluster.nodes()) {
                if (n.app() instanceof Teller t) {
                    for (Map.Entry<String, String> e : t.status.entrySet()) {
                        if (e.getValue().equals("pending")) {
                            return Optional.of("request " + e.getKey() + " of " + n.id() + " is still pending");
                        }
                        if (e.getValue().equals("done") && ledger.applied.getOrDefault(e.getKey(), 0) != 1) {
                            return Optional.of("request " + e.getKey() + " is done on " + n.id() + " but applied "
                                    + ledger.applied.getOrDefault(e.getKey(), 0) + " times");
                        }
                    }
                }
            }
            return Optional.empty();
        }
    }

    private Bank() {
    }
}
