package dev.chainkit.examples.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process of a test and the lines it printed on standard output, read by a thread of its own; lines typed
 * to its standard input. Waits are bounded by {@link #WAIT_S} seconds.
 */
public final class ChildProcess {

    /** How long a wait for a line lasts, in seconds. */
    public static final long WAIT_S = 60;

    public final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Writer in;

    /**
     * Starts {@code chainsim ARGS} as a child JVM ({@code java -cp ... Chainsim}, the program the script starts) in
     * {@code dir}, its standard error to {@code stderr}. sqlite-jdbc extracts its native library into {@code dir}
     * (a test's folder, deleted with it): in the system's temp folder, a child killed with SIGKILL would leave it
     * there, as its delete-on-exit never runs.
     */
    public static ChildProcess chainsim(Path dir, Path stderr, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.sqlite.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                "dev.chainkit.examples.Chainsim"));
        command.addAll(args);
        return new ChildProcess(new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile())
                .start());
    }

    public ChildProcess(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for a line that matches, and returns it. */
    public String await(Predicate<String> what, String description) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    if (what.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line " + description + " within " + WAIT_S + " s; printed: "
                            + lines);
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The lines printed so far. */
    public List<String> printed() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public boolean has(Predicate<String> what) {
        synchronized (lines) {
            return lines.stream().anyMatch(what);
        }
    }

    public String awaitLine(String exact) throws InterruptedException {
        return await(exact::equals, "'" + exact + "'");
    }

    public void type(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }
}
