package dev.chainkit.oplog.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child process for {@link LocalPostgresOrphanTest}: starts a {@link LocalPostgres}, prints {@code STARTED FOLDER
 * POSTMASTER_PID}, and holds it until its input closes (then closes it) or it is killed.
 */
public final class StartPostgresMain {

    private StartPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalPostgres pg = LocalPostgres.start()) {
            Path folder = pg.folder();
            String postmaster = Files.readAllLines(folder.resolve("data").resolve("postmaster.pid")).get(0).trim();
            System.out.println("STARTED " + folder + " " + postmaster);
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the server until the parent closes our input or kills us
            }
        }
    }
}
