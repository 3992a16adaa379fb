package dev.chainkit.examples.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.EngineFaultPlanting;
import dev.chainkit.examples.Chainsim;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code chainsim run} on a violation file of {@code chainsim explore}: the explored path, written as
 * {@code explored} and {@code step} lines, replays exactly, with the file's expectations and the explorer's checks;
 * a path that does not belong to its file is refused with its line.
 */
class ExploredPathRunTest {

    @TempDir
    Path dir;
    private Path file;

    /** Explores one judge with one copy under the engine's planted fault, which writes the violation's file. */
    @BeforeEach
    void writeTheEngineFaultsViolationFile() throws Exception {
        try (AutoCloseable planted = EngineFaultPlanting.rerunHandlerOnDuplicate()) {
            // one thread: a planted fault holds for the thread that planted it only
            Result r = chainsim("explore", "--threads", "1", "--clients", "1", "--ops", "1", "--losses", "0",
                    "--duplicates", "1", "--crashes", "0", "--lifetime", "300", "--out", dir.toString());
            assertEquals(1, r.status, r.out);
        }
        file = dir.resolve("explore-violation-1.scn");
    }

    @Test
    void theFileHoldsThePathAsStepLinesAfterTheBounds() throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains("\nexplored losses=0 duplicates=1 crashes=0 network=datagram lifetime=300ms\n"),
                text);
        assertTrue(text.contains("\nstep c1: c1o1 = register c1p1\n"), text);
        assertTrue(text.contains("\nstep duplicate OpSync c1 -> hq\n"), text);
        assertTrue(text.contains("\nexpect converged\nexpect quiet\n"), text);
    }

    @Test
    void chainsimRunReplaysTheViolationExactlyAndFailsWithTheSameReportFields() throws Exception {
        Result text;
        Result json;
        try (AutoCloseable planted = EngineFaultPlanting.rerunHandlerOnDuplicate()) {
            text = chainsim("run", file.toString());
            json = chainsim("run", file.toString(), "--json");
        }
        assertEquals(1, text.status, text.out + text.err);
        assertTrue(text.out.contains("invariant     BROKEN INVARIANT at step "), text.out);
        assertTrue(text.out.contains("the responder handler of hq saw step 0 of chain c1/1/1 twice"), text.out);
        assertEquals(1, json.status, json.err);
        for (String field : List.of("\"scenario\" : \"explore-violation-1\"", "\"ok\" : false", "\"converged\"",
                "\"quiet\"", "\"virtual_time_ms\"", "\"nodes\"", "\"chains\"", "\"messages\"", "\"expectations\"",
                "\"invariant_violation\" : \"INVARIANT at step ")) {
            assertTrue(json.out.contains(field), field + " in " + json.out);
        }
    }

    @Test
    void withoutTheFaultTheSamePathReplaysCleanAndEveryExpectationHolds() throws Exception {
        Path trace = dir.resolve("replay.mmd");
        Result r = chainsim("run", file.toString(), "--trace", trace.toString());
        assertEquals(0, r.status, r.out + r.err);
        assertTrue(r.out.contains("converged     yes"), r.out);
        assertTrue(r.out.contains("expectations  2 of 2 held"), r.out);
        String diagram = Files.readString(trace);
        assertTrue(diagram.startsWith("sequenceDiagram\n") && diagram.contains("OpSync"), diagram);
        assertEquals(0, chainsim("explore", "--replay", file.toString()).status);
    }

    @Test
    void aStepThatIsNotAChoiceOfItsStateIsRefusedWithItsLine() throws Exception {
        List<String> lines = Files.readAllLines(file);
        int at = lines.indexOf("step duplicate OpSync c1 -> hq");
        lines.set(at, "step duplicate ForwardSync hq -> c1");
        Files.write(file, lines, StandardCharsets.UTF_8);
        for (String command : List.of("run", "explore")) {
            Result r = command.equals("run") ? chainsim("run", file.toString())
                    : chainsim("explore", "--replay", file.toString());
            assertEquals(2, r.status, r.out + r.err);
            assertTrue(r.err.startsWith(file + ":" + (at + 1) + ": step "), r.err);
            assertTrue(r.err.contains("'duplicate ForwardSync hq -> c1' is not a choice of its state"), r.err);
            assertEquals("", r.out);
        }
    }

    @Test
    void stepLinesMixedWithARandomNetworkAreRefusedWithTheLine() throws Exception {
        List<String> lines = Files.readAllLines(file);
        lines.add(3, "network loss=0.1");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Result r = chainsim("run", file.toString());
        assertEquals(2, r.status, r.out + r.err);
        assertTrue(r.err.startsWith(file + ":4: 'network' cannot be mixed with an explored path"), r.err);
    }

    @Test
    void aStepWithoutTheBoundsOrWithAMalformedExploredLineIsRefused() throws Exception {
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("\nexplored [^\n]*\n", "\n"));
        Result noBounds = chainsim("run", file.toString());
        assertEquals(2, noBounds.status, noBounds.err);
        assertTrue(noBounds.err.contains(": a 'step' line needs an 'explored' line"), noBounds.err);
        Files.writeString(file, text.replace("duplicates=1", "duplicates=one"));
        Result bad = chainsim("run", file.toString());
        assertEquals(2, bad.status, bad.err);
        assertTrue(bad.err.contains(": bad duplicates 'one': expected a whole number"), bad.err);
        Files.writeString(file, text);
        Result seeded = chainsim("run", file.toString(), "--seeds", "3");
        assertEquals(2, seeded.status, seeded.err);
        assertTrue(seeded.err.contains("replays an explored path exactly"), seeded.err);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result chainsim(String... args) {
        CommandLine cl = Chainsim.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }
}
