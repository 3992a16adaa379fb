package dev.chainkit.oplog.store;

import java.util.function.Supplier;

/**
 * An {@link OplogDatabase} under test that can be closed and opened again as a restarted process would, and that
 * is closed after the test.
 */
final class StoreFiles implements AutoCloseable {

    private final Supplier<OplogDatabase> opener;
    private OplogDatabase db;

    StoreFiles(Supplier<OplogDatabase> opener) {
        this.opener = opener;
    }

    /** The open database, opening it first if needed. */
    OplogDatabase db() {
        if (db == null) {
            db = opener.get();
        }
        return db;
    }

    /** Closes the database and opens it again. */
    OplogDatabase reopen() {
        close();
        return db();
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
