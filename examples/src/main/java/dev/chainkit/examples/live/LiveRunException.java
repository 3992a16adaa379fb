package dev.chainkit.examples.live;

/**
 * A live run cannot go on: a node did not start or does not answer, a port cannot be had. The message says what the
 * run was waiting for and where to look (a node's log file).
 *
 * <p>Thread safety: immutable.
 */
public final class LiveRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LiveRunException(String message) {
        super(message);
    }

    LiveRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
