package dev.chainkit.oplog;

import io.vavr.control.Either;

/**
 * How a domain's op payloads are written down outside the process: one line of text per payload, the same on the
 * wire (the network codecs) and on disk (the op-log stores), so a stored log can be read by a person and by every
 * later version of the program.
 *
 * <p>Contract: {@code decode(encode(p))} yields a payload equal to {@code p}; {@link #encode} never produces a line
 * break; {@link #decode} never throws on any input, it answers what was wrong instead. A text form, once shipped, is
 * never changed in meaning: new forms may be added, old ones keep decoding.
 *
 * <p>Thread safety: implementations must be stateless (or immutable) and thread-safe.
 *
 * @param <P> the domain's payload type
 */
public interface PayloadCodec<P> {

    /**
     * Writes a payload as one line of text.
     *
     * @param payload the payload
     * @return its text form, without line breaks
     * @throws NullPointerException if {@code payload} is null
     */
    String encode(P payload);

    /**
     * Reads a payload from its text form.
     *
     * @param text the text form, as {@link #encode} wrote it (or as a person typed it)
     * @return the payload, or a message saying what was wrong and what was expected
     */
    Either<String, P> decode(String text);

    /**
     * A codec for {@code Integer} payloads in decimal, for small domains such as counters in tests and benchmarks.
     *
     * @return the codec; stateless
     */
    static PayloadCodec<Integer> integers() {
        return IntegerPayloads.INSTANCE;
    }
}
