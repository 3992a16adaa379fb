package dev.chainkit.examples;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.examples.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chainsim run} beyond one plain run: across seeds, trace filters, chains open at the end, generate. */
class RunCommandTest {

    /** Whether the OpSync gets through the first time depends on the seed's losses. */
    private static final String SEED_DEPENDENT = """
            server hq
            client a
            client b
            network loss=0.4 latency=1ms..20ms
            calm at 5s
            at 0ms a: a1 = register alice
            at 0ms b: b1 = register bob
            expect converged
            expect messages OpSync <= 2
            """;

    private static final String TWO_CLIENTS = """
            server hq
            client a
            client b
            at 0ms a: a1 = register alice
            at 2s b: b1 = register bob
            expect converged
            """;

    @TempDir
    Path dir;



    @Test
    void seedsNameEverySeedWhereAnExpectationFailsAndHowToReplayIt() throws Exception {
        Path f = Files.writeString(dir.resolve("flaky.scn"), SEED_DEPENDENT);
        Scenario scenario = ScenarioParser.parse(f.toString(), SEED_DEPENDENT);
        List<Long> failing = new ArrayList<>();
        for (long seed = 100; seed < 130; seed++) {
            if (!new ScenarioRun(scenario, seed, false).play().ok()) {
                failing.add(seed);
            }
        }
        assertTrue(!failing.isEmpty() && failing.size() < 30, "the scenario must depend on the seed: " + failing);

        Cli.Result r = chainsim("run", f.toString(), "--seeds", "30", "--seed", "100");

        assertEquals(1, r.exit(), r.out() + r.err());
        for (long seed : failing) {
            assertTrue(r.out().contains("seed " + seed + " FAILED\n"), r.out());
            assertTrue(r.out().contains("  replay: chainsim run " + f + " --seed " + seed + "\n"), r.out());
        }
        assertTrue(r.out().contains("expect messages OpSync <= 2: sent "), r.out());
        assertTrue(r.out().endsWith("scenario flaky: 30 seeds from 100: " + (30 - failing.size()) + " passed, "
                + failing.size() + " failed (seeds " + String.join(", ", failing.stream().map(String::valueOf)
                .toList()) + ")\n"), r.out());
        assertEquals(1, chainsim("run", f.toString(), "--seed", String.valueOf(failing.get(0))).exit(),
                "the named seed replays the failure");

        JsonNode json = new ObjectMapper().readTree(chainsim("run", f.toString(), "--seeds", "30", "--seed", "100",
                "--json").out());
        assertEquals(failing.size(), json.get("failed").asInt());
        assertEquals(failing.get(0).longValue(), json.get("failed_seeds").get(0).asLong());
        assertEquals(9, json.get("failures").get(0).get("failed_expectations").get(0).get("line").asInt());
    }

    @Test
    void seedsThatAllPassExitZero() throws Exception {
        Path f = Files.writeString(dir.resolve("ok.scn"), TWO_CLIENTS);

        Cli.Result r = chainsim("run", f.toString(), "--seeds", "5");

        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("scenario ok: 5 seeds from 1: 5 passed, 0 failed\n", r.out());
    }

    @Test
    void seedsWithATraceAreRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("ok.scn"), TWO_CLIENTS);

        Cli.Result r = chainsim("run", f.toString(), "--seeds", "5", "--trace", dir.resolve("t.mmd").toString());

        assertEquals(2, r.exit());
        assertEquals("chainsim run: --trace draws one run, not 5; play the seed you want to see with --seed N"
                + " --trace OUT.mmd\n", r.err());
    }

    @Test
    void traceFilterKeepsOnlyTheChosenKindsNodesAndWindow() throws Exception {
        Path f = Files.writeString(dir.resolve("two.scn"), TWO_CLIENTS);
        Path trace = dir.resolve("t.mmd");

        Cli.Result r = chainsim("run", f.toString(), "--trace", trace.toString(), "--trace-filter", "kind=OpSync,SyncSuccess",
                "--trace-filter", "node=a", "--trace-filter", "time=..1s");

        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(trace);
        assertEquals(List.of("sequenceDiagram", "    participant hq", "    participant a"), lines.subList(0, 3));
        Pattern arrow = Pattern.compile("    (\\w+)-(>>|x)(\\w+): (\\d+)\\.(\\d{3})s (\\w+) step .*");
        int arrows = 0;
        for (String line : lines.subList(3, lines.size())) {
            Matcher m = arrow.matcher(line);
            if (!m.matches()) {
                assertTrue(line.startsWith("    Note over hq,a: "), line);
                continue;
            }
            arrows++;
            assertTrue(m.group(1).equals("a") || m.group(3).equals("a"), line);
            assertTrue(m.group(6).equals("OpSync") || m.group(6).equals("SyncSuccess"), line);
            assertTrue(Integer.parseInt(m.group(4)) * 1000 + Integer.parseInt(m.group(5)) <= 1000, line);
        }
        assertEquals(2, arrows, String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("b: b1 = register bob")), "b's op is after the window");
    }

    @Test
    void chainsStillOpenWhenTheLimitStopsTheRunAreNotBlamedOnACrash() throws Exception {
        Path f = Files.writeString(dir.resolve("cut.scn"), """
                server hq
                client a
                limit 2s
                at 0ms partition a | hq
                at 10ms a: a1 = register alice
                """);

        Cli.Result r = chainsim("run", f.toString(), "--json");

        assertTrue(r.err().contains("1 started: 0 completed, 0 superseded, 0 failed, 0 timed out, 1 still open at"
                + " the end; 0 conflict rounds"), r.err());
        assertFalse(r.err().contains("crash"), r.err());
        JsonNode chains = new ObjectMapper().readTree(r.out()).get("chains");
        assertEquals(1, chains.get("open_at_end").asInt());
        assertEquals(0, chains.get("cut_short_by_crash").asInt());
    }

    @Test
    void chainsWhoseInitiatorCrashedAreCountedAsCutShortByTheCrash() throws Exception {
        Path f = Files.writeString(dir.resolve("crash.scn"), """
                server hq
                client a
                at 0ms partition a | hq
                at 10ms a: a1 = register alice
                at 1s crash a
                at 2s heal
                at 3s restart a
                expect converged
                """);

        Cli.Result r = chainsim("run", f.toString(), "--json");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains(" 1 cut short by a crash of their initiator;"), r.err());
        assertFalse(r.err().contains("still open"), r.err());
        JsonNode chains = new ObjectMapper().readTree(r.out()).get("chains");
        assertEquals(1, chains.get("cut_short_by_crash").asInt());
        assertEquals(0, chains.get("open_at_end").asInt());
    }

    @Test
    void generatePrintsAScenarioThatRunsAndConverges() throws Exception {
        Cli.Result g = chainsim("generate", "--clients", "3", "--ops", "120", "--seed", "4");
        assertEquals(0, g.exit(), g.err());
        assertEquals(g.out(), chainsim("generate", "--clients", "3", "--ops", "120", "--seed", "4").out(),
                "the same arguments give the same scenario");
        Path f = Files.writeString(dir.resolve("big.scn"), g.out());

        Cli.Result r = chainsim("run", f.toString(), "--json");

        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("converged").asBoolean());
        assertTrue(json.get("nodes").get("hq").get("log_size").asInt() > 100, r.out());
        assertEquals(0, json.get("rejected_ops").size(), "every generated op applies where it is made");
    }

    @Test
    void generateRefusesSizesOutOfRange() {
        Cli.Result r = chainsim("generate", "--clients", "0");

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("chainsim generate: clients must be from 1 to 1000, got 0"), r.err());
    }
}
