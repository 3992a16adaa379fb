package dev.chainkit.core.wire;

/**
 * Reads one value (a message record or a part of one) from a {@link WireReader}, as the matching
 * {@link WireEncoder} wrote it.
 *
 * <p>Thread safety: implementations must be stateless; they are shared by every node and thread.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface WireDecoder<T> {

    /**
     * Reads a value.
     *
     * @param in where to read
     * @return the value; never null
     * @throws WireFormatException if the bytes do not decode; a decoder may also let a record constructor's
     *     {@code IllegalArgumentException} or {@code NullPointerException} through: {@link ProtocolCodec#decode}
     *     turns those into a {@code WireFormatException}
     */
    T decode(WireReader in);
}
