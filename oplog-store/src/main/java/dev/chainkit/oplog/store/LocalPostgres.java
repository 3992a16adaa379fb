package dev.chainkit.oplog.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server for tests, benchmarks and local development: {@link #start} runs the system's {@code initdb}
 * and {@code pg_ctl} in a fresh temp folder, on a free loopback port, and {@link #close} stops it and deletes the
 * folder (a JVM shutdown hook does the same if the owner never closes it). A JVM killed outright runs no hook, so
 * each folder names its owner (the JVM's pid and start time, in {@code owner}), and {@link #start} first stops and
 * deletes the servers of owners that are gone: a killed test run leaves a server behind only until the next one
 * starts. Alternatively {@link #external} uses a server someone else runs. Either way {@link #createDatabase} makes an empty database to work in.
 *
 * <p>It lives in the store module's main code, not in its tests, so that the benchmarks start their server the same
 * way the tests do without depending on a test jar; it is small, has no dependency the module does not have anyway,
 * and is as useful for trying the PostgreSQL store by hand.
 *
 * <p>Where the binaries are: the system property {@value #BIN_PROPERTY}, else the newest
 * {@code /usr/lib/postgresql/VERSION/bin} that has {@code initdb} (Debian's {@code postgresql} package). PostgreSQL
 * refuses to run as root, so as root every command runs as the {@code postgres} user ({@code runuser -u postgres
 * --}), and the temp folder is handed to that user.
 *
 * <p>Nothing is skipped silently: a server that cannot start is an {@link IllegalStateException} that says why
 * (missing binaries, the command's output, the server's log).
 *
 * <p>Thread safety: thread-safe.
 */
public final class LocalPostgres implements AutoCloseable {

    /** System property naming the folder of {@code initdb} and {@code pg_ctl}. */
    public static final String BIN_PROPERTY = "chainkit.postgres.bin";
    /** System property with the JDBC URL of an external server to use instead of starting one. */
    public static final String URL_PROPERTY = "chainkit.postgres.url";
    /** System property with the user for {@link #URL_PROPERTY} (default {@code postgres}). */
    public static final String USER_PROPERTY = "chainkit.postgres.user";
    /** System property with the password for {@link #URL_PROPERTY} (default none). */
    public static final String PASSWORD_PROPERTY = "chainkit.postgres.password";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String USER = "chainkit";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String FOLDER_PREFIX = "chainkit-pg-";
    private static final String OWNER_FILE = "owner";
    private static final String REAPING_FILE = "reaping";
    private static LocalPostgres shared;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final Path folder;
    private final List<String> runAs;
    private final Path bin;
    private final Thread shutdownHook;
    private final List<String> created = new ArrayList<>();
    private boolean closed;

    private LocalPostgres(String baseUrl, String user, String password, Path folder, List<String> runAs, Path bin) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.folder = folder;
        this.runAs = runAs;
        this.bin = bin;
        this.shutdownHook = folder == null ? null : new Thread(this::stopQuietly, "local-postgres-stop");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * The server of this JVM for tests: the external one if {@value #URL_PROPERTY} is set, else one started on first
     * use and stopped by a shutdown hook when the JVM exits.
     *
     * @return the server
     * @throws IllegalStateException if no server can be had, saying why
     */
    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            String url = System.getProperty(URL_PROPERTY);
            shared = url != null && !url.isBlank()
                    ? external(url, System.getProperty(USER_PROPERTY, "postgres"),
                    System.getProperty(PASSWORD_PROPERTY))
                    : start();
        }
        return shared;
    }

    /**
     * Uses a server someone else runs. {@link #close} drops the databases made here, nothing else.
     *
     * @param jdbcUrl {@code jdbc:postgresql://HOST:PORT/DATABASE} of a database to connect to for admin work
     * @param user a user that may create databases
     * @param password its password, or null
     * @return the server
     * @throws IllegalStateException if the server cannot be reached
     */
    public static LocalPostgres external(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        int slash = jdbcUrl.lastIndexOf('/');
        if (!jdbcUrl.startsWith("jdbc:postgresql://") || slash < "jdbc:postgresql://".length()) {
            throw new IllegalStateException(URL_PROPERTY + " must be jdbc:postgresql://HOST:PORT/DATABASE but was "
                    + jdbcUrl);
        }
        LocalPostgres pg = new LocalPostgres(jdbcUrl.substring(0, slash + 1), user, password, null, List.of(), null);
        pg.checkConnects(jdbcUrl, "the external server " + jdbcUrl);
        return pg;
    }

    /**
     * Starts a server from the system's binaries in a new temp folder on a free loopback port.
     *
     * @return the running server
     * @throws IllegalStateException if it cannot start; the message says why
     */
    public static LocalPostgres start() {
        Path bin = findBin();
        boolean root = isRoot();
        List<String> runAs = runAs(root);
        reapOrphans(Path.of(System.getProperty("java.io.tmpdir")), runAs, bin);
        Path folder;
        try {
            folder = Files.createTempDirectory(FOLDER_PREFIX);
            Files.writeString(folder.resolve(OWNER_FILE), ownerOf(ProcessHandle.current()), StandardCharsets.UTF_8);
            if (root) {
                UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(folder, postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a temp folder for PostgreSQL"
                    + (root ? " owned by the postgres user (is there one? Debian's postgresql package adds it)" : "")
                    + ": " + e, e);
        }
        LocalPostgres pg = null;
        try {
            Path data = folder.resolve("data");
            run(runAs, folder, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            int port = freePort();
            pg = new LocalPostgres("jdbc:postgresql://127.0.0.1:" + port + "/", USER, null, folder, runAs, bin);
            run(runAs, folder, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    folder.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + folder
                    + " -c max_connections=60 -c fsync=on -c synchronous_commit=on", "start");
            pg.checkConnects(pg.baseUrl + "postgres", "the server started in " + folder);
            log.info("Started PostgreSQL from [{}] in [{}] on port [{}]", bin, folder, port);
            return pg;
        } catch (RuntimeException e) {
            String serverLog = tail(folder.resolve("server.log"));
            if (pg != null) {
                pg.close();
            } else {
                deleteFolder(folder);
            }
            throw new IllegalStateException("cannot start PostgreSQL from " + bin + ": " + e.getMessage()
                    + (serverLog.isEmpty() ? "" : "\nserver log:\n" + serverLog), e);
        }
    }

    /**
     * Creates an empty database on the server.
     *
     * @param prefix the start of its name: lowercase letters, digits, {@code _}
     * @return the JDBC URL of the new database
     * @throws IllegalStateException if it cannot be created
     */
    public synchronized String createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name " + name + " must be lowercase letters, digits and _");
        }
        admin("CREATE DATABASE " + name);
        created.add(name);
        return baseUrl + name;
    }

    /** The user to connect as. */
    public String user() {
        return user;
    }

    /** The password to connect with, or null. */
    public String password() {
        return password;
    }

    /** Opens the op-log store in a new empty database (see {@link #createDatabase}). */
    public OplogDatabase openStore(String prefix) {
        return OplogDatabase.postgres(createDatabase(prefix), user, password);
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", props());
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + baseUrl + " refused '" + sql + "': " + e.getMessage(),
                    e);
        }
    }

    private Properties props() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        return p;
    }

    private void checkConnects(String url, String what) {
        try (Connection c = DriverManager.getConnection(url, props())) {
            c.isValid(10);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + what + " as " + user + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server it started (dropping nothing: the folder goes) or drops the databases it made. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (folder == null) {
            for (String name : created) {
                admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            if (Files.exists(folder.resolve("data").resolve("postmaster.pid"))) {
                run(runAs, folder, bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(),
                        "-m", "immediate", "-w", "-t", "60", "stop");
            }
        } catch (RuntimeException e) {
            log.warn("Stopping PostgreSQL in [{}] failed: {}", folder, e.getMessage());
        } finally {
            deleteFolder(folder);
        }
    }

    /**
     * Stops and deletes the servers under {@code tmp} whose owning JVM is gone (killed before its shutdown hook could
     * run). A folder whose owner is alive, or that names none (not ours, or from before owners were written), is left
     * alone; of two JVMs reaping at once, the one that claims a folder first reaps it.
     *
     * @param tmp the folder the servers' folders were made in
     * @return how many servers were reaped
     * @throws IllegalStateException if there are no binaries to stop a server with
     */
    static int reapOrphans(Path tmp) {
        return reapOrphans(tmp, runAs(isRoot()), findBin());
    }

    /** The prefix that runs a command as the servers' user: as root, the postgres user; otherwise none. */
    private static List<String> runAs(boolean root) {
        return root ? List.of("runuser", "-u", "postgres", "--") : List.of();
    }

    private static int reapOrphans(Path tmp, List<String> runAs, Path bin) {
        int reaped = 0;
        try (Stream<Path> folders = Files.list(tmp)) {
            for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith(FOLDER_PREFIX)).toList()) {
                if (reapIfOrphaned(folder, runAs, bin)) {
                    reaped++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot look for orphaned PostgreSQL servers in [{}]: {}", tmp, e.toString());
        }
        return reaped;
    }

    private static boolean reapIfOrphaned(Path folder, List<String> runAs, Path bin) {
        String owner;
        try {
            owner = Files.readString(folder.resolve(OWNER_FILE), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return false; // no owner named: not ours to stop
        }
        String[] parts = owner.split(" ");
        if (parts.length != 2 || isAlive(parts[0], parts[1])) {
            return false;
        }
        try {
            Files.createFile(folder.resolve(REAPING_FILE));
        } catch (IOException e) {
            return false; // another JVM claimed it
        }
        log.warn("Stopping an orphaned PostgreSQL in [{}]: its owner (pid {}) is gone", folder, parts[0]);
        if (Files.exists(folder.resolve("data").resolve("postmaster.pid"))) {
            try {
                run(runAs, folder, bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(),
                        "-m", "immediate", "-w", "-t", "60", "stop");
            } catch (RuntimeException e) {
                log.warn("Stopping the orphaned PostgreSQL in [{}] failed: {}", folder, e.getMessage());
            }
        }
        deleteFolder(folder);
        return true;
    }

    /** A process's identity that survives pid reuse: its pid and its start time in epoch milliseconds. */
    private static String ownerOf(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    private static boolean isAlive(String pid, String started) {
        ProcessHandle process;
        long startedMs;
        try {
            process = ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).orElse(null);
            startedMs = Long.parseLong(started);
        } catch (NumberFormatException e) {
            return true; // not an owner we wrote: leave it alone
        }
        if (process == null) {
            return false;
        }
        // the same pid with another start time is a new process: the owner is gone; an unknown time proves nothing
        return startedMs == 0 || process.info().startInstant().map(i -> i.toEpochMilli() == startedMs).orElse(true);
    }

    private static void run(List<String> runAs, Path folder, String... command) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.addAll(List.of(command));
        Path out = folder.resolve("command.out");
        try {
            Process p = new ProcessBuilder(cmd).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + tail(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    private static Path findBin() {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path bin = Path.of(configured);
            if (!Files.isExecutable(bin.resolve("initdb"))) {
                throw new IllegalStateException(BIN_PROPERTY + "=" + configured + " has no executable initdb");
            }
            return bin;
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(LocalPostgres::majorVersion))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries: no /usr/lib/postgresql/*/bin"
                            + " with initdb and pg_ctl; install Debian's postgresql package (apt-get install "
                            + "postgresql), name the folder with -D" + BIN_PROPERTY + "=..., or name a running "
                            + "server with -D" + URL_PROPERTY + "=jdbc:postgresql://127.0.0.1:5432/postgres"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot look for PostgreSQL binaries in " + root + ": " + e, e);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        try {
            return "root".equals(Files.getOwner(Path.of("/proc/self")).getName());
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port: " + e, e);
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteFolder(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Cannot delete [{}]: {}", folder, e.toString());
        }
    }

    /** The folder the server runs in (for tests of this class); null for an external server. */
    Path folder() {
        return folder;
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + baseUrl + (folder != null ? " in " + folder : " (external)") + "]";
    }
}
