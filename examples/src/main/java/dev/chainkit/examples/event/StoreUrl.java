package dev.chainkit.examples.event;

import dev.chainkit.oplog.store.OplogDatabase;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command keeps its logs, as given on its command line: {@code sqlite:FILE} (an embedded SQLite file) or
 * {@code postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD} (a PostgreSQL database; the user defaults to
 * the {@code PGUSER} environment variable, the password to {@code PGPASSWORD}).
 *
 * <p>Thread safety: immutable.
 *
 * @param text the text as given
 * @param sqliteFile the SQLite file, or null for PostgreSQL
 * @param jdbcUrl the JDBC URL of a PostgreSQL database, or null for SQLite
 * @param user the PostgreSQL user, or null
 * @param password the PostgreSQL password, or null
 */
public record StoreUrl(String text, Path sqliteFile, String jdbcUrl, String user, String password) {

    /**
     * Reads a store URL.
     *
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static StoreUrl parse(String text) {
        Objects.requireNonNull(text, "text");
        String expected = "expected sqlite:FILE or postgresql://HOST:PORT/DATABASE?user=USER";
        if (text.startsWith("sqlite:")) {
            String file = text.substring("sqlite:".length());
            if (file.isBlank()) {
                throw new IllegalArgumentException("store '" + text + "' names no file; " + expected);
            }
            return new StoreUrl(text, Path.of(file), null, null, null);
        }
        if (text.startsWith("postgresql://")) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("store '" + text + "' is not a URL: " + e.getMessage() + "; "
                        + expected, e);
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new IllegalArgumentException("store '" + text + "' lacks a host or a database; " + expected);
            }
            Map<String, String> query = query(uri.getRawQuery());
            String user = query.getOrDefault("user", System.getenv("PGUSER"));
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("store '" + text + "' names no user (?user=USER, or PGUSER)");
            }
            String password = query.getOrDefault("password", System.getenv("PGPASSWORD"));
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getPath();
            return new StoreUrl(text, null, jdbc, user, password);
        }
        throw new IllegalArgumentException("store '" + text + "' is neither; " + expected);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    /**
     * Opens the store.
     *
     * @throws dev.chainkit.oplog.store.StoreException if it cannot be opened (locked, damaged, unreachable)
     */
    public OplogDatabase open() {
        return sqliteFile != null ? OplogDatabase.sqlite(sqliteFile) : OplogDatabase.postgres(jdbcUrl, user, password);
    }

    @Override
    public String toString() {
        return sqliteFile != null ? text : jdbcUrl + " as " + user; // never the password
    }
}
