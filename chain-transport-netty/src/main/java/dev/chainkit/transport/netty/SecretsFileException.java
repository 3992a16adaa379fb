package dev.chainkit.transport.netty;

/**
 * A secrets file that cannot be used: unreadable, too open, or with a line that is wrong. The message names the
 * file (and the line, when one is at fault) and says what was expected.
 *
 * <p>Thread safety: immutable.
 */
public final class SecretsFileException extends RuntimeException {

    /**
     * @param message {@code FILE:LINE: what is wrong}, or {@code FILE: what is wrong}
     * @param cause the underlying error, or null
     */
    public SecretsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
