package dev.chainkit.examples.event;

import java.net.InetSocketAddress;

/**
 * {@code HOST:PORT} on a command line.
 *
 * <p>Thread safety: stateless.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * Reads {@code HOST:PORT} (an IPv6 host in brackets: {@code [::1]:7070}).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static InetSocketAddress parse(String text, String option) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(option + " '" + text + "': expected HOST:PORT, e.g. 127.0.0.1:7070");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "': the port is not a number", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " '" + text + "': the port must be 0 to 65535");
        }
        return new InetSocketAddress(host, port);
    }
}
