package dev.chainkit.core;

import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Two nodes on a {@link TestNetwork}: {@code a} opens toy-protocol chains as the buyer, {@code b} answers them as
 * the seller. Both record their events. Not thread-safe.
 */
final class HaggleFixture {

    /** Jitter-free: sends of one step at 0, 100, 300, 700, 1500 ms, giving up at 2300 ms; deadline 10 s. */
    static final RetryPolicy POLICY = RetryPolicy.builder()
            .withInitialDelay(Duration.ofMillis(100))
            .withMultiplier(2)
            .withMaxDelay(Duration.ofMillis(800))
            .withJitter(0)
            .withMaxAttempts(5)
            .withDeadline(Duration.ofSeconds(10))
            .build();

    static final NodeSettings SETTINGS = NodeSettings.defaults().withRetryPolicy(POLICY);

    final TestNetwork net = new TestNetwork();
    final EventRecorder aEvents = new EventRecorder();
    final EventRecorder bEvents = new EventRecorder();
    final Calls buyerCalls = new Calls();
    final Seller seller = new Seller();
    final ChainNode a;
    final ChainNode b;

    HaggleFixture() {
        this(SETTINGS, SETTINGS);
    }

    HaggleFixture(NodeSettings aSettings, NodeSettings bSettings) {
        a = net.attach(net.builder(A, 1).settings(aSettings).listener(aEvents).build());
        b = net.attach(net.builder(B, 1).settings(bSettings).listener(bEvents).build());
        b.register(Haggle.PROTOCOL, seller);
    }

    /** {@code a} opens a chain asking {@code b} for {@code quantity} of {@code item}. */
    ChainHandle<String> buy(String item, int quantity) {
        return a.start(Haggle.PROTOCOL, B, new Ask(item, quantity), new Buyer(buyerCalls));
    }

    ChainHandle<String> buy(String item, int quantity,
            BiFunction<InitiatorChain, Haggle, InitiatorAction<Haggle, String>> behaviour) {
        return a.start(Haggle.PROTOCOL, B, new Ask(item, quantity), new Buyer(buyerCalls, behaviour));
    }

    /** A buyer behaviour that defers its answer to the Offer until {@code decision} completes. */
    static BiFunction<InitiatorChain, Haggle, InitiatorAction<Haggle, String>> deferOffer(
            CompletionStage<InitiatorAction<Haggle, String>> decision) {
        return (chain, reply) -> reply instanceof Haggle.Offer
                ? InitiatorAction.defer(decision) : Buyer.standard(chain, reply);
    }

    /** A buyer behaviour that never answers the Offer (its decision never comes). */
    static BiFunction<InitiatorChain, Haggle, InitiatorAction<Haggle, String>> neverDecide() {
        return deferOffer(new CompletableFuture<>());
    }

    /** The chain's outcome, which must be known by now. */
    static <R> Outcome<R> outcome(ChainHandle<R> handle) {
        assertTrue(handle.outcome().isDone(), "chain " + handle.id() + " has no outcome yet");
        return handle.outcome().getNow(null);
    }

    static <R> R completed(ChainHandle<R> handle) {
        Outcome<R> o = outcome(handle);
        assertTrue(o instanceof Outcome.Completed<R>, "chain " + handle.id() + " ended as " + o);
        return ((Outcome.Completed<R>) o).result();
    }
}
