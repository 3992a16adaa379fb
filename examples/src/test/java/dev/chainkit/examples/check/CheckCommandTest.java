package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.ScenarioRun;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioParser;
import dev.chainkit.oplog.sync.SyncFaultPlanting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code chainsim check}, run through picocli as the command line runs it. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) { }

    private static Run execute(String... args) {
        CommandLine cl = new CommandLine(new CheckCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void sweepsTheSeedsAndReportsThemAsJson() throws Exception {
        Run r = execute("--seeds", "40", "--from", "7", "--json", "--out", dir.toString());

        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(40, json.get("seeds").asInt());
        assertEquals(7, json.get("from").asLong());
        assertEquals(0, json.get("failures").asInt());
        assertTrue(json.get("failed_seeds").isArray() && json.get("failed_seeds").isEmpty());
        assertTrue(json.get("max_messages").asLong() > 0);
        assertTrue(json.get("max_messages").asLong() <= json.get("max_messages_bound").asLong());
        assertTrue(json.get("max_quiet_after_ms").asLong() <= json.get("quiet_bound_ms").asLong());
        double share = json.get("max_bound_share").asDouble();
        assertTrue(share > 0 && share <= 1, "the largest share of a run's message bound: " + share);
        assertEquals(4, json.get("config").get("max_clients").asInt());
        assertTrue(r.err().contains("] 40/40 seeds, 0 failures"), r.err());
    }

    @Test
    void printsASummaryByDefault() {
        Run r = execute("--seeds", "10", "--out", dir.toString());

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("10 seeds from 1 (clients=1..4 ops<=30 loss<=0.4 duplicate<=0.2"
                + " latency=1ms..100ms partitions=on crashes=on): 10 passed, 0 failed\n"), r.out());
        assertTrue(r.out().contains(" seeds/s; most messages in a run "), r.out());
    }

    @Test
    void optionsNarrowTheSweep() throws Exception {
        Run r = execute("--seeds", "15", "--clients", "2", "--ops", "5", "--loss", "0.1", "--duplicate", "0",
                "--no-partitions", "--no-crashes", "--json", "--out", dir.toString());

        assertEquals(0, r.status(), r.err());
        JsonNode config = new ObjectMapper().readTree(r.out()).get("config");
        assertEquals(2, config.get("min_clients").asInt());
        assertEquals(2, config.get("max_clients").asInt());
        assertEquals(5, config.get("max_ops").asInt());
        assertEquals(0.1, config.get("max_loss").asDouble());
        assertEquals(0.0, config.get("max_duplicate").asDouble());
        assertFalse(config.get("partitions").asBoolean());
        assertFalse(config.get("crashes").asBoolean());
        Run on = execute("--seeds", "1", "--partitions", "--crashes", "--json", "--out", dir.toString());
        JsonNode onConfig = new ObjectMapper().readTree(on.out()).get("config");
        assertTrue(onConfig.get("partitions").asBoolean() && onConfig.get("crashes").asBoolean());
    }

    @Test
    void aFailingSeedIsPrintedShrunkAndWrittenAsAScenarioThatChainsimRunPlays() throws Exception {
        Run r = PlantedFaultsTest.withFault(SyncFaultPlanting::serverForwardsToOrigin,
                () -> execute("--seeds", "5", "--max-failures", "2", "--out", dir.toString()));

        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().matches("(?s)seed \\d+ FAILED \\(INVARIANT\\): hq forwarded .*"), r.out());
        assertTrue(r.out().contains("; stopped after 2 failures"), r.out());
        long seed = Long.parseLong(r.out().substring("seed ".length(), r.out().indexOf(' ', "seed ".length())));
        Path file = dir.resolve("check-seed-" + seed + ".scn");
        assertTrue(r.out().contains("  replay: chainsim run " + file), r.out());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("# chainsim check: seed " + seed + " failed (INVARIANT)\n"), text);
        Scenario scenario = ScenarioParser.parse(file.getFileName().toString(), text);
        assertEquals(seed, scenario.seed());
        assertEquals("hq", scenario.server().name());
        assertTrue(text.contains("\nexpect converged\nexpect quiet\n"), text);
        RunReport played = new ScenarioRun(scenario).play();
        assertTrue(played.ok(), "without the planted fault the shrunk schedule passes: " + played.toJson());
    }

    @Test
    void aFailingSweepReportsItsSeedsAsJson() throws Exception {
        Run r = PlantedFaultsTest.withFault(SyncFaultPlanting::serverForwardsToOrigin,
                () -> execute("--seeds", "3", "--json", "--out", dir.toString()));

        assertEquals(1, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("failures").asInt() >= 1);
        assertEquals(json.get("failures").asInt(), json.get("failed_seeds").size());
        JsonNode report = json.get("failure_reports").get(0);
        assertEquals(json.get("failed_seeds").get(0).asLong(), report.get("seed").asLong());
        assertTrue(Files.exists(Path.of(report.get("scenario_file").asText())));
        assertTrue(report.get("shrunk_actions").asInt() <= 5);
    }

    @Test
    void badOptionsExitWithStatusTwo() {
        assertEquals(2, execute("--loss", "2", "--out", dir.toString()).status());
        assertEquals(2, execute("--clients", "9", "--out", dir.toString()).status());
        assertEquals(2, execute("--seeds", "0", "--out", dir.toString()).status());
        assertEquals(2, execute("--seeds", "many").status());
        Run missing = execute("--seeds", "1", "--out", dir.resolve("missing").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
    }

    @Test
    void helpNamesEveryOption() {
        Run r = execute("--help");

        assertEquals(0, r.status());
        for (String option : new String[] {"--seeds", "--from", "--clients", "--ops", "--loss", "--duplicate",
            "--[no-]partitions", "--[no-]crashes", "--json", "--out", "--max-failures"}) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
    }
}
