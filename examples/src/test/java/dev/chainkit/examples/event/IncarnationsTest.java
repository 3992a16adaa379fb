package dev.chainkit.examples.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code serve} and {@code client} keep their incarnation, and that a restart never repeats one. */
class IncarnationsTest {

    @TempDir
    Path dir;

    @Test
    void aSqliteStoreKeepsItsIncarnationBesideItUnlessToldOtherwise() {
        StoreUrl sqlite = StoreUrl.parse("sqlite:" + dir.resolve("judge1.db"));
        assertEquals(Path.of(dir.resolve("judge1.db") + ".incarnation"), Incarnations.file(sqlite, null));
        assertEquals(dir.resolve("elsewhere"), Incarnations.file(sqlite, dir.resolve("elsewhere")));
    }

    @Test
    void aPostgresStoreNeedsAnIncarnationFile() {
        StoreUrl pg = StoreUrl.parse("postgresql://127.0.0.1:5432/events?user=chainkit");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Incarnations.file(pg, null));
        assertTrue(e.getMessage().contains("--incarnation-file"), e.getMessage());
        assertEquals(dir.resolve("hq.incarnation"), Incarnations.file(pg, dir.resolve("hq.incarnation")));
    }

    @Test
    void everyStartGetsAGreaterIncarnationAndADamagedFileIsAnErrorNamingIt() throws Exception {
        Path file = dir.resolve("hq.incarnation");
        long first = Incarnations.next(file);
        long second = Incarnations.next(file);
        assertTrue(second > first, first + " then " + second);
        Files.writeString(file, "not an incarnation\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Incarnations.next(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
