package dev.chainkit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The toy 3-step protocol of the tests: the buyer asks for an item, the seller offers a price, the buyer accepts,
 * and the seller ends the chain with a receipt (Ask, Offer, Accept, Done: steps 0 to 3). The item is the chain's
 * subject, so chains about the same item can be superseded together.
 *
 * <p>Thread safety: immutable records.
 */
sealed interface Haggle {

    /** The protocol descriptor: name {@code haggle}, 4 steps, subject = item, quantity must be positive. */
    Protocol<Haggle> PROTOCOL = new Protocol<>() {
        @Override
        public String name() {
            return "haggle";
        }

        @Override
        public Class<Haggle> messageType() {
            return Haggle.class;
        }

        @Override
        public int maxSteps(Haggle opening) {
            return 4;
        }

        @Override
        public Object subjectOf(Haggle opening) {
            return opening instanceof Ask a ? a.item() : null;
        }

        @Override
        public Optional<String> validate(Haggle message) {
            return message instanceof Ask a && a.quantity() <= 0
                    ? Optional.of("quantity must be positive, got " + a.quantity()) : Optional.empty();
        }

        @Override
        public String toString() {
            return "haggle";
        }
    };

    /** Step 0: the buyer wants {@code quantity} of {@code item} (a quantity below 1 is refused by validate). */
    record Ask(String item, int quantity) implements Haggle {
        public Ask {
            Objects.requireNonNull(item, "item");
        }
    }

    /** Step 1: the seller's price, in cents. */
    record Offer(String item, int priceCents) implements Haggle {
        public Offer {
            Objects.requireNonNull(item, "item");
        }
    }

    /** Step 2: the buyer accepts a price, in cents. */
    record Accept(int priceCents) implements Haggle { }

    /** Step 3 (terminal): the seller's receipt. */
    record Done(String receipt) implements Haggle {
        public Done {
            Objects.requireNonNull(receipt, "receipt");
        }
    }
}
