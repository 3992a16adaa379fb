package dev.chainkit.examples;

import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The progress line of a long {@code chainsim run} on a terminal: once a run has taken {@link #QUIET_NS} of wall
 * time, one line on standard error, redrawn in place, with the virtual time reached and the scenario's events left
 * (and, across seeds, which seed of how many). Nothing at all when standard error is not a terminal, and nothing
 * for a run that ends within the first seconds, so pipes, files and tests see only the report.
 *
 * <p>It reads the wall clock only to decide when to draw; what a run does never depends on it.
 *
 * <p>Thread safety: not thread-safe; the run's thread calls it.
 */
final class RunProgress implements ScenarioRun.Progress {

    /** How long a run goes before it shows progress: 3 s. */
    static final long QUIET_NS = TimeUnit.SECONDS.toNanos(3);
    /** How often the line is redrawn: 250 ms. */
    static final long REDRAW_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier wallNs;
    private final long startNs;
    private long lastDrawNs;
    private int drawnLength;
    private String prefix = "";

    /**
     * @param err where to draw
     * @param terminal whether {@code err} is a terminal; if not, nothing is ever drawn
     * @param wallNs the wall clock, in nanoseconds
     */
    RunProgress(PrintWriter err, boolean terminal, LongSupplier wallNs) {
        this.err = err;
        this.terminal = terminal;
        this.wallNs = wallNs;
        this.startNs = wallNs.getAsLong();
        this.lastDrawNs = startNs - REDRAW_NS;
    }

    /** Progress on the command line's standard error, drawn only if the JVM has a terminal. */
    static RunProgress onConsole(PrintWriter err) {
        return new RunProgress(err, System.console() != null, System::nanoTime);
    }

    /** Says which seed of a sweep is running, before its progress. */
    void seed(long seed, int index, int count) {
        prefix = "seed " + seed + " (" + (index + 1) + " of " + count + "): ";
    }

    @Override
    public void update(long virtualTimeNs, int eventsLeft, int eventsTotal) {
        if (!terminal) {
            return;
        }
        long now = wallNs.getAsLong();
        if (now - startNs < QUIET_NS || now - lastDrawNs < REDRAW_NS) {
            return;
        }
        lastDrawNs = now;
        String line = prefix + "virtual time " + RunSummary.time(TimeUnit.NANOSECONDS.toMillis(virtualTimeNs))
                + ", " + eventsLeft + " of " + eventsTotal + " events left, "
                + TimeUnit.NANOSECONDS.toSeconds(now - startNs) + " s";
        err.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        err.flush();
        drawnLength = line.length();
    }

    /** Clears the line, if one was drawn, so the report starts on a clean line. */
    void finish() {
        if (drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
        }
    }
}
