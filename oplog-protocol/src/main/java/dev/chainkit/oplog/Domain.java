package dev.chainkit.oplog;

import io.vavr.control.Either;
import java.util.Objects;

/**
 * The domain SPI: what operations mean, as a pure fold of operations into a state.
 *
 * <p>{@link #apply} decides both whether the author's role may make the operation (refusing with
 * kind {@link OpError#UNAUTHORIZED}) and whether the operation is valid in the given state.
 *
 * <p>Thread safety: implementations must be stateless (or immutable) pure functions and hence
 * thread-safe; states and payloads must be immutable values.
 *
 * @param <S> the state type (immutable)
 * @param <P> the operation payload type (immutable)
 */
public interface Domain<S, P> {

    /**
     * Returns the state before the genesis operation.
     *
     * @return the empty state, never null
     */
    S empty();

    /**
     * Returns how this domain's payloads are written on the wire and on disk.
     *
     * @return the codec, never null
     */
    PayloadCodec<P> payloads();

    /**
     * Applies one operation to a state.
     *
     * @param state the state before the operation (use {@link #empty()} for the genesis operation)
     * @param op the operation
     * @return the state after the operation, or the reason it does not apply
     * @throws NullPointerException if {@code state} or {@code op} is null
     */
    Either<OpError, S> apply(S state, Operation<P> op);

    /**
     * Applies operations in order, stopping at the first one that does not apply.
     *
     * @param state the state before the first operation
     * @param ops the operations, in order
     * @return the state after the last operation, or the error of the first one that does not apply
     * @throws NullPointerException if {@code state} or {@code ops} (or an element) is null
     */
    default Either<OpError, S> applyAll(S state, Iterable<Operation<P>> ops) {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(ops, "ops must not be null");
        S current = state;
        for (Operation<P> op : ops) {
            Either<OpError, S> next = apply(current, op);
            if (next.isLeft()) {
                return next;
            }
            current = next.get();
        }
        return Either.right(current);
    }

    /**
     * Folds a whole log, from {@link #empty()}, into its state.
     *
     * @param log the log
     * @return the state after the last operation of the log
     * @throws NullPointerException if {@code log} is null
     * @throws IllegalStateException if an operation of the log does not apply (a log only ever holds
     *     applied operations, so this means the log was built wrongly); the message names the
     *     operation's index and id and the error
     */
    default S replay(OpLog<P> log) {
        Objects.requireNonNull(log, "log must not be null");
        S state = empty();
        int i = 0;
        for (Operation<P> op : log.ops()) {
            Either<OpError, S> next = apply(state, op);
            if (next.isLeft()) {
                throw new IllegalStateException("op at index " + i + " (id " + op.id()
                        + ") of the log does not apply: " + next.getLeft()
                        + "; a log must only hold applied ops");
            }
            state = next.get();
            i++;
        }
        return state;
    }
}
