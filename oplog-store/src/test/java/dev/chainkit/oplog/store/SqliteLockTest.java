package dev.chainkit.oplog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.store.crash.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One SQLite store file serves one process: a second open is refused, in another process or in this one. */
class SqliteLockTest {

    @TempDir
    Path folder;

    @Test
    void aSecondProcessCannotOpenAStoreThisProcessHasOpen() {
        Path file = folder.resolve("server.db");
        try (OplogDatabase db = OplogDatabase.sqlite(file); ChildJvm child = ChildJvm.start(folder,
                OpenStoreMain.class, List.of(file.toString()))) {
            String line = child.await("", Duration.ofSeconds(60));
            assertTrue(line.startsWith("LOCKED ") && line.contains("pid " + ProcessHandle.current().pid()),
                    "the child is refused and told who holds the store: " + line);
            assertEquals(0, child.waitFor(Duration.ofSeconds(30)));
        }
    }

    @Test
    void aStoreHeldByAnotherProcessIsRefusedUntilThatProcessIsKilled() {
        Path file = folder.resolve("server.db");
        try (ChildJvm child = ChildJvm.start(folder, OpenStoreMain.class, List.of(file.toString()))) {
            assertEquals("OPENED", child.await("", Duration.ofSeconds(60)));
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> OplogDatabase.sqlite(file));
            assertTrue(e.getMessage().contains("pid " + child.pid()), e.getMessage());

            child.kill(); // SIGKILL: the OS drops the lock with the process
        }
        try (OplogDatabase db = OplogDatabase.sqlite(file)) {
            assertEquals(Schema.CURRENT, db.schemaVersion());
        }
    }

    @Test
    void aSecondOpenInTheSameProcessIsRefusedAndTheFirstCloseReleasesIt() {
        Path file = folder.resolve("server.db");
        OplogDatabase first = OplogDatabase.sqlite(file);
        assertThrows(StoreLockedException.class, () -> OplogDatabase.sqlite(file));
        first.close();
        OplogDatabase.sqlite(file).close();
    }
}
