package dev.chainkit.oplog.sync;

import dev.chainkit.core.ChainId;
import dev.chainkit.oplog.OpId;
import java.util.Objects;

/**
 * What a client knows of one op its user made: its fate, why, and how the first chain that carried it ended.
 *
 * <p>Thread safety: immutable.
 *
 * @param id the op
 * @param fate where it stands
 * @param reason why it was rejected or dropped; empty otherwise
 * @param firstChain the first sync chain that carried it, or null before any
 * @param firstOutcome how that chain ended for its author ({@code completed}, {@code failed}, {@code superseded},
 *     {@code timed-out}), or null while it is in flight
 */
public record OpRecord(OpId id, OpFate fate, String reason, ChainId firstChain, String firstOutcome) {

    /** @throws NullPointerException if {@code id}, {@code fate} or {@code reason} is null */
    public OpRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fate, "fate");
        Objects.requireNonNull(reason, "reason");
    }

    OpRecord withFate(OpFate newFate, String newReason) {
        return new OpRecord(id, newFate, newReason, firstChain, firstOutcome);
    }

    OpRecord withFirstChain(ChainId chain) {
        return firstChain != null ? this : new OpRecord(id, fate, reason, chain, null);
    }

    OpRecord withFirstOutcome(ChainId chain, String outcome) {
        return chain.equals(firstChain) && firstOutcome == null
                ? new OpRecord(id, fate, reason, firstChain, outcome) : this;
    }
}
