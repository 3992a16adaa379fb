package dev.chainkit.sim;

import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A node's persistent store: what it keeps here survives a crash, while everything else of its incarnation (the
 * application object, its chain node, timers) is lost. This is the hook that lets a protocol keep what it
 * persists (for op-log sync: the op log).
 *
 * <p>Values are held by reference: a node that mutates a stored object in place persists the mutation at once,
 * as if every write were synced. Store immutable values to model a write-then-sync store honestly.
 *
 * <p>Thread safety: not thread-safe; used on the node's thread (the simulation's one thread, or the node's thread
 * in a {@link dev.chainkit.sim.threaded.ThreadedNetwork}).
 */
public final class Durable implements StateDigestible {

    private final Map<String, Object> values = new HashMap<>();

    /**
     * The value stored under {@code key}, storing {@code init}'s value first if there is none.
     *
     * @throws NullPointerException if an argument is null or {@code init} returns null
     * @throws ClassCastException if the stored value is not a {@code T}
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Supplier<T> init) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(init, "init");
        Object v = values.get(key);
        if (v == null) {
            v = Objects.requireNonNull(init.get(), "initial value of durable key '" + key + "'");
            values.put(key, v);
        }
        return (T) v;
    }

    /**
     * The value stored under {@code key}, if any.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws ClassCastException if the stored value is not a {@code T}
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(String key) {
        return Optional.ofNullable((T) values.get(Objects.requireNonNull(key, "key")));
    }

    /**
     * Writes every key, in order, with its value through {@link StateSink#putValue} (so each value must be a
     * {@link StateDigestible} or a plain value).
     *
     * @throws IllegalArgumentException if a value cannot be described
     */
    @Override
    public void digest(StateSink sink) {
        TreeMap<String, Object> sorted = new TreeMap<>(values);
        sink.putInt(sorted.size());
        sorted.forEach((key, value) -> sink.putString(key).putValue(value));
    }

    /**
     * Stores {@code value} under {@code key}, replacing what was there.
     *
     * @throws NullPointerException if an argument is null
     */
    public void put(String key, Object value) {
        values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }
}
