package dev.chainkit.examples.event;

import dev.chainkit.core.IncarnationFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the nodes of {@code serve} and {@code client} get their incarnation: an {@link IncarnationFile} beside the
 * node's store ({@code FILE.incarnation} for {@code sqlite:FILE}), or where {@code --incarnation-file} says (a
 * PostgreSQL store keeps no local files, so it needs one). The number never repeats or goes back across restarts,
 * SIGKILL included, so peers never confuse a restarted node's new chains with its old ones.
 *
 * <p>Thread safety: stateless.
 */
final class Incarnations {

    private Incarnations() {
    }

    /**
     * The file a node keeps its incarnation in.
     *
     * @param store the node's store
     * @param override {@code --incarnation-file}, or null
     * @throws IllegalArgumentException if neither names a place (a PostgreSQL store and no override)
     */
    static Path file(StoreUrl store, Path override) {
        if (override != null) {
            return override;
        }
        if (store.sqliteFile() == null) {
            throw new IllegalArgumentException("a PostgreSQL store keeps no local files: give --incarnation-file FILE"
                    + " (a file only this node uses, kept across restarts)");
        }
        return Path.of(store.sqliteFile() + ".incarnation");
    }

    /**
     * The incarnation of a node starting now, durable before it is returned.
     *
     * @throws IllegalStateException saying what is wrong with the file (unreadable, damaged, not a file)
     */
    static long next(Path file) {
        try {
            return IncarnationFile.at(file).next();
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep this node's incarnation in " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
