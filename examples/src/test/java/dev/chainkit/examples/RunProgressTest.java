package dev.chainkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The progress line of a long run: on a terminal only, after a few seconds, with virtual time and events left. */
class RunProgressTest {

    private long wallNs;

    @Test
    void aLongRunOnATerminalShowsVirtualTimeAndEventsLeftInPlace() {
        StringWriter err = new StringWriter();
        RunProgress p = new RunProgress(new PrintWriter(err, true), true, () -> wallNs);

        p.update(TimeUnit.SECONDS.toNanos(1), 9, 10);
        assertEquals("", err.toString(), "nothing in the first seconds");
        wallNs = TimeUnit.SECONDS.toNanos(4);
        p.update(TimeUnit.SECONDS.toNanos(75), 3, 10);
        p.update(TimeUnit.SECONDS.toNanos(76), 3, 10);
        assertEquals("\rvirtual time 1m 15s, 3 of 10 events left, 4 s", err.toString(), "redrawn at most every"
                + " 250 ms");
        wallNs += TimeUnit.MILLISECONDS.toNanos(300);
        p.update(TimeUnit.SECONDS.toNanos(80), 0, 10);
        p.finish();

        String drawn = "\rvirtual time 1m 15s, 3 of 10 events left, 4 s\rvirtual time 1m 20s, 0 of 10 events left,"
                + " 4 s\r" +" ".repeat(45) + "\r";
        assertEquals(drawn, err.toString());
    }

    @Test
    void aSweepNamesTheSeedItIsOn() {
        StringWriter err = new StringWriter();
        RunProgress p = new RunProgress(new PrintWriter(err, true), true, () -> wallNs);
        wallNs = TimeUnit.SECONDS.toNanos(5);
        p.seed(42, 1, 100);

        p.update(TimeUnit.SECONDS.toNanos(2), 1, 4);

        assertEquals("\rseed 42 (2 of 100): virtual time 2s, 1 of 4 events left, 5 s", err.toString());
    }

    @Test
    void nothingIsDrawnWhenStandardErrorIsNotATerminal() {
        StringWriter err = new StringWriter();
        RunProgress p = new RunProgress(new PrintWriter(err, true), false, () -> wallNs);
        wallNs = TimeUnit.SECONDS.toNanos(60);

        p.update(TimeUnit.SECONDS.toNanos(2), 1, 4);
        p.finish();

        assertEquals("", err.toString());
    }
}
