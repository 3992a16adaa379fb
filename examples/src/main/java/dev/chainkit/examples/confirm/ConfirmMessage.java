package dev.chainkit.examples.confirm;

import java.util.Objects;

/**
 * The messages of the match-result confirmation chain: {@link ResultReport} (step 0) → {@link Confirmed}
 * (terminal) | {@link Disputed} (1) → {@link Resolution} (2) → {@link Settled} (terminal, 3).
 *
 * <p>Thread safety: immutable records.
 */
public sealed interface ConfirmMessage {

    /**
     * The match this message is about.
     *
     * @return the match id, e.g. {@code r1-alice-bob}
     */
    String match();

    /**
     * Opens the chain: a player reports the result of a match to the opponent's phone.
     *
     * @param match the match
     * @param score the score from the reporter's side
     */
    record ResultReport(String match, Score score) implements ConfirmMessage {
        /** @throws NullPointerException if an argument is null @throws IllegalArgumentException if match is blank */
        public ResultReport {
            requireMatch(match);
            Objects.requireNonNull(score, "score");
        }
    }

    /**
     * The opponent agrees with the reported score. Terminal.
     *
     * @param match the match
     * @param score the confirmed score, from the reporter's side
     */
    record Confirmed(String match, Score score) implements ConfirmMessage {
        /** @throws NullPointerException if an argument is null @throws IllegalArgumentException if match is blank */
        public Confirmed {
            requireMatch(match);
            Objects.requireNonNull(score, "score");
        }
    }

    /**
     * The opponent disagrees and says what it saw. The reporter must answer with a {@link Resolution}.
     *
     * @param match the match
     * @param counter the opponent's score, written from the reporter's side so both can be compared
     */
    record Disputed(String match, Score counter) implements ConfirmMessage {
        /** @throws NullPointerException if an argument is null @throws IllegalArgumentException if match is blank */
        public Disputed {
            requireMatch(match);
            Objects.requireNonNull(counter, "counter");
        }
    }

    /**
     * The reporter's answer to a dispute.
     *
     * @param match the match
     * @param choice accept the counter score, or escalate to a judge
     */
    record Resolution(String match, Choice choice) implements ConfirmMessage {
        /** What the reporter does with a dispute. */
        public enum Choice {
            /** Take the opponent's counter score. */
            ACCEPT,
            /** Leave it to a judge. */
            ESCALATE
        }

        /** @throws NullPointerException if an argument is null @throws IllegalArgumentException if match is blank */
        public Resolution {
            requireMatch(match);
            Objects.requireNonNull(choice, "choice");
        }
    }

    /**
     * How the result was settled, after a dispute or for a report that was already settled. Terminal.
     *
     * @param settlement the settlement
     */
    record Settled(Settlement settlement) implements ConfirmMessage {
        /** @throws NullPointerException if {@code settlement} is null */
        public Settled {
            Objects.requireNonNull(settlement, "settlement");
        }

        @Override
        public String match() {
            return settlement.match();
        }
    }

    private static void requireMatch(String match) {
        if (Objects.requireNonNull(match, "match").isBlank()) {
            throw new IllegalArgumentException("a match id must not be blank");
        }
    }
}
