package dev.chainkit.bench;

import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import io.vavr.control.Either;

/**
 * A domain that counts ops and accepts every one, with decimal payloads: a figure measured on it is the sync's, the
 * log's or the store's, not a domain's. Stateless, thread-safe.
 */
public final class Counter implements Domain<Long, Integer> {

    @Override
    public Long empty() {
        return 0L;
    }

    @Override
    public PayloadCodec<Integer> payloads() {
        return PayloadCodec.integers();
    }

    @Override
    public Either<OpError, Long> apply(Long state, Operation<Integer> op) {
        return Either.right(state + 1);
    }
}
