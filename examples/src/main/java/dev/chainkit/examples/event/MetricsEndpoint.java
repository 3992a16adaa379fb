package dev.chainkit.examples.event;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Prometheus scrape endpoint: {@code GET /metrics} on an address of its own, served by the JDK's HTTP server on
 * one thread of its own. Everything else is 404.
 *
 * <p>Thread safety: thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves {@code scrape} at {@code /metrics} on {@code address} (port 0 picks a free one).
     *
     * @throws IOException if the address cannot be bound
     */
    public static MetricsEndpoint start(InetSocketAddress address, Supplier<String> scrape) throws IOException {
        Objects.requireNonNull(scrape, "scrape");
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean metrics = exchange.getRequestURI().getPath().equals("/metrics")
                        && exchange.getRequestMethod().equals("GET");
                byte[] body = (metrics ? scrape.get() : "not found; metrics are at /metrics\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", metrics
                        ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(metrics ? 200 : 404, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return new MetricsEndpoint(server);
    }

    /** The address it listens on (with the actual port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
    }
}
