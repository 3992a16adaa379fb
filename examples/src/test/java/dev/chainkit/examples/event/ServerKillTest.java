package dev.chainkit.examples.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.testing.ChildProcess;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.store.LocalPostgres;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code chainsim serve} processes on one real PostgreSQL database and two devices ({@code chainsim client},
 * each listing the servers in its own order) making ops while the servers are killed with SIGKILL one at a time,
 * at random, and started again on the same database: afterwards every op a device was told is synced is in the
 * database's log exactly once, every op made was synced, and both devices hold the same log as the database. The
 * schedule is drawn from a seed, printed; {@code -Dchainkit.seed=N} replays its choices (the processes' timing is
 * the machine's).
 */
class ServerKillTest {

    private static final int OPS = 20;
    private static final int SERVERS = 3;
    private static final long OP_EVERY_MS = 300;
    private static final Pattern SYNCED = Pattern.compile("synced (\\S+): register \\S+");

    @TempDir
    Path dir;
    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        children.forEach(c -> c.process.destroyForcibly());
        for (ChildProcess c : children) {
            c.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyAcknowledgedOpIsInTheLogOnceWhileServersAreKilledAtRandom() throws Exception {
        String seedText = System.getProperty("chainkit.seed");
        long seed = seedText == null || seedText.isBlank() ? System.nanoTime() : Long.parseLong(seedText.strip());
        System.out.println("ServerKillTest seed " + seed + " (replay its choices with -Dchainkit.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        LocalPostgres pg = LocalPostgres.shared();
        String jdbc = pg.createDatabase("kills");
        String store = jdbc.substring("jdbc:".length()) + "?user=" + pg.user()
                + (pg.password() == null ? "" : "&password=" + pg.password());
        writeMembers();

        int[] ports = new int[SERVERS];
        StringBuilder connect1 = new StringBuilder();
        StringBuilder connect2 = new StringBuilder();
        for (int s = 0; s < SERVERS; s++) {
            ports[s] = freePort();
        }
        for (int s = 0; s < SERVERS; s++) { // judge1 prefers s1, s2, s3; judge2 s3, s2, s1
            connect1.append(s == 0 ? "" : ",").append("s").append(s + 1).append("@127.0.0.1:").append(ports[s]);
            int r = SERVERS - 1 - s;
            connect2.append(s == 0 ? "" : ",").append("s").append(r + 1).append("@127.0.0.1:").append(ports[r]);
        }
        ChildProcess[] servers = new ChildProcess[SERVERS];
        for (int s = 0; s < SERVERS; s++) {
            servers[s] = serve(s, ports[s], store);
        }
        ChildProcess judge1 = device("judge1", connect1.toString());
        ChildProcess judge2 = device("judge2", connect2.toString());

        int down = -1;
        int kills = 0;
        for (int i = 0; i < OPS; i++) {
            judge1.type("register a" + i);
            judge2.type("register b" + i);
            if (down < 0 && (random.nextInt(3) == 0 || kills == 0 && i == OPS / 2)) { // at least one kill
                down = random.nextInt(SERVERS);
                servers[down].process.destroyForcibly(); // SIGKILL
                assertTrue(servers[down].process.waitFor(10, TimeUnit.SECONDS));
                kills++;
            } else if (down >= 0 && random.nextInt(2) == 0) {
                servers[down] = serve(down, ports[down], store);
                down = -1;
            }
            Thread.sleep(random.nextLong(OP_EVERY_MS / 2, OP_EVERY_MS * 3 / 2));
        }
        if (down >= 0) {
            servers[down] = serve(down, ports[down], store);
        }
        System.out.println("ServerKillTest seed " + seed + ": " + kills + " servers killed with SIGKILL while " + 2 * OPS
                + " ops were made");

        Set<String> acknowledged = new TreeSet<>();
        for (ChildProcess judge : List.of(judge1, judge2)) {
            for (int i = 0; i < OPS; i++) {
                String prefix = judge == judge1 ? "a" : "b";
                String op = ": register " + prefix + i;
                judge.await(l -> l.startsWith("synced ") && l.endsWith(op), "op " + prefix + i + " synced");
            }
            for (String line : judge.printed()) {
                Matcher m = SYNCED.matcher(line);
                if (m.matches()) {
                    acknowledged.add(m.group(1));
                }
            }
        }
        assertEquals(2 * OPS, acknowledged.size(), "every op made was acknowledged: " + acknowledged);

        List<String> ids;
        try (OplogDatabase db = OplogDatabase.postgres(jdbc, pg.user(), pg.password())) {
            ids = db.serverStore(new Tournament()).load("friday").orElseThrow().log().ops()
                    .map(Operation::id).map(id -> id.value()).toJavaList();
        }
        Map<String, Integer> times = new HashMap<>();
        ids.forEach(id -> times.merge(id, 1, Integer::sum));
        for (String id : acknowledged) {
            assertEquals(1, times.getOrDefault(id, 0), id + " is in the database's log once (seed " + seed + ")");
        }
        assertEquals(ids.size(), times.size(), "no op twice: " + ids);
        assertEquals(2 * OPS + 1, ids.size(), "the genesis op and the ops made, nothing else: " + ids);

        String expected = "status log=friday role=judge ops=" + ids.size() + " synced=" + ids.size() + " pending=0";
        judge1.type("status");
        judge2.type("status");
        String digest1 = digest(judge1.await(l -> l.startsWith(expected), expected));
        String digest2 = digest(judge2.await(l -> l.startsWith(expected), expected));
        assertEquals(digest1, digest2, "both devices converged (seed " + seed + ")");
        for (ChildProcess judge : List.of(judge1, judge2)) {
            judge.process.getOutputStream().close();
            judge.awaitLine("bye: every op synced");
            assertTrue(judge.process.waitFor(ChildProcess.WAIT_S, TimeUnit.SECONDS));
        }
    }

    private static String digest(String status) {
        return status.substring(status.indexOf("digest=") + "digest=".length());
    }

    private ChildProcess serve(int s, int port, String store) throws IOException, InterruptedException {
        String name = "s" + (s + 1);
        ChildProcess server = start(List.of("serve", "--node", name, "--listen", "127.0.0.1:" + port, "--store",
                store, "--incarnation-file", name + ".incarnation", "--members", "friday.members"));
        server.awaitLine("listening 127.0.0.1:" + port);
        server.awaitLine("logs friday");
        return server;
    }

    private ChildProcess device(String name, String connect) throws IOException, InterruptedException {
        ChildProcess device = start(List.of("client", "--connect", connect, "--node", name, "--secret-file",
                name + ".secret", "--log", "friday", "--store", "sqlite:" + name + ".db", "--decide", "skip"));
        device.await(l -> l.startsWith("subscribed to friday as " + name + " (judge) on "), name + " subscribed");
        return device;
    }

    private ChildProcess start(List<String> args) throws IOException {
        ChildProcess c = ChildProcess.chainsim(dir, dir.resolve("stderr-" + children.size() + ".log"), args);
        children.add(c);
        return c;
    }

    /** The members file of one log with two judges, and the secrets files (readable by their owner only). */
    private void writeMembers() throws IOException {
        SecureRandom bytes = new SecureRandom();
        StringBuilder all = new StringBuilder();
        for (String judge : List.of("judge1", "judge2")) {
            byte[] secret = new byte[32];
            bytes.nextBytes(secret);
            String line = judge + " " + Base64.getEncoder().encodeToString(secret) + "\n";
            all.append(line);
            ownerOnly(Files.writeString(dir.resolve(judge + ".secret"), line));
        }
        ownerOnly(Files.writeString(dir.resolve("hq.secrets"), all));
        Files.writeString(dir.resolve("friday.members"), "secrets hq.secrets\nlog friday\n"
                + "member friday judge1 judge\nmember friday judge2 judge\n");
    }

    private static void ownerOnly(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
