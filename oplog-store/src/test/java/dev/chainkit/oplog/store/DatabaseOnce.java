package dev.chainkit.oplog.store;

import java.util.function.Supplier;

/**
 * Opens the op-log store in one new database of the shared test server ({@link LocalPostgres#shared}), made on the
 * first call: every later call opens the same database again.
 */
final class DatabaseOnce implements Supplier<OplogDatabase> {

    private String url;

    @Override
    public OplogDatabase get() {
        LocalPostgres pg = LocalPostgres.shared();
        if (url == null) {
            url = pg.createDatabase("contract");
        }
        return OplogDatabase.postgres(url, pg.user(), pg.password());
    }
}
