package dev.chainkit.examples.event;

import java.net.InetSocketAddress;

/**
 * {@code HOST:PORT} and {@code NAME@HOST:PORT} on a command line.
 *
 * <p>Thread safety: stateless.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * A server a device may dial: its node id and its address.
     *
     * @param node the server's node id
     * @param address where it listens
     */
    record Server(dev.chainkit.core.NodeId node, InetSocketAddress address) {
        @Override
        public String toString() {
            return node + " at " + address.getHostString() + ":" + address.getPort();
        }
    }

    /**
     * Reads the servers of {@code --connect}: each value a comma list of {@code NAME@HOST:PORT}, or {@code
     * HOST:PORT} when there is one server only (named {@code defaultName}).
     *
     * @throws IllegalArgumentException saying what is wrong: a bad address or name, a server named twice, or
     *     several servers without names
     */
    static java.util.List<Server> servers(java.util.List<String> values, String defaultName, String option) {
        java.util.List<String> entries = new java.util.ArrayList<>();
        for (String v : values) {
            for (String e : v.split(",", -1)) {
                if (e.isBlank()) {
                    throw new IllegalArgumentException(option + " '" + v + "': an empty entry; expected NAME@HOST:PORT"
                            + " separated by ','");
                }
                entries.add(e.strip());
            }
        }
        java.util.List<Server> servers = new java.util.ArrayList<>();
        java.util.Set<dev.chainkit.core.NodeId> names = new java.util.HashSet<>();
        for (String e : entries) {
            int at = e.indexOf('@');
            if (at < 0 && entries.size() > 1) {
                throw new IllegalArgumentException(option + " '" + e + "': with several servers, name each one:"
                        + " NAME@HOST:PORT, e.g. s1@127.0.0.1:7070");
            }
            dev.chainkit.core.NodeId node;
            try {
                node = dev.chainkit.core.NodeId.of(at < 0 ? defaultName : e.substring(0, at));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(option + " '" + e + "': " + bad.getMessage(), bad);
            }
            if (!names.add(node)) {
                throw new IllegalArgumentException(option + ": server " + node + " is named twice");
            }
            servers.add(new Server(node, parse(at < 0 ? e : e.substring(at + 1), option)));
        }
        return servers;
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
