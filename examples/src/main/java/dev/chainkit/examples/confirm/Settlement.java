package dev.chainkit.examples.confirm;

import io.vavr.control.Option;
import java.util.Objects;

/**
 * How a reported match result was settled. Both phones of the match keep the same settlement.
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param match the match, e.g. {@code r1-alice-bob}
 * @param reporter the node of the player who reported it
 * @param how how it was settled
 * @param score the settled score from the reporter's side; empty when escalated to a judge
 */
public record Settlement(String match, String reporter, How how, Option<Score> score) {

    /** How a result was settled. */
    public enum How {
        /** The opponent confirmed the reported score. */
        AGREED,
        /** The opponent disputed it and the reporter accepted the counter score. */
        COUNTER_ACCEPTED,
        /** The opponent disputed it and the reporter escalated it to a judge. */
        ESCALATED
    }

    /**
     * Validates the settlement.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the score is empty for an agreed or accepted result, or present for an
     *     escalated one
     */
    public Settlement {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(score, "score must not be null (use Option.none() when escalated)");
        if (score.isEmpty() != (how == How.ESCALATED)) {
            throw new IllegalArgumentException("a settlement has a score exactly when it is not escalated, but "
                    + match + " is " + how + " with score " + score);
        }
    }
}
