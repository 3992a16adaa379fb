package dev.chainkit.oplog.store.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of the test classpath, whose output lines the parent reads as they come, and
 * which the parent kills with SIGKILL ({@link Process#destroyForcibly} sends SIGKILL on Linux). The child's native
 * libraries are unpacked into {@code scratch}, so a killed child leaves nothing behind in the system's temp folder.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader failed: " + e);
            } finally {
                lines.add(END);
            }
        }, "child-jvm-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code args}; its stderr goes to {@code scratch/child-stderr.log}. */
    public static ChildJvm start(Path scratch, Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Dorg.sqlite.tmpdir=" + scratch, "-Djava.io.tmpdir=" + scratch,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                    scratch.resolve("child-stderr.log").toFile())).start();
            return new ChildJvm(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM: " + e, e);
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * The next line, waiting up to {@code timeout}; null at the end of the output.
     *
     * @throws IllegalStateException if no line comes in time
     */
    public String next(Duration timeout) {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("the child printed nothing for " + timeout + "; last lines: "
                        + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
            }
            if (line.equals(END)) {
                lines.add(END);
                return null;
            }
            seen.add(line);
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    public String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no line starting '" + prefix + "' within " + timeout);
            }
            String line = next(Duration.ofNanos(left));
            if (line == null) {
                throw new IllegalStateException("the child ended (exit " + exitCode() + ") before a line starting '"
                        + prefix + "'; last lines: " + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** The lines available now, without waiting. */
    public List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String line = lines.poll(); line != null; line = lines.poll()) {
            if (line.equals(END)) {
                lines.add(END);
                break;
            }
            seen.add(line);
            out.add(line);
        }
        return out;
    }

    /** Closes the child's standard input (a child that holds something until then lets it go and exits). */
    public void endInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot close the child's input: " + e, e);
        }
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the child to exit by itself; returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("child " + pid() + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
