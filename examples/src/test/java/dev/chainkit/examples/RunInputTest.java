package dev.chainkit.examples;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code chainsim run} does with input that is not a scenario: every refusal is one line in plain words, exit
 * status 2, nothing simulated, no Java exception name and no invisible character in the message.
 */
class RunInputTest {

    private static final String PASSING = "server hq\nclient a\nat 0ms a: a1 = register alice\nexpect once a1\n";

    @TempDir
    Path dir;



    /** Exit 2, nothing on standard output, one plain line on standard error. */
    private static void assertRefused(Cli.Result r, String expected) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals("", r.out(), "nothing was simulated");
        assertEquals(expected + "\n", r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), "only visible ASCII: " + r.err());
    }

    @Test
    void devZeroIsRefusedAsTooLargeInsteadOfFillingMemory() {
        assertRefused(chainsim("run", "/dev/zero"), "chainsim run: /dev/zero: too large: a scenario file has at most"
                + " 64 MiB; is it the file you meant?");
    }

    @Test
    void aDirectoryIsRefused() {
        assertRefused(chainsim("run", dir.toString()), "chainsim run: " + dir + ": is a directory, not a scenario"
                + " file");
    }

    @Test
    void aLoopOfSymbolicLinksIsRefused() throws IOException {
        Path a = dir.resolve("a.scn");
        Path b = dir.resolve("b.scn");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);

        assertRefused(chainsim("run", a.toString()), "chainsim run: " + a + ": cannot read it: its symbolic links go round"
                + " in a loop");
    }

    @Test
    void aMissingFileIsRefused() {
        Path missing = dir.resolve("nope.scn");
        assertRefused(chainsim("run", missing.toString()), "chainsim run: " + missing + ": no such file");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLine() throws IOException {
        Path f = dir.resolve("latin1.scn");
        Files.write(f, "server hq\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertRefused(chainsim("run", f.toString()), "chainsim run: " + f + ":2: not UTF-8 text (byte 0xE9 at offset"
                + " 15); save the file as UTF-8");
    }

    @Test
    void aByteOrderMarkIsRefusedInPlainWords() throws IOException {
        Path f = Files.writeString(dir.resolve("bom.scn"), "\uFEFF" + PASSING);

        assertRefused(chainsim("run", f.toString()), f + ":1: the file starts with a byte order mark (U+FEFF,"
                + " invisible in most editors); save it as UTF-8 without BOM");
    }

    @Test
    void aNulByteIsRefusedWithItsLineAndColumn() throws IOException {
        Path f = Files.writeString(dir.resolve("nul.scn"), "server hq\nclient a\u0000\n");

        assertRefused(chainsim("run", f.toString()), f + ":2: column 9 holds a NUL byte (U+0000); a scenario is plain"
                + " text (remove it, or retype the line)");
    }

    @Test
    void aTraceIntoADirectoryIsRefusedBeforeAnythingIsSimulated() throws IOException {
        Path f = Files.writeString(dir.resolve("ok.scn"), PASSING);

        assertRefused(chainsim("run", f.toString(), "--trace", dir.toString()), "chainsim run: --trace " + dir
                + ": is a directory; name a file such as run.mmd");
    }

    @Test
    void aTraceUnderAFileIsRefusedBeforeAnythingIsSimulated() throws IOException {
        Path f = Files.writeString(dir.resolve("ok.scn"), PASSING);
        Path under = f.resolve("run.mmd");

        assertRefused(chainsim("run", f.toString(), "--trace", under.toString()), "chainsim run: --trace " + under
                + ": directory " + f + " does not exist");
    }

    @Test
    void aTraceFilterWithoutATraceIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("ok.scn"), PASSING);

        assertRefused(chainsim("run", f.toString(), "--trace-filter", "kind=OpSync"),
                "chainsim run: --trace-filter narrows a trace: add --trace OUT.mmd");
    }

    @Test
    void aTraceFilterNamingAnUnknownKindIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("ok.scn"), PASSING);

        Cli.Result r = chainsim("run", f.toString(), "--trace", dir.resolve("t.mmd").toString(), "--trace-filter",
                "kind=Reserv");

        assertRefused(r, "chainsim run: --trace-filter kind=Reserv: unknown kind 'Reserv' (known: OpSync, SyncSuccess,"
                + " SyncSuccessWithNewOps, OpProcessor, ProcessorDecision, SyncFailed, ForwardSync, ForwardAck,"
                + " SyncRejected, Busy, Aborted, any)");
        assertFalse(Files.exists(dir.resolve("t.mmd")));
    }
}
