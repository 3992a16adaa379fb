package dev.chainkit.examples;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.examples.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: {@code chainsim} and {@code chainsim run}, their exit codes, outputs and files. */
class ChainsimTest {

    private static final String PASSING = """
            # a1 lands everywhere once
            server hq
            client a role=judge
            client b role=judge
            network loss=0.2 duplicate=0.1 latency=1ms..30ms
            calm at 2s
            at 0ms a: a1 = register alice
            at 5ms b: b1 = register bob
            expect converged
            expect quiet
            expect once a1
            expect once b1
            """;

    @TempDir
    Path dir;



    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void noArgumentsPlaysTheDefaultScenarioAndExitsZero() {
        Cli.Result r = chainsim();

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("scenario friday-night (seed 2024): OK\n"), r.out());
        assertTrue(r.out().contains("expectations  28 of 28 held"), r.out());
    }

    @Test
    void runExitsZeroWhenEveryExpectationHolds() throws IOException {
        Cli.Result r = chainsim("run", file("pass.scn", PASSING).toString());

        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("scenario pass (seed 1): OK"), r.out());
        assertTrue(r.out().contains("    ok    line 11  expect once a1"), r.out());
    }

    @Test
    void runExitsOneWhenAnExpectationFailsAndSaysWhy() throws IOException {
        Path f = file("fail.scn", PASSING + "expect messages ForwardSync <= 1\nexpect log b = o0 b1 a1\n");

        Cli.Result r = chainsim("run", f.toString());

        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("scenario fail (seed 1): FAILED"), r.out());
        assertTrue(r.out().contains("FAIL  line 13  expect messages ForwardSync <= 1: sent "), r.out());
        assertTrue(r.out().contains("FAIL  line 14  expect log b = o0 b1 a1: b has o0 a1 b1, expected o0 b1 a1"),
                r.out());
    }

    @Test
    void invalidFileExitsTwoWithFileAndLineBeforeSimulatingAnything() throws IOException {
        Path f = file("bad.scn", "server hq\nclient a\nat 0ms a: a1 = register alice\nat 1s crash bob\n");

        Cli.Result r = chainsim("run", f.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(f + ":4: "), r.err());
        assertTrue(r.err().contains("bob"), r.err());
        assertEquals("", r.out(), "nothing simulated, nothing summarized");
    }

    @Test
    void invalidFileWithJsonOrTraceStillExitsTwoAndWritesNothing() throws IOException {
        Path f = file("bad.scn", "server hq\nexpect sometimes\n");
        Path trace = dir.resolve("bad.mmd");

        Cli.Result r = chainsim("run", f.toString(), "--json", "--trace", trace.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(f + ":2: unknown expectation 'sometimes'"), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(trace));
    }

    @Test
    void missingFileExitsTwoWithAClearMessage() {
        Path missing = dir.resolve("nope.scn");

        Cli.Result r = chainsim("run", missing.toString());

        assertEquals(2, r.exit());
        assertEquals("chainsim run: " + missing + ": no such file", r.err().strip());
    }

    @Test
    void badOptionExitsTwo() throws IOException {
        Cli.Result r = chainsim("run", "--seed", "many", file("pass.scn", PASSING).toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--seed"), r.err());
    }

    @Test
    void jsonGoesAloneToStandardOutputWithTheFieldsOfTheFormat() throws IOException {
        Cli.Result r = chainsim("run", file("pass.scn", PASSING).toString(), "--json");

        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        for (String field : List.of("scenario", "seed", "ok", "converged", "quiet", "virtual_time_ms", "nodes",
                "chains", "messages", "expectations", "rejected_ops", "invariant_violation", "pending")) {
            assertTrue(json.has(field), "missing " + field + " in " + r.out());
        }
        assertEquals("pass", json.get("scenario").asText());
        assertEquals(1, json.get("seed").asLong());
        assertTrue(json.get("ok").asBoolean() && json.get("converged").asBoolean() && json.get("quiet").asBoolean());
        JsonNode hq = json.get("nodes").get("hq");
        for (String field : List.of("log", "log_size", "log_digest", "pending_ops")) {
            assertTrue(hq.has(field), "missing nodes.hq." + field);
        }
        assertEquals(List.of("o0", "a1", "b1"), labels(json.get("nodes").get("b").get("log")));
        assertEquals(3, hq.get("log_size").asInt());
        assertEquals(json.get("nodes").get("a").get("log_digest"), hq.get("log_digest"));
        for (String field : List.of("started", "completed", "superseded", "failed", "timed_out", "conflict_rounds")) {
            assertTrue(json.get("chains").has(field), "missing chains." + field);
        }
        for (String field : List.of("sent", "delivered", "dropped", "duplicated", "retransmitted", "by_kind")) {
            assertTrue(json.get("messages").has(field), "missing messages." + field);
        }
        assertTrue(json.get("messages").get("by_kind").get("OpSync").get("sent").asLong() >= 2);
        JsonNode first = json.get("expectations").get(0);
        assertEquals(9, first.get("line").asInt());
        assertEquals("expect converged", first.get("text").asText());
        assertTrue(first.get("ok").asBoolean());
        assertTrue(first.has("detail"));
        assertTrue(r.err().startsWith("scenario pass (seed 1): OK"), "the summary goes to standard error");
    }

    @Test
    void sameSeedReplaysTheSameRunAndSeedOverridesTheFile() throws IOException {
        Path f = file("pass.scn", PASSING);

        Cli.Result first = chainsim("run", f.toString(), "--json", "--seed", "77");
        Cli.Result again = chainsim("run", f.toString(), "--json", "--seed", "77");
        Cli.Result other = chainsim("run", f.toString(), "--json", "--seed", "78");

        assertEquals(first.out(), again.out());
        assertEquals(77, new ObjectMapper().readTree(first.out()).get("seed").asLong());
        assertEquals(78, new ObjectMapper().readTree(other.out()).get("seed").asLong());
        assertNotEquals(first.out(), other.out());
    }

    @Test
    void traceWritesAMermaidSequenceDiagram() throws IOException {
        Path trace = dir.resolve("run.mmd");

        Cli.Result r = chainsim("run", file("pass.scn", PASSING).toString(), "--trace", trace.toString());

        assertEquals(0, r.exit(), r.err());
        String mmd = Files.readString(trace);
        assertTrue(mmd.startsWith("sequenceDiagram\n"), mmd);
        assertTrue(mmd.contains("participant hq"), mmd);
        assertTrue(mmd.matches("(?s).*    a->>hq: \\d+\\.\\d{3}s OpSync step 0 a/1/1\n.*"), mmd);
        assertTrue(mmd.contains("a: a1 = register alice"), "scripted ops appear as notes");
    }

    @Test
    void traceIntoAMissingDirectoryExitsTwoBeforeSimulating() throws IOException {
        Path trace = dir.resolve("no/such/dir/run.mmd");

        Cli.Result r = chainsim("run", file("pass.scn", PASSING).toString(), "--trace", trace.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void everyCommandHasHelp() {
        Cli.Result root = chainsim("--help");
        Cli.Result run = chainsim("run", "--help");

        assertEquals(0, root.exit());
        assertTrue(root.out().startsWith("Usage: chainsim"), root.out());
        assertTrue(root.out().contains("run"), root.out());
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("Usage: chainsim run"), run.out());
        assertTrue(run.out().contains("--json") && run.out().contains("--trace") && run.out().contains("--seed"));
        assertTrue(run.out().contains("standard error"), "says where the summary goes with --json");
    }

    @Test
    void versionIsPrinted() {
        Cli.Result r = chainsim("--version");

        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("chainsim "), r.out());
    }

    private static List<String> labels(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
