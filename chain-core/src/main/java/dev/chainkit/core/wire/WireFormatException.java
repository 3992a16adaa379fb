package dev.chainkit.core.wire;

/**
 * Bytes that do not decode: truncated, out of range, not valid UTF-8, an unknown tag, or refused by a message's own
 * checks. The message says what was wrong and at which byte of the input.
 *
 * <p>Unchecked, so that decoders nest as plain lambdas; a transport catches it at the frame boundary and closes the
 * connection with a typed reason. It carries no stack trace: it reports bad input, not a bug, and its message says
 * where (so a peer sending garbage costs no stack walk per frame). Thread safety: immutable.
 */
public class WireFormatException extends RuntimeException {

    private final int position;
    private final String detail;

    /**
     * @param position the byte offset (from the start of the decoded input) where the problem was found
     * @param message what was wrong and what was expected
     */
    public WireFormatException(int position, String message) {
        super("at byte " + position + ": " + message, null, false, false);
        this.position = position;
        this.detail = message;
    }

    /** The byte offset, from the start of the decoded input, where the problem was found. */
    public int position() {
        return position;
    }

    /** What was wrong, without the position. */
    public String detail() {
        return detail;
    }
}
