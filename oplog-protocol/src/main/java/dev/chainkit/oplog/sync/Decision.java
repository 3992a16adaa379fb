package dev.chainkit.oplog.sync;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import io.vavr.collection.LinkedHashSet;
import io.vavr.collection.Set;
import java.util.Objects;

/**
 * A user's answer to a conflict: which ops to drop. A valid decision drops at least the problematic op, which is
 * what bounds the number of conflict rounds of a sync by the number of its ops.
 *
 * <p>Thread safety: immutable.
 *
 * @param dropped ids of the ops to drop
 */
public record Decision(Set<OpId> dropped) {

    /** @throws NullPointerException if {@code dropped} is null */
    public Decision {
        Objects.requireNonNull(dropped, "dropped");
    }

    /** Drop only the problematic op and continue with the rest (the scenario format's {@code decide=skip}). */
    public static Decision skip(SyncMessage.OpProcessor<?> conflict) {
        return new Decision(LinkedHashSet.of(conflict.problematic().id()));
    }

    /**
     * Drop the problematic op and the rest of the ops this sync carries ({@code conflict.remaining()}; the scenario
     * format's {@code decide=purge}): the design note's user who "can ignore some or all of the operations it was
     * trying to sync". Ops the user made after the sync started are not part of it and are kept.
     */
    public static Decision purge(SyncMessage.OpProcessor<?> conflict) {
        return new Decision(LinkedHashSet.of(conflict.problematic().id())
                .addAll(conflict.remaining().map(Operation::id)));
    }

    /** Whether this decision drops the conflict's problematic op, as every valid decision must. */
    public boolean isValidFor(SyncMessage.OpProcessor<?> conflict) {
        return dropped.contains(conflict.problematic().id());
    }
}
