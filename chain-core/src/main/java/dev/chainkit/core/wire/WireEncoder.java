package dev.chainkit.core.wire;

/**
 * Writes one value (a message record or a part of one) to a {@link WireWriter}.
 *
 * <p>Thread safety: implementations must be stateless; they are shared by every node and thread.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface WireEncoder<T> {

    /**
     * Writes {@code value}.
     *
     * @param value the value; never null
     * @param out where to write
     * @throws IllegalArgumentException if the value cannot be written (a string that is not valid UTF-16, a
     *     negative count)
     */
    void encode(T value, WireWriter out);
}
