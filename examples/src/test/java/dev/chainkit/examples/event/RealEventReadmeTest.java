package dev.chainkit.examples.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.testing.ChildProcess;
import dev.chainkit.oplog.store.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Run a real event" and "More than one server", played with real processes on loopback: their shell
 * lines run in bash as written, their {@code ../chainsim} lines run as child JVMs ({@code java -cp ... Chainsim}, the
 * same program the script starts) with the fixed ports replaced by free ones (and the PostgreSQL URL by a real
 * server's, started by {@link LocalPostgres}); a client, or a server, is killed with SIGKILL and started again on its
 * store, and servers are stopped with SIGTERM. Every child is killed in {@link #killAll} whatever happens.
 */
class RealEventReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
    private static final long WAIT_S = ChildProcess.WAIT_S;

    @TempDir
    Path dir;
    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void killAll() {
        children.forEach(c -> c.process.destroyForcibly());
        for (ChildProcess c : children) {
            try {
                c.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> section(String heading) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int from = readme.indexOf("\n" + heading + "\n");
        assertTrue(from >= 0, "the README has a section " + heading);
        int to = readme.indexOf("\n## ", from + 1);
        List<String> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(readme.substring(from, to));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String line(List<String> blocks, String start) {
        return blocks.stream().flatMap(b -> Arrays.stream(b.split("\n"))).filter(l -> l.startsWith(start))
                .findFirst().orElseThrow(() -> new AssertionError("the README section has no line " + start));
    }

    private ChildProcess chainsim(Path in, String readmeLine, String... replace) throws IOException {
        String command = readmeLine;
        for (int i = 0; i < replace.length; i += 2) {
            command = command.replace(replace[i], replace[i + 1]);
        }
        List<String> words = Arrays.asList(command.split("\\s+"));
        assertEquals("../chainsim", words.get(0));
        ChildProcess c = ChildProcess.chainsim(in, dir.resolve("stderr-" + children.size() + ".log"),
                words.subList(1, words.size()));
        children.add(c);
        return c;
    }

    private void bash(Path in, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(in.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish: " + script);
        assertEquals(0, p.exitValue(), script + "\n" + output);
    }

    @Test
    void theWalkThroughWorksAsWritten() throws Exception {
        List<String> blocks = section("## Run a real event");
        bash(dir, blocks.get(0)); // the members file and the secrets
        Path event = dir.resolve("event");

        ChildProcess server = chainsim(event, line(blocks, "../chainsim serve"), "127.0.0.1:7070", "127.0.0.1:0",
                "127.0.0.1:9090", "127.0.0.1:0");
        String port = server.await(l -> l.startsWith("listening 127.0.0.1:"), "listening").substring(
                "listening 127.0.0.1:".length());
        server.await(l -> l.startsWith("metrics http://127.0.0.1:"), "metrics");
        server.awaitLine("logs friday");

        String judge1Line = line(blocks, "../chainsim client --connect 127.0.0.1:7070 --node judge1");
        ChildProcess judge1 = chainsim(event, judge1Line, "7070", port);
        judge1.awaitLine("subscribed to friday as judge1 (judge) on hq at 127.0.0.1:" + port);
        judge1.type("register alice");
        judge1.awaitLine("made judge1.1: register alice");
        judge1.awaitLine("synced judge1.1: register alice");

        bash(event, line(blocks, "echo 'member friday judge2 judge'"));
        ChildProcess judge2 = null;
        long letIn = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (judge2 == null && System.nanoTime() - letIn < 0) { // the server reads the file within a second
            ChildProcess c = chainsim(event, line(blocks, "../chainsim client --connect 127.0.0.1:7070 --node judge2"),
                    "7070", port);
            while (!c.process.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (c.has(l -> l.startsWith("subscribed"))) {
                    judge2 = c;
                    break;
                }
            }
        }
        assertTrue(judge2 != null, "judge2 was let in");
        judge2.awaitLine("received judge1.1 by judge1/judge: register alice");
        judge2.type("register bob");
        judge2.awaitLine("synced judge2.1: register bob");
        judge1.awaitLine("received judge2.1 by judge2/judge: register bob");

        judge1.process.destroyForcibly(); // kill -9
        assertTrue(judge1.process.waitFor(10, TimeUnit.SECONDS));
        judge2.type("register carol");
        judge2.awaitLine("synced judge2.2: register carol");

        ChildProcess again = chainsim(event, judge1Line, "7070", port);
        again.awaitLine("subscribed to friday as judge1 (judge) on hq at 127.0.0.1:" + port);
        again.awaitLine("received judge2.2 by judge2/judge: register carol");
        again.type("status");
        judge2.type("status");
        String expected = "status log=friday role=judge ops=4 synced=4 pending=0 link=up digest=";
        String mine = again.await(l -> l.startsWith(expected), expected);
        String theirs = judge2.await(l -> l.startsWith(expected), expected);
        assertEquals(theirs, mine, "converged: nothing lost");

        again.process.getOutputStream().close(); // end of the script: it drains and says bye
        again.awaitLine("bye: every op synced");
        assertTrue(again.process.waitFor(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, again.process.exitValue());
        judge2.process.getOutputStream().close();
        assertTrue(judge2.process.waitFor(WAIT_S, TimeUnit.SECONDS));

        server.process.destroy(); // SIGTERM
        assertTrue(server.process.waitFor(WAIT_S, TimeUnit.SECONDS), "the server stops on SIGTERM");
        assertEquals(0, server.process.exitValue(), "a clean stop");

        ChildProcess show = chainsim(event, "../chainsim show --store sqlite:hq.db --log friday");
        show.await(l -> l.startsWith("tournament friday: 3 players, registration open (log friday, 4 ops, digest "
                + mine.substring(expected.length())), "the stored tournament");
        show.awaitLine("  judge2 judge");
        assertTrue(show.process.waitFor(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, show.process.exitValue());
    }

    @Test
    void moreThanOneServerWorksAsWritten() throws Exception {
        List<String> event = section("## Run a real event");
        bash(dir, event.get(0)); // the members file and the secrets
        Path folder = dir.resolve("event");
        bash(folder, line(event, "echo 'member friday judge2 judge'"));
        LocalPostgres pg = LocalPostgres.shared();
        String url = pg.createDatabase("readme").substring("jdbc:".length()) + "?user=" + pg.user()
                + (pg.password() == null ? "" : "&password=" + pg.password());
        List<String> blocks = section("## More than one server");

        String s1Line = line(blocks, "../chainsim serve --node s1");
        String readmeStore = "postgresql://127.0.0.1:5432/event?user=postgres";
        ChildProcess s1 = chainsim(folder, s1Line, readmeStore, url, "127.0.0.1:7071", "127.0.0.1:0");
        String port1 = listening(s1);
        ChildProcess s2 = chainsim(folder, line(blocks, "../chainsim serve --node s2"), readmeStore, url,
                "127.0.0.1:7072", "127.0.0.1:0");
        String port2 = listening(s2);
        String[] ports = {"127.0.0.1:7071", "127.0.0.1:#1", "127.0.0.1:7072", "127.0.0.1:#2", "#1", port1, "#2",
            port2};

        ChildProcess judge1 = chainsim(folder, line(blocks, "../chainsim client --connect s1@127.0.0.1:7071"), ports);
        judge1.awaitLine("subscribed to friday as judge1 (judge) on s1 at 127.0.0.1:" + port1);
        judge1.type("register alice");
        judge1.awaitLine("made judge1.1: register alice");
        judge1.awaitLine("synced judge1.1: register alice");
        ChildProcess judge2 = chainsim(folder, line(blocks, "../chainsim client --connect s2@127.0.0.1:7072"), ports);
        judge2.awaitLine("subscribed to friday as judge2 (judge) on s2 at 127.0.0.1:" + port2);
        judge2.awaitLine("received judge1.1 by judge1/judge: register alice");

        s1.process.destroyForcibly(); // kill -9
        assertTrue(s1.process.waitFor(10, TimeUnit.SECONDS));
        judge1.awaitLine("moved to server s2 at 127.0.0.1:" + port2 + " (the link to s1 is down)");
        judge1.type("register bob");
        judge1.awaitLine("synced judge1.2: register bob");
        judge2.awaitLine("received judge1.2 by judge1/judge: register bob");

        ChildProcess again = chainsim(folder, s1Line, readmeStore, url, "127.0.0.1:7071", "127.0.0.1:0");
        listening(again);
        judge2.type("register carol");
        judge2.awaitLine("synced judge2.1: register carol");
        judge1.awaitLine("received judge2.1 by judge2/judge: register carol");
        judge1.type("status");
        judge2.type("status");
        String expected = "status log=friday role=judge ops=4 synced=4 pending=0 server=s2 link=up digest=";
        assertEquals(judge2.await(l -> l.startsWith(expected), expected),
                judge1.await(l -> l.startsWith(expected), expected), "converged on s2: nothing lost, nothing twice");

        for (ChildProcess device : List.of(judge1, judge2)) {
            device.process.getOutputStream().close();
            device.awaitLine("bye: every op synced");
            assertTrue(device.process.waitFor(WAIT_S, TimeUnit.SECONDS));
        }
        for (ChildProcess server : List.of(again, s2)) {
            server.process.destroy(); // SIGTERM
            assertTrue(server.process.waitFor(WAIT_S, TimeUnit.SECONDS), "a server stops on SIGTERM");
            assertEquals(0, server.process.exitValue(), "a clean stop");
        }
    }

    /** Waits until a server listens and has read its logs; returns its port. */
    private static String listening(ChildProcess server) throws InterruptedException {
        String port = server.await(l -> l.startsWith("listening 127.0.0.1:"), "listening").substring(
                "listening 127.0.0.1:".length());
        server.awaitLine("logs friday");
        return port;
    }
}
