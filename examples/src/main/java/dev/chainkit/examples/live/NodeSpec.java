package dev.chainkit.examples.live;

import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioException;
import dev.chainkit.examples.scenario.ScenarioParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one node of a live run needs to start, in its own process or in the runner's JVM: the scenario file
 * (a copy in the run's folder, from which the node reads its role, its user's habits, the member registry and the
 * retransmission schedule), its name, the speed, the run's folder (where its store, its incarnation file and its
 * secrets are) and its addresses on loopback. It is also the child process's command line ({@link #args()},
 * {@link #parse}).
 *
 * <p>A server of a scenario with several servers keeps its log in the run's one PostgreSQL database
 * ({@link #database}), shared with the other servers; everything else keeps a SQLite store in the folder.
 *
 * <p>Files in the folder, per node {@code NAME}: {@code NAME.db} (its SQLite store), {@code NAME.db.incarnation}
 * (its {@code IncarnationFile}, as {@code chainsim serve} and {@code client} keep it), {@code NAME.secrets} (the
 * server's holds every node's secret, a client's only its own).
 *
 * <p>Thread safety: immutable.
 *
 * @param scenarioFile the scenario, as the runner parsed it
 * @param node the node's name
 * @param speed how many times faster than written the run plays ({@link TimeScale})
 * @param folder the run's folder
 * @param listenPort the port a server listens on at 127.0.0.1 (0 picks one; a restart reuses the first one), 0 for
 *     a client
 * @param servers for a client, the servers it may use in order of preference, each with the port on 127.0.0.1 it
 *     dials for it (its link's fault proxy); empty for a server
 * @param database for a server that shares its store, the JDBC URL of the PostgreSQL database and the user to
 *     connect as (trust authentication on loopback: no password); null for a SQLite store in the folder
 */
record NodeSpec(Path scenarioFile, String node, double speed, Path folder, int listenPort,
        Map<String, Integer> servers, Database database) {

    /**
     * A shared PostgreSQL database on loopback.
     *
     * @param url {@code jdbc:postgresql://127.0.0.1:PORT/NAME}
     * @param user the user to connect as
     */
    record Database(String url, String user) {

        /** @throws IllegalArgumentException if the URL is not a PostgreSQL one on 127.0.0.1, or the user is blank */
        Database {
            if (url == null || !url.startsWith("jdbc:postgresql://127.0.0.1:")) {
                throw new IllegalArgumentException("expected jdbc:postgresql://127.0.0.1:PORT/NAME, got " + url);
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("expected a database user, got '" + user + "'");
            }
        }
    }

    /** @throws NullPointerException if an argument is null */
    NodeSpec {
        Objects.requireNonNull(scenarioFile, "scenarioFile");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(folder, "folder");
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers)); // in order of preference
    }

    private static final String DATABASE = "--database=";
    private static final String DATABASE_USER = "--database-user=";

    /** The loopback address every node and proxy of a live run uses. */
    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** A port on {@link #loopback()}. */
    static InetSocketAddress at(int port) {
        return new InetSocketAddress(loopback(), port);
    }

    /** This spec with another listening port (a restarted server listens where it listened before). */
    NodeSpec withListenPort(int port) {
        return new NodeSpec(scenarioFile, node, speed, folder, port, servers, database);
    }

    /** Whether this node is a server (it listens) rather than a client (it dials). */
    boolean isServer() {
        return servers.isEmpty();
    }

    /** The node's SQLite store. */
    Path store() {
        return folder.resolve(node + ".db");
    }

    /** The node's incarnation file, beside its store. */
    Path incarnationFile() {
        return folder.resolve(node + ".db.incarnation");
    }

    /** The node's secrets file. */
    Path secrets() {
        return folder.resolve(node + ".secrets");
    }

    /** Where the node's process writes its log lines (standard error). */
    Path logFile() {
        return folder.resolve(node + ".log");
    }

    /** The speed as a time scale. */
    TimeScale scale() {
        return new TimeScale(speed);
    }

    /**
     * Reads the scenario file.
     *
     * @throws IllegalStateException if it does not read or parse (the runner wrote it, so a bug or a tampered folder)
     */
    Scenario scenario() {
        try {
            return ScenarioParser.parse(scenarioFile.getFileName().toString(),
                    Files.readString(scenarioFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scenario of node " + node + ": " + scenarioFile, e);
        } catch (ScenarioException e) {
            throw new IllegalStateException("the run's copy of the scenario is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * The client of that name in the scenario.
     *
     * @throws IllegalArgumentException if the scenario has no such client
     */
    static ClientSpec client(Scenario scenario, String name) {
        Optional<ClientSpec> c = scenario.clients().stream().filter(s -> s.name().equals(name)).findFirst();
        return c.orElseThrow(() -> new IllegalArgumentException("scenario " + scenario.name() + " has no client "
                + name));
    }

    /**
     * This spec as a child process's arguments:
     * {@code FILE NODE SPEED FOLDER PORT [--database=URL --database-user=USER] [SERVER=PORT]...}.
     */
    String[] args() {
        List<String> a = new ArrayList<>(List.of(scenarioFile.toString(), node, Double.toString(speed),
                folder.toString(), Integer.toString(listenPort)));
        if (database != null) {
            a.add(DATABASE + database.url());
            a.add(DATABASE_USER + database.user());
        }
        servers.forEach((name, port) -> a.add(name + "=" + port));
        return a.toArray(String[]::new);
    }

    /**
     * Reads {@link #args()} back.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static NodeSpec parse(String[] args) {
        if (args.length < 5) {
            throw new IllegalArgumentException("expected SCENARIO NODE SPEED FOLDER PORT [--database=URL"
                    + " --database-user=USER] [SERVER=PORT]..., got "
                    + args.length + " arguments");
        }
        Map<String, Integer> servers = new LinkedHashMap<>();
        String url = null;
        String user = null;
        for (int i = 5; i < args.length; i++) {
            if (args[i].startsWith(DATABASE)) {
                url = args[i].substring(DATABASE.length());
                continue;
            }
            if (args[i].startsWith(DATABASE_USER)) {
                user = args[i].substring(DATABASE_USER.length());
                continue;
            }
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected SERVER=PORT, got '" + args[i] + "'");
            }
            servers.put(args[i].substring(0, eq), port(args[i].substring(eq + 1)));
        }
        double speed;
        try {
            speed = Double.parseDouble(args[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a speed, got '" + args[2] + "'", e);
        }
        return new NodeSpec(Path.of(args[0]), args[1], speed, Path.of(args[3]), port(args[4]), servers,
                url == null && user == null ? null : new Database(url, user));
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("expected a port from 0 to 65535, got " + p);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a port, got '" + text + "'", e);
        }
    }
}
