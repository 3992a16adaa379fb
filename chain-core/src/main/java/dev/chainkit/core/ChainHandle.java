package dev.chainkit.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A started chain: its id and the future of its outcome.
 *
 * <p>The future completes exactly once, on the node's thread, so callbacks registered before completion run
 * there too. Thread safety: immutable; the future is thread-safe.
 *
 * @param id the chain's id
 * @param outcome completes with the chain's outcome
 * @param <R> the chain's result type
 */
public record ChainHandle<R>(ChainId id, CompletableFuture<Outcome<R>> outcome) {

    /** @throws NullPointerException if an argument is null */
    public ChainHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
    }
}
