package dev.chainkit.core;

import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A test-only network that connects several {@link ChainNode}s on one {@link VirtualTime}: every envelope is
 * recorded, then dropped, duplicated, held (for a later, reordered release) or delivered after its latency.
 * Delivery always goes through {@link VirtualTime#schedule}, never synchronously inside {@link Transport#send}.
 *
 * <p>Fault rules are checked in the order they were added; the first live rule that matches an envelope decides
 * its fate. A rule fires a bounded or unbounded number of times.
 *
 * <p>Thread safety: not thread-safe; one test thread drives the time, the network and every node.
 */
final class TestNetwork implements Transport {

    /** Node ids the tests use. */
    static final NodeId A = NodeId.of("a");
    static final NodeId B = NodeId.of("b");
    static final NodeId C = NodeId.of("c");

    /** One envelope handed to the network, with the virtual time it was sent at, in nanoseconds. */
    record Sent(long atNs, Envelope envelope) { }

    /** What a rule does to the envelopes it matches. */
    enum Fault { DROP, DUPLICATE, HOLD }

    /** A programmable fault: {@code fault} applied to envelopes matching {@code when}, {@code remaining} times. */
    static final class Rule {
        final Fault fault;
        final Predicate<Envelope> when;
        int remaining = Integer.MAX_VALUE;

        Rule(Fault fault, Predicate<Envelope> when) {
            this.fault = fault;
            this.when = when;
        }

        /** Limits the rule to its next {@code n} matches. */
        Rule times(int n) {
            remaining = n;
            return this;
        }

        /** Stops the rule. */
        void remove() {
            remaining = 0;
        }
    }

    final VirtualTime time;
    private final Map<NodeId, ChainNode> nodes = new HashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Envelope> delivered = new ArrayList<>();
    private final List<Envelope> held = new ArrayList<>();
    private ToLongFunction<Envelope> latencyNs = e -> ms(10);

    TestNetwork() {
        this(new VirtualTime());
    }

    TestNetwork(VirtualTime time) {
        this.time = time;
    }

    static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    /** A node builder wired to this network and its virtual time. */
    ChainNode.Builder builder(NodeId id, long incarnation) {
        return ChainNode.builder(id, incarnation).transport(this).clock(time).scheduler(time);
    }

    /** Makes {@code node} the receiver of envelopes addressed to its id (replacing an older incarnation). */
    ChainNode attach(ChainNode node) {
        nodes.put(node.id(), node);
        return node;
    }

    /** Envelopes addressed to {@code id} are lost from now on (a crashed node). */
    void detach(NodeId id) {
        nodes.remove(id);
    }

    /** Sets the one-way latency of every envelope. */
    void latency(Duration latency) {
        long ns = latency.toNanos();
        this.latencyNs = e -> ns;
    }

    /** Sets a per-envelope one-way latency, in nanoseconds. */
    void latency(ToLongFunction<Envelope> latencyNs) {
        this.latencyNs = Objects.requireNonNull(latencyNs);
    }

    Rule drop(Predicate<Envelope> when) {
        return addRule(Fault.DROP, when);
    }

    Rule duplicate(Predicate<Envelope> when) {
        return addRule(Fault.DUPLICATE, when);
    }

    /** Holds matching envelopes until {@link #release}: they arrive later than, and after, what follows them. */
    Rule hold(Predicate<Envelope> when) {
        return addRule(Fault.HOLD, when);
    }

    private Rule addRule(Fault fault, Predicate<Envelope> when) {
        Rule r = new Rule(fault, Objects.requireNonNull(when));
        rules.add(r);
        return r;
    }

    /** Removes every fault rule (held envelopes stay held). */
    void heal() {
        rules.clear();
    }

    @Override
    public void send(Envelope envelope) {
        sent.add(new Sent(time.nanoTime(), envelope));
        for (Rule r : rules) {
            if (r.remaining > 0 && r.when.test(envelope)) {
                r.remaining--;
                switch (r.fault) {
                    case DROP -> { }
                    case HOLD -> held.add(envelope);
                    case DUPLICATE -> {
                        deliverLater(envelope);
                        deliverLater(envelope);
                    }
                }
                return;
            }
        }
        deliverLater(envelope);
    }

    /** Releases the held envelopes matching {@code which}, in the order they were held; returns how many. */
    int release(Predicate<Envelope> which) {
        int n = 0;
        for (Iterator<Envelope> it = held.iterator(); it.hasNext(); ) {
            Envelope e = it.next();
            if (which.test(e)) {
                it.remove();
                deliverLater(e);
                n++;
            }
        }
        return n;
    }

    int releaseAll() {
        return release(e -> true);
    }

    List<Envelope> held() {
        return List.copyOf(held);
    }

    /** Delivers {@code envelope} at the current instant (through the scheduler), bypassing the rules. */
    void inject(Envelope envelope) {
        time.schedule(0, () -> deliver(envelope));
    }

    private void deliverLater(Envelope e) {
        time.schedule(latencyNs.applyAsLong(e), () -> deliver(e));
    }

    private void deliver(Envelope e) {
        ChainNode node = nodes.get(e.receiver());
        if (node != null) {
            delivered.add(e);
            node.onEnvelope(e);
        }
    }

    /** Advances virtual time by {@code d}, running every delivery and timer due on the way. */
    void run(Duration d) {
        time.advanceBy(d);
    }

    void runMillis(long millis) {
        run(Duration.ofMillis(millis));
    }

    /** Every envelope handed to the network, in order, with its send time. */
    List<Sent> sentLog() {
        return List.copyOf(sent);
    }

    /** The envelopes handed to the network that match {@code p}, in order. */
    List<Envelope> sent(Predicate<Envelope> p) {
        return sent.stream().map(Sent::envelope).filter(p).toList();
    }

    int count(Predicate<Envelope> p) {
        return sent(p).size();
    }

    /** The envelopes handed to a node that match {@code p}, in order. */
    List<Envelope> delivered(Predicate<Envelope> p) {
        return delivered.stream().filter(p).toList();
    }

    // ------------------------------------------------------------ predicates

    static Predicate<Envelope> any() {
        return e -> true;
    }

    static Predicate<Envelope> from(NodeId sender) {
        return e -> e.sender().equals(sender);
    }

    static Predicate<Envelope> to(NodeId receiver) {
        return e -> e.receiver().equals(receiver);
    }

    static Predicate<Envelope> step(int step) {
        return e -> e.step() == step;
    }

    static Predicate<Envelope> kind(EnvelopeKind kind) {
        return e -> e.kind() == kind;
    }

    static Predicate<Envelope> chain(ChainId id) {
        return e -> e.chainId().equals(id);
    }

    static Predicate<Envelope> payload(Class<?> type) {
        return e -> type.isInstance(e.payload());
    }
}
