package dev.chainkit.oplog;

import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One entry of an op log: a domain payload with its unique id, its author and its creation time.
 *
 * <p>Thread safety: immutable value, thread-safe as long as the payload is (domain payloads are
 * expected to be immutable values).
 *
 * @param id the unique id of this operation
 * @param author who made it
 * @param createdAtMs when it was made, in milliseconds on the author's clock (wall or simulated);
 *     informational only, never used for ordering; {@code >= 0}
 * @param payload the domain payload
 * @param <P> the domain payload type
 */
public record Operation<P>(OpId id, Author author, long createdAtMs, P payload) implements StateDigestible {

    /**
     * Validates the operation.
     *
     * @param id the unique id of this operation
     * @param author who made it
     * @param createdAtMs when it was made, in milliseconds on the author's clock (wall or simulated);
     *     informational only, never used for ordering; {@code >= 0}
     * @param payload the domain payload
     * @throws NullPointerException if {@code id}, {@code author} or {@code payload} is null
     * @throws IllegalArgumentException if {@code createdAtMs} is negative
     */
    public Operation {
        Objects.requireNonNull(id, "operation id must not be null");
        Objects.requireNonNull(author, "operation author must not be null");
        Objects.requireNonNull(payload, "operation payload must not be null");
        if (createdAtMs < 0) {
            throw new IllegalArgumentException(
                    "operation createdAtMs must be >= 0 (milliseconds) but was " + createdAtMs);
        }
    }

    /**
     * Writes its id, author, creation time and payload (by its record text, which is canonical). The creation time
     * as a time ({@link StateSink#putTime}, relative to now), as every other: a node reads the clock into an op it
     * makes, so two states that differ only by when things happened make ops whose creation times differ by as
     * much; written as they are, two such states would be one in the explorer while what they go on to do is not.
     */
    @Override
    public void digest(StateSink sink) {
        sink.putString(id.value()).putString(author.toString()).putTime(TimeUnit.MILLISECONDS.toNanos(createdAtMs))
                .putString(String.valueOf(payload));
    }

    /** Returns a short form: {@code id by node/role @createdAtMs: payload}. */
    @Override
    public String toString() {
        return id + " by " + author + " @" + createdAtMs + ": " + payload;
    }
}
