package dev.chainkit.examples.live;

import dev.chainkit.core.NodeId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One start of a node as a child JVM ({@link NodeMain}), spoken to over its pipes ({@link ControlLine}). A reader
 * thread takes every line the node writes: its events and records go to the run's {@link Observations} (what a
 * killed node wrote before it died is read too), its answers to the commands waiting for them.
 *
 * <p>{@link #kill} is SIGKILL ({@link Process#destroyForcibly()} on Linux). The runner's shutdown hook kills every
 * child that is still alive; a child also exits when its standard input ends, so none outlives its runner.
 *
 * <p>Thread safety: thread-safe.
 */
final class ChildNode implements NodeConnection {

    /** How long a started node may take to answer a command, in nanoseconds. */
    static final long ANSWER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long STOP_TIMEOUT_S = 10;

    /** The child JVM's options: small and quick to start, since a run may start a dozen of them on two cores. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData");

    private final String name;
    private final Path logFile;
    private final Process process;
    private final Writer stdin;
    private final NodeObserver observer;
    private final CompletableFuture<ControlLine.Ready> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<ControlLine.Answer>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread reader;
    private volatile String failure;

    private ChildNode(NodeSpec spec, Process process, NodeObserver observer) {
        this.name = spec.node();
        this.logFile = spec.logFile();
        this.process = process;
        this.observer = observer;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "chainsim-live-" + name);
        reader.setDaemon(true);
    }

    /**
     * Starts the node's JVM; returns at once (see {@link #awaitReady}).
     *
     * @throws LiveRunException if the JVM cannot be started
     */
    static ChildNode start(NodeSpec spec, NodeObserver observer) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dorg.sqlite.tmpdir=" + spec.folder()); // its native library, gone with the run's folder
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeMain.class.getName());
        command.addAll(List.of(spec.args()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new LiveRunException("cannot start a JVM for node " + spec.node() + ": " + e.getMessage(), e);
        }
        ChildNode c = new ChildNode(spec, p, observer);
        c.reader.start();
        return c;
    }

    private void read() {
        NodeId id = NodeId.of(name);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String text = r.readLine(); text != null; text = r.readLine()) {
                ControlLine line = ControlLine.read(text);
                if (line instanceof ControlLine.Event e) {
                    observer.onEvent(e.toEvent(id));
                } else if (line instanceof ControlLine.Record rec) {
                    observer.onRecord(rec.toRecord());
                } else if (line instanceof ControlLine.Answer a) {
                    CompletableFuture<ControlLine.Answer> f = waiting.remove(a.re());
                    if (f != null) {
                        f.complete(a);
                    }
                } else if (line instanceof ControlLine.Incarnation i) {
                    observer.onIncarnation(i.incarnation());
                } else if (line instanceof ControlLine.Ready rd) {
                    ready.complete(rd);
                } else if (line instanceof ControlLine.Failed f) {
                    failure = f.message();
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = failure != null ? failure : "its control channel broke: " + e;
        }
        LiveRunException gone = new LiveRunException("node " + name + " is gone" + (failure == null ? ""
                : ": " + failure) + " (its log: " + logFile + ")");
        ready.completeExceptionally(gone);
        waiting.values().forEach(f -> f.completeExceptionally(gone));
        waiting.clear();
    }

    @Override
    public void awaitReady(long timeoutNs) {
        await(ready, timeoutNs, "start");
    }

    @Override
    public int port() {
        return ready.join().port();
    }

    @Override
    public List<LiveNode.OpResult> submit(List<LiveNode.OpRequest> ops) {
        return ((ControlLine.Submitted) ask(id -> new ControlLine.Submit(id, ops), "make ops")).results();
    }

    @Override
    public LiveNode.Status status() {
        return ((ControlLine.StatusOf) ask(ControlLine.StatusQuery::new, "say whether it is idle")).status();
    }

    @Override
    public LiveNode.Snapshot snapshot() {
        return ((ControlLine.SnapshotOf) ask(ControlLine.SnapshotQuery::new, "show its log")).snapshot();
    }

    private ControlLine.Answer ask(java.util.function.LongFunction<ControlLine.Command> command, String what) {
        long id = ids.incrementAndGet();
        CompletableFuture<ControlLine.Answer> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        if (!reader.isAlive()) {
            waiting.remove(id);
            throw new LiveRunException("node " + name + " is gone (its log: " + logFile + ")");
        }
        try {
            synchronized (stdin) {
                stdin.write(ControlLine.write(command.apply(id)) + "\n");
                stdin.flush();
            }
        } catch (IOException e) {
            waiting.remove(id);
            throw new LiveRunException("node " + name + " is gone: cannot write to it (its log: " + logFile + ")", e);
        }
        ControlLine.Answer a = await(answer, ANSWER_TIMEOUT_NS, what);
        if (a instanceof ControlLine.Refused r) {
            throw new LiveRunException("node " + name + " could not " + what + ": " + r.error() + " (its log: "
                    + logFile + ")");
        }
        return a;
    }

    private <T> T await(CompletableFuture<T> f, long timeoutNs, String what) {
        try {
            return f.get(timeoutNs, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new LiveRunException("node " + name + " did not " + what + " within "
                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s (its log: " + logFile + ")");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LiveRunException l ? l : new LiveRunException(e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveRunException("interrupted while waiting for node " + name + " to " + what, e);
        }
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void awaitGone() {
        try {
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new LiveRunException("node " + name + " (process " + process.pid() + ") did not die within "
                        + STOP_TIMEOUT_S + " s of SIGKILL");
            }
            reader.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveRunException("interrupted while waiting for node " + name + " to die", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (process.isAlive() && ready.isDone() && !ready.isCompletedExceptionally()) {
                ask(ControlLine.Stop::new, "stop");
            }
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (LiveRunException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            awaitGone();
        }
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String where() {
        return "process " + process.pid() + ", its log: " + logFile;
    }
}
