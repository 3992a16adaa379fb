package dev.chainkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chainkit.examples.testing.Cli;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Shipped scenarios played live ({@code chainsim live}), unchanged: every expectation holds, and the report has the
 * expectations, nodes and fields of {@code chainsim run}'s report for the same file. The default suite plays five:
 * three on child JVMs (a client SIGKILLed three times and restarted on its SQLite store; a partition and the conflict
 * after it; two servers on one PostgreSQL, one SIGKILLed with a sync in flight) and two with {@code --in-process} (a
 * lost forward, a delayed sync overtaken). Every other shipped scenario (but {@code servers/lost-hint.scn}, which
 * drops a hint, and live runs refuse that), in both modes, runs with
 * {@code mvn -B verify -pl examples -am -Plive-all} (about 25 minutes).
 *
 * <p>Speeds: a live run's retransmission schedule is the scenario's, divided by the speed, so the machine's own
 * delays (a JVM that a loaded machine schedules late, an fsync) weigh against a first retransmission after 100 ms
 * at speed 1, and an exact {@code expect messages} counts the resend (seen at speed 1 on a 2-core machine with a
 * load of 12, in both modes, and once at half speed in-process). So scenarios play at a quarter speed, but for the
 * storm of restarts on child JVMs (half speed: it counts no message exactly, and each restart is a JVM) and the
 * scenarios that last minutes (the 40 s user in-process, which passed at double speed there and resent its
 * question at speed 1 on child JVMs; a 4-minute outage; the Friday evening), which play faster than written. The
 * The scenarios with several servers play as written (speed 1): they last a minute, and a server's failover waits
 * for a sync to time out; but three servers on child JVMs, at half speed: there a's ops reach s2 about two seconds
 * before s3's user starts the tournament, and at speed 1 s2's restart as a new JVM ate that margin (a's ops came
 * after the start and its user dropped them). The exceptions are in {@link #SPEEDS}.
 */
class LiveScenariosTest {

    /** Per mode and scenario, the speed it is played at when it is not {@link #DEFAULT_SPEED}. */
    private static final Map<String, Double> SPEEDS = Map.of(
            "child:bug12-flapping-client-storm.scn", 0.5,
            "in-process:own01-slow-decision-loop.scn", 2.0,
            "child:own02-quiet-client-long-outage.scn", 10.0,
            "in-process:own02-quiet-client-long-outage.scn", 10.0,
            "child:friday-night.scn", 10.0,
            "in-process:friday-night.scn", 10.0,
            "child:failover.scn", 1.0,
            "in-process:failover.scn", 1.0,
            "child:three-servers.scn", 0.5,
            "in-process:three-servers.scn", 1.0);
    private static final double DEFAULT_SPEED = 0.25;
    /** How the folders of the PostgreSQL servers {@code LocalPostgres} starts begin. */
    private static final String PG_PREFIX = "chainkit-pg-";

    @AfterEach
    void leavesNoProcessBehind() {
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    }

    /**
     * Scenarios on child JVMs: by default a client killed three times (bug12) and a conflict decided across
     * processes; with {@code -Plive-all} every shipped scenario.
     */
    @TestFactory
    Stream<DynamicTest> shippedScenariosHoldOnChildProcesses() {
        return played(false, "regressions/bug12-flapping-client-storm.scn", "note/conflict-skip.scn");
    }

    /**
     * Scenarios in one JVM over real sockets: by default a lost forward resent and a sync overtaken by the next;
     * with {@code -Plive-all} every shipped scenario.
     */
    @TestFactory
    Stream<DynamicTest> shippedScenariosHoldInProcess() {
        return played(true, "note/lost-forward.scn", "regressions/bug05-second-sync-overtakes-first.scn");
    }

    private static Stream<DynamicTest> played(boolean inProcess, String... byDefault) {
        Stream<String> files = "all".equals(System.getProperty("chainkit.live")) ? shipped() : Stream.of(byDefault);
        return files.map(f -> DynamicTest.dynamicTest(f, () -> holdsLive(f, inProcess)));
    }

    @Test
    void aServerKilledWithASyncInFlightFailsOverToTheOtherOnOnePostgres() throws IOException {
        Set<Path> before = postgresFolders();
        holdsLive("servers/failover.scn", false);
        List<String> running = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(PG_PREFIX)).toList();
        Set<Path> left = postgresFolders();
        left.removeAll(before);
        // other builds on this machine may run a PostgreSQL of their own: a folder some process still uses is theirs
        left.removeIf(f -> running.stream().anyMatch(c -> c.contains(f.toString())));
        assertEquals(Set.of(), left, "the folder of the PostgreSQL the run started is removed");
        assertEquals(List.of(), running.stream().filter(c -> folderOf(c).filter(f -> !Files.exists(f)).isPresent())
                .toList(), "no PostgreSQL runs from a removed folder");
    }

    /** The folders of the PostgreSQL servers that {@code LocalPostgres} started on this machine. */
    private static Set<Path> postgresFolders() throws IOException {
        try (Stream<Path> in = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return in.filter(f -> f.getFileName().toString().startsWith(PG_PREFIX))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** The {@code chainkit-pg-...} folder a PostgreSQL command line names, if any. */
    private static Optional<Path> folderOf(String commandLine) {
        Matcher m = Pattern.compile("(/\\S*/" + PG_PREFIX + "[^/\\s]+)").matcher(commandLine);
        return m.find() ? Optional.of(Path.of(m.group(1))) : Optional.empty();
    }

    static Stream<String> shipped() {
        return Stream.of(Stream.of("friday-night.scn"), ShippedFiles.scenarios("scenarios/note").map(f -> "note/" + f),
                ShippedFiles.scenarios("scenarios/regressions").map(f -> "regressions/" + f),
                ShippedFiles.scenarios("scenarios/servers").filter(f -> !f.equals("lost-hint.scn")) // drops a Hint
                        .map(f -> "servers/" + f)).flatMap(s -> s);
    }

    /** Plays {@code file} live (text and JSON report) and checks it against what {@code chainsim run} reports. */
    private static void holdsLive(String file, boolean inProcess) throws IOException {
        Path path = shippedPath(file);
        String name = Path.of(file).getFileName().toString();
        String mode = inProcess ? "in-process" : "child";
        double speed = SPEEDS.getOrDefault(mode + ":" + name, DEFAULT_SPEED);
        List<String> args = new ArrayList<>(List.of("live", path.toString(), "--json", "--speed",
                Double.toString(speed), "--timeout", "10m"));
        if (inProcess) {
            args.add("--in-process");
        }
        long start = System.nanoTime();
        Cli.Result live = Cli.chainsim(args);
        System.out.printf("live %s (%s, speed %s): %d ms of wall-clock time%n", file, mode, speed,
                (System.nanoTime() - start) / 1_000_000);
        assertEquals(0, live.exit(), file + " live:\n" + live.out() + live.err());
        Cli.Result sim = Cli.chainsim("run", path.toString(), "--json");
        assertEquals(0, sim.exit(), sim.err());

        ObjectMapper mapper = new ObjectMapper();
        JsonNode l = mapper.readTree(live.out());
        JsonNode s = mapper.readTree(sim.out());
        assertTrue(l.get("ok").asBoolean() && l.get("converged").asBoolean() && l.get("quiet").asBoolean(), live.out());
        List<String> liveFields = new ArrayList<>();
        l.fieldNames().forEachRemaining(liveFields::add);
        List<String> simFields = new ArrayList<>();
        s.fieldNames().forEachRemaining(simFields::add);
        assertEquals(simFields, liveFields, "the live report has the run report's fields");
        assertEquals(s.get("scenario"), l.get("scenario"));
        assertEquals(s.get("expectations").size(), l.get("expectations").size());
        for (int i = 0; i < s.get("expectations").size(); i++) {
            JsonNode e = l.get("expectations").get(i);
            assertEquals(s.get("expectations").get(i).get("line"), e.get("line"));
            assertEquals(s.get("expectations").get(i).get("text"), e.get("text"));
            assertTrue(e.get("ok").asBoolean(), e.toString());
        }
        List<String> liveNodes = new ArrayList<>();
        l.get("nodes").fieldNames().forEachRemaining(liveNodes::add);
        List<String> simNodes = new ArrayList<>();
        s.get("nodes").fieldNames().forEachRemaining(simNodes::add);
        assertEquals(simNodes, liveNodes);
        // the text summary (on standard error with --json) is the run's summary format
        String firstLine = "scenario " + s.get("scenario").asText() + " (seed " + s.get("seed").asText() + "): OK";
        assertTrue(live.err().contains(firstLine + "\n"), live.err());
        assertTrue(live.err().contains("expectations  " + s.get("expectations").size() + " of "
                + s.get("expectations").size() + " held"), live.err());
    }

    private static Path shippedPath(String file) {
        URL url = LiveScenariosTest.class.getClassLoader().getResource("scenarios/" + file);
        if (url == null) {
            throw new IllegalStateException("scenarios/" + file + " is missing from the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
