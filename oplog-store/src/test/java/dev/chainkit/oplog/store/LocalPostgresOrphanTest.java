package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.store.crash.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed outright runs no shutdown hook, so the PostgreSQL server it started lives on; the next
 * {@link LocalPostgres#start} stops it. Played with real child JVMs, one killed with SIGKILL and one alive.
 */
class LocalPostgresOrphanTest {

    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path scratch;

    @Test
    void aServerWhoseOwnerWasKilledIsStoppedAndDeletedAndOneWhoseOwnerLivesIsLeftAlone() throws IOException {
        // the children's temp folder; as root their servers run as the postgres user, who must be able to enter it
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        ChildJvm killed = ChildJvm.start(scratch, StartPostgresMain.class, List.of());
        ChildJvm living = ChildJvm.start(scratch, StartPostgresMain.class, List.of());
        try {
            String[] orphan = started(killed);
            String[] kept = started(living);
            killed.kill();
            assertTrue(alive(orphan[2]), "the server outlives its killed owner (the leak this guards against)");

            assertEquals(1, LocalPostgres.reapOrphans(scratch));

            assertTrue(gone(orphan[2]), "the orphaned server was stopped");
            assertFalse(Files.exists(Path.of(orphan[1])), "the orphaned server's folder was deleted");
            assertTrue(alive(kept[2]), "a server whose owner lives is left alone");
            assertTrue(Files.exists(Path.of(kept[1])));
            assertEquals(0, LocalPostgres.reapOrphans(scratch), "nothing more to reap");

            living.endInput();
            assertEquals(0, living.waitFor(Duration.ofSeconds(90)));
            assertTrue(gone(kept[2]), "its owner stopped it on the way out");
            assertFalse(Files.exists(Path.of(kept[1])));
        } finally {
            killed.close();
            living.close();
            LocalPostgres.reapOrphans(scratch); // whatever a failure above left running
        }
    }

    /** The child's {@code STARTED FOLDER PID} line, split; failing with what the children printed to stderr. */
    private String[] started(ChildJvm child) {
        try {
            return child.await("STARTED ", START).split(" ");
        } catch (IllegalStateException e) {
            String err;
            try {
                err = Files.readString(scratch.resolve("child-stderr.log"));
            } catch (IOException io) {
                err = "(no stderr: " + io + ")";
            }
            throw new IllegalStateException(e.getMessage() + "\nthe children's stderr:\n" + err, e);
        }
    }

    /**
     * Whether the process is gone within 30 s: {@code pg_ctl stop -w} returns once the server removed its pid file,
     * a moment before the process itself is gone and reaped.
     */
    private static boolean gone(String pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }
}
