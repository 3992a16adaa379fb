package dev.chainkit.transport.netty;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Asserts that a test leaves no thread behind: every thread started after {@link #snapshot()} must have ended
 * within a few seconds of {@link #assertNoneLeft()}. JVM-wide pools that outlive any one user are not counted: the
 * common fork-join pool, the JDK HTTP client's selector (it lives until its client is collected) and Netty's
 * {@code globalEventExecutor} (one per JVM, used to complete event-loop-group termination futures; it ends itself
 * after a second idle).
 */
public final class ThreadLeaks {

    private static final List<String> SHARED = List.of("ForkJoinPool.commonPool", "HttpClient-", "globalEventExecutor", "process reaper",
            "Attach Listener", "surefire", "Common-Cleaner", "Reference Handler", "Finalizer", "Signal Dispatcher");

    private final Set<Thread> before;

    private ThreadLeaks(Set<Thread> before) {
        this.before = before;
    }

    public static ThreadLeaks snapshot() {
        return new ThreadLeaks(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** Waits up to 5 s for the threads started since the snapshot to end; fails naming those still alive. */
    public void assertNoneLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Set<Thread> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t))
                    .filter(t -> SHARED.stream().noneMatch(s -> t.getName().startsWith(s)))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        fail("threads left behind: " + left.stream().map(Thread::getName).sorted().toList());
    }
}
