package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IncarnationFile}: incarnations never repeat and never go back, across re-opened files, across processes,
 * and across a process killed with SIGKILL while it takes them; a file it cannot trust is a clear error.
 */
class IncarnationFileTest {

    @TempDir
    Path dir;

    @Test
    void countsUpFromOneAcrossReopenedFiles() throws IOException {
        Path path = dir.resolve("incarnation");
        assertEquals(1, IncarnationFile.at(path).next());
        assertEquals(2, IncarnationFile.at(path).next());
        IncarnationFile reopened = IncarnationFile.at(path);
        assertEquals(3, reopened.next());
        assertEquals(4, reopened.next());
        assertTrue(Files.readString(path).startsWith("chainkit-incarnation 1\n4\n"));
        assertEquals(List.of("incarnation", "incarnation.lock"), listing(), "no temporary file is left");
    }

    @Test
    @Timeout(120)
    void neverRepeatsAcrossProcessesKilledWhileTakingIncarnations() throws Exception {
        Path path = dir.resolve("incarnation");
        long last = 0;
        for (int life = 0; life < 3; life++) {
            Process child = child(path, 1_000_000);
            try (BufferedReader out = reader(child)) {
                for (int i = 0; i < 20; i++) {
                    String line = out.readLine();
                    assertNotNull(line, () -> "the child died early: " + errors(child));
                    long n = Long.parseLong(line);
                    assertTrue(n > last, "incarnation " + n + " after " + last);
                    last = n;
                }
            } finally {
                child.destroyForcibly(); // SIGKILL, wherever it is in next()
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
        }
        Process fresh = child(path, 1);
        try (BufferedReader out = reader(fresh)) {
            String line = out.readLine();
            assertNotNull(line, () -> "the child failed: " + errors(fresh));
            long n = Long.parseLong(line);
            assertTrue(n > last, "after three killed lives, incarnation " + n + " after " + last);
            assertTrue(fresh.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, fresh.exitValue(), () -> errors(fresh));
        } finally {
            fresh.destroyForcibly();
        }
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static Process child(Path file, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IncarnationFileChild.class.getName(), file.toString(), Integer.toString(count)).start();
    }

    /** What the child wrote to its standard error; call it only once the child has ended or is ending. */
    private static String errors(Process p) {
        p.destroyForcibly();
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(its standard error could not be read: " + e + ")";
        }
    }

    @Test
    void aCorruptFileIsAClearErrorAndIsLeftAsItWas() throws IOException {
        Path path = dir.resolve("incarnation");
        IncarnationFile.at(path).next();
        String good = Files.readString(path);
        for (String bad : List.of("", "7\n", "chainkit-incarnation 1\n7\n", "chainkit-incarnation 1\nseven\n0\n",
                good.replace("\n1\n", "\n2\n"), "chainkit-incarnation 1\n0\n" + good.split("\n")[2] + "\n",
                "chainkit-incarnation 9\n1\n" + good.split("\n")[2] + "\n")) {
            Files.writeString(path, bad);
            IOException e = assertThrows(IOException.class, () -> IncarnationFile.at(path).next(), bad);
            assertTrue(e.getMessage().contains("is corrupt") && e.getMessage().contains(path.toString())
                    && e.getMessage().contains("restore the file from a backup"), e.getMessage());
            assertEquals(bad, Files.readString(path), "nothing is written over a file that does not check out");
        }
    }

    @Test
    void somethingElseAtThePathIsAClearError() throws IOException {
        Path path = dir.resolve("incarnation");
        Files.createDirectory(path);
        IOException e = assertThrows(IOException.class, () -> IncarnationFile.at(path).next());
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    }

    @Test
    void aDirectoryThatIsMissingOrCannotBeWrittenIsAClearError() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> IncarnationFile.at(dir.resolve("no-such-dir").resolve("incarnation")).next());
        assertTrue(missing.getMessage().contains("is not a directory"), missing.getMessage());

        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        IOException unwritable = assertThrows(IOException.class,
                () -> IncarnationFile.at(notADir.resolve("incarnation")).next());
        assertTrue(unwritable.getMessage().contains("is not a directory"), unwritable.getMessage());
    }

    @Test
    void theLargestIncarnationIsNotExceeded() throws IOException {
        Path path = dir.resolve("incarnation");
        String max = Long.toString(Long.MAX_VALUE);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(max.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(path, "chainkit-incarnation 1\n" + max + "\n" + String.format("%08x", crc.getValue())
                + "\n");
        IOException e = assertThrows(IOException.class, () -> IncarnationFile.at(path).next());
        assertTrue(e.getMessage().contains("largest incarnation"), e.getMessage());
    }

    private List<String> listing() throws IOException {
        try (var files = Files.list(dir)) {
            List<String> names = new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
            names.sort(null);
            return names;
        }
    }
}
