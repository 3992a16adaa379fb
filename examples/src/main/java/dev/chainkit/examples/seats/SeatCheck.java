package dev.chainkit.examples.seats;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import dev.chainkit.sim.check.PropertyCheck;
import dev.chainkit.sim.check.Schedule;
import dev.chainkit.sim.check.ScheduleGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A complete property check of a small protocol of your own, the example of the README's "Property checks on your
 * own protocol": phones reserve seats at a box office, one chain per attempt, and try again with a new chain when
 * an attempt times out. The engine handles each chain's steps at most once, but two attempts are two chains: only
 * a box office that remembers request ids (in its durable state, so across crashes too) gives each seat to one
 * request and answers a retried request as it answered the first. The check states that, and
 * {@code PropertyRunner} tries it under random loss, duplication, partitions and crashes, seed by seed.
 *
 * <p>Run it as JUnit dynamic tests ({@code SeatCheckProperties}) or with {@code PropertyRunner.check(check, seed)}.
 * {@code new SeatCheck(false)} is the box office that forgets request ids: the sweep catches it.
 *
 * <p>Thread safety: like every {@link PropertyCheck}, used on the simulation's thread.
 */
public final class SeatCheck implements PropertyCheck<Object, SeatCheck.Want> {

    /** The protocol's messages: one sealed hierarchy. */
    public sealed interface Msg permits Reserve, Granted, Refused { }

    /** Reserve {@code seat} for request {@code id}. */
    public record Reserve(String id, int seat) implements Msg { }

    /** The seat is yours. */
    public record Granted(String id, int seat) implements Msg { }

    /** The seat went to another request. */
    public record Refused(String id, int seat) implements Msg { }

    /** Two steps: a request and its terminal answer. */
    public static final Protocol<Msg> SEATS = Protocol.of("seats", Msg.class, 2);
    static final NodeId OFFICE = NodeId.of("office");

    /** A workload action: the user of {@code phone} wants {@code seat}, as request {@code id}. */
    public record Want(String phone, String id, int seat) { }

    /** The box office's durable state: which request holds each seat, and what each request was told. */
    static final class Book {
        final Map<Integer, String> holders = new HashMap<>();
        final Map<String, Msg> answers = new HashMap<>();
    }

    private final boolean remembersRequests;
    private final ScheduleGenerator<Want> schedules = ScheduleGenerator.<Want>builder(
                    (random, nodes, i) -> new Want(nodes.get(1 + random.nextInt(nodes.size() - 1)).name(), "r" + i,
                            random.nextInt(3)))
            .horizon(Duration.ofSeconds(2)).workloads(1, 8).faults(4)
            .loss(0.3).duplicate(0.2).latency(Duration.ofMillis(1), Duration.ofMillis(40))
            .protocols(SEATS).messageKinds("Reserve", "Granted", "any")
            .build();

    /**
     * @param remembersRequests whether the box office answers a request it already answered as before (the
     *     correct one), or handles every attempt afresh (a bug the check finds)
     */
    public SeatCheck(boolean remembersRequests) {
        this.remembersRequests = remembersRequests;
    }

    @Override
    public List<NodeSpec<Object>> nodes() {
        return List.of(NodeSpec.of("office", this::office), NodeSpec.of("ann", Phone::new),
                NodeSpec.of("bob", Phone::new));
    }

    private Object office(NodeContext ctx) {
        Book book = ctx.durable().get("book", Book::new);
        ctx.node().register(SEATS, (chain, m) -> {
            Reserve r = (Reserve) m;
            Msg known = book.answers.get(r.id());
            if (known != null && remembersRequests) {
                return ResponderAction.replyAndTerminate(known); // a retry: the same answer as before
            }
            Msg answer = book.holders.putIfAbsent(r.seat(), r.id()) == null
                    ? new Granted(r.id(), r.seat()) : new Refused(r.id(), r.seat());
            book.answers.put(r.id(), answer);
            return ResponderAction.replyAndTerminate(answer);
        });
        return book;
    }

    /** A phone: asks for a seat, and asks again (a new chain) until it gets an answer. */
    static final class Phone {
        private final ChainNode node;
        final Map<String, Msg> told = new HashMap<>();

        Phone(NodeContext ctx) {
            this.node = ctx.node();
        }

        void want(String id, int seat) {
            node.start(SEATS, OFFICE, new Reserve(id, seat), (chain, reply) -> InitiatorAction.<Msg, Msg>complete(
                    reply)).outcome().thenAccept(o -> {
                        if (o instanceof Outcome.Completed<Msg> done) {
                            told.put(id, done.result());
                        } else {
                            want(id, seat); // timed out or failed: try again
                        }
                    });
        }
    }

    @Override
    public Schedule<Want> generate(RandomGenerator random, List<NodeId> nodes) {
        return schedules.generate(random, nodes);
    }

    @Override
    public void applyWorkload(Cluster<Object> cluster, Want want) {
        if (cluster.node(want.phone()).app() instanceof Phone phone) {
            phone.want(want.id(), want.seat());
        }
    }

    /** After every event: the office never granted a seat to a request that does not hold it. */
    @Override
    public Optional<String> invariant(Cluster<Object> cluster) {
        Book book = cluster.node(OFFICE).durable().<Book>find("book").orElse(null);
        if (book == null) {
            return Optional.empty();
        }
        return book.answers.values().stream()
                .filter(a -> a instanceof Granted g && !g.id().equals(book.holders.get(g.seat())))
                .findFirst()
                .map(a -> "the office granted seat " + ((Granted) a).seat() + " to " + ((Granted) a).id()
                        + ", but it is held by " + book.holders.get(((Granted) a).seat()));
    }

    /** Once quiet: what every phone was told of each of its requests is what the office decided. */
    @Override
    public Optional<String> liveness(Cluster<Object> cluster) {
        Book book = cluster.node(OFFICE).durable().<Book>find("book").orElseThrow();
        for (SimNode<Object> n : cluster.nodes()) {
            if (n.app() instanceof Phone phone) {
                for (Map.Entry<String, Msg> t : phone.told.entrySet()) {
                    boolean granted = t.getValue() instanceof Granted;
                    int seat = granted ? ((Granted) t.getValue()).seat() : ((Refused) t.getValue()).seat();
                    if (granted != t.getKey().equals(book.holders.get(seat))) {
                        return Optional.of(n.id() + " was told " + t.getKey() + (granted ? " got" : " did not get")
                                + " seat " + seat + ", but the office gave it to " + book.holders.get(seat));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
