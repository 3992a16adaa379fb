package dev.chainkit.examples;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.examples.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainsim live}'s command line: what it refuses before anything starts (exit 2, saying what was wrong), and
 * a run that cannot finish, which stops at its bound and says what it was waiting for instead of hanging.
 */
class LiveCommandTest {

    private static final String TWO_NODES = "scenario two\nserver hq\nclient a role=judge\n";

    @TempDir
    Path dir;

    @AfterEach
    void leavesNoProcessBehind() {
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    }

    private Path file(String text) throws IOException {
        Path f = dir.resolve("s.scn");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aMissingFileIsRefusedWithExitTwo() {
        Cli.Result r = chainsim("live", dir.resolve("nope.scn").toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nope.scn"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aLineThatDoesNotParseIsRefusedWithItsFileAndLine() throws IOException {
        Path f = file(TWO_NODES + "at 0ms a: register\n");

        Cli.Result r = chainsim("live", f.toString(), "--in-process");

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(f + ":4: "), r.err());
    }

    @Test
    void aSpeedOutOfRangeIsRefused() throws IOException {
        Path f = file(TWO_NODES);
        for (String speed : List.of("0", "-1", "101", "NaN")) {
            Cli.Result r = chainsim("live", f.toString(), "--speed", speed);

            assertEquals(2, r.exit(), speed);
            assertTrue(r.err().contains("--speed must be more than 0 and at most 100"), r.err());
        }
    }

    @Test
    void aTimeoutThatIsNoDurationIsRefused() throws IOException {
        Path f = file(TWO_NODES);
        for (String timeout : List.of("soon", "0s", "10")) {
            Cli.Result r = chainsim("live", f.toString(), "--timeout", timeout);

            assertEquals(2, r.exit(), timeout);
            assertTrue(r.err().contains("--timeout " + timeout + ": expected a duration of more than 0"), r.err());
        }
    }

    @Test
    void aFolderToKeepThatHoldsFilesIsRefusedAndKeepsThem() throws IOException {
        Path f = file(TWO_NODES);
        Path keep = Files.createDirectories(dir.resolve("keep"));
        Files.writeString(keep.resolve("mine.txt"), "precious");

        Cli.Result r = chainsim("live", f.toString(), "--keep", keep.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--keep " + keep + ": expected a new or empty folder, but the folder is not"
                + " empty"), r.err());
        assertEquals("precious", Files.readString(keep.resolve("mine.txt")));
    }

    @Test
    void aRuleAboutHintsIsRefusedBeforeAnythingStarts() throws IOException {
        Path f = file("scenario two\nserver s1\nserver s2\nclient a role=judge servers=s1,s2\n"
                + "at 0ms drop next Hint s1 -> s2\n");

        Cli.Result r = chainsim("live", f.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("line 5: a rule about Hint messages; chainsim live cannot honour it"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void noFileAndAnUnknownOptionAreUsageErrors() throws IOException {
        assertEquals(2, chainsim("live").exit());
        Cli.Result r = chainsim("live", file(TWO_NODES).toString(), "--fast");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--fast"), r.err());
    }

    @Test
    void helpDescribesTheCommand() {
        Cli.Result r = chainsim("live", "--help");

        assertEquals(0, r.exit());
        for (String option : List.of("--json", "--speed", "--in-process", "--timeout", "--keep")) {
            assertTrue(r.out().contains(option), option + " in:\n" + r.out());
        }
    }

    @Test
    void aRunThatCannotGetQuietStopsAtItsLimitAndSaysWhatItWaitsFor() throws IOException {
        Path f = file("scenario stuck\nlimit 2s\nserver hq\nclient a role=judge\nclient b role=judge\n"
                + "at 0ms partition a | hq\nat 10ms a: a1 = register alice\nat 20ms b: b1 = register bob\n"
                + "expect quiet\nexpect log hq = o0 b1\n");

        Cli.Result r = chainsim("live", f.toString(), "--in-process", "--json", "--timeout", "2m");

        assertEquals(1, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.get("quiet").asBoolean());
        assertEquals(2000, json.get("virtual_time_ms").asLong());
        assertTrue(json.get("pending").asText().contains("a: 1 pending op(s)"), json.get("pending").asText());
        assertTrue(r.err().contains("virtual time  2s, NOT quiet: ") && r.err().contains("a: 1 pending op(s)"), r.err());
        assertFalse(json.get("expectations").get(0).get("ok").asBoolean());
        assertTrue(json.get("expectations").get(1).get("ok").asBoolean(), "b1 reached the server, a cut off");
    }

    @Test
    void aRunPastItsWallClockBoundSaysWhichEventItWasWaitingFor() throws IOException {
        Path f = file(TWO_NODES + "at 0ms a: a1 = register alice\nat 1m a: a2 = register bob\nexpect once a2\n");

        Cli.Result r = chainsim("live", f.toString(), "--in-process", "--timeout", "3s");

        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("the run could not be carried out: the run's wall-clock bound passed before the"
                + " event at 1m 0s (1 event was left)"), r.err());
        assertEquals("", r.out());
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("chainsim-live-")
                    && p.toFile().lastModified() >= System.currentTimeMillis() - 60_000 && isRunFolder(p)),
                    "the run's folder was removed");
        }
    }

    private static boolean isRunFolder(Path p) {
        return Files.exists(p.resolve("scenario.scn"));
    }
}
