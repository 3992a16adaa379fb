package dev.chainkit.core.wire;

/**
 * A message tag that the protocol's codec does not register. Only registered tags decode: an unknown one is
 * refused before any of its bytes are read.
 *
 * <p>Thread safety: immutable.
 */
public final class UnknownTagException extends WireFormatException {

    private final String protocol;
    private final int tag;

    /**
     * @param position the byte offset of the tag
     * @param protocol the protocol whose codec was asked
     * @param tag the tag read
     */
    public UnknownTagException(int position, String protocol, int tag) {
        super(position, "tag " + tag + " is not a message of protocol '" + protocol + "'");
        this.protocol = protocol;
        this.tag = tag;
    }

    /** The protocol whose codec was asked. */
    public String protocol() {
        return protocol;
    }

    /** The tag read. */
    public int tag() {
        return tag;
    }
}
