package dev.chainkit.oplog.store;

import java.nio.file.Path;

/**
 * A child process for {@link SqliteLockTest}: opens the SQLite store named by its argument and prints {@code OPENED}
 * (then holds it until its input closes) or {@code LOCKED message}.
 */
public final class OpenStoreMain {

    private OpenStoreMain() {
    }

    public static void main(String[] args) throws Exception {
        try (OplogDatabase db = OplogDatabase.sqlite(Path.of(args[0]))) {
            System.out.println("OPENED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the store until the parent closes our input or kills us
            }
        } catch (StoreLockedException e) {
            System.out.println("LOCKED " + e.getMessage());
            System.out.flush();
        }
    }
}
