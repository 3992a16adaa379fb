package dev.chainkit.examples.run;

import java.util.List;
import java.util.Map;

/**
 * The short human summary of a {@link RunReport}: the verdict first, then one aligned line per topic, then each
 * expectation with {@code ok} or {@code FAIL} and its line.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class RunSummary {

    private static final int DIGEST_CHARS = 12;

    private RunSummary() {
    }

    /**
     * Renders the summary.
     *
     * @param r the report
     * @return several lines, each ending with a line break
     */
    public static String render(RunReport r) {
        StringBuilder b = new StringBuilder(512);
        b.append("scenario ").append(r.scenario()).append(" (seed ").append(r.seed()).append("): ")
                .append(r.ok() ? "OK" : "FAILED").append('\n');
        row(b, "virtual time", time(r.virtualTimeMs()) + (r.quiet() ? ", quiet" : ", NOT quiet: " + r.pending()));
        nodes(b, r);
        RunReport.Chains c = r.chains();
        row(b, "chains", c.started() + " started: " + c.completed() + " completed, " + c.superseded()
                + " superseded, " + c.failed() + " failed, " + c.timedOut() + " timed out"
                + (c.cutShortByCrash() > 0 ? ", " + c.cutShortByCrash() + " cut short by a crash of their initiator"
                        : "")
                + (c.openAtEnd() > 0 ? ", " + c.openAtEnd() + " still open at the end" : "") + "; "
                + c.conflictRounds() + " conflict round" + (c.conflictRounds() == 1 ? "" : "s"));
        RunReport.Messages m = r.messages();
        row(b, "messages", m.sent() + " sent: " + m.delivered() + " delivered, " + m.dropped() + " dropped, "
                + m.duplicated() + " duplicated, " + m.retransmitted() + " retransmitted");
        if (!r.rejectedOps().isEmpty()) {
            row(b, "rejected ops", r.rejectedOps().size() + " refused on the spot (never in any log):");
            for (RunReport.RejectedOp op : r.rejectedOps()) {
                b.append("    line ").append(op.line()).append(' ').append(op.node()).append(": ")
                        .append(op.label() == null ? "" : op.label() + " = ").append(op.op()).append(": ")
                        .append(op.reason()).append('\n');
            }
        }
        if (r.invariantViolation() != null) {
            row(b, "invariant", "BROKEN " + r.invariantViolation());
        }
        List<RunReport.ExpectationResult> xs = r.expectations();
        long held = xs.stream().filter(RunReport.ExpectationResult::ok).count();
        row(b, "expectations", held + " of " + xs.size() + " held");
        int lineWidth = xs.stream().mapToInt(x -> Integer.toString(x.line()).length()).max().orElse(1);
        for (RunReport.ExpectationResult x : xs) {
            b.append("    ").append(x.ok() ? "ok  " : "FAIL").append("  line ")
                    .append(pad(Integer.toString(x.line()), lineWidth)).append("  ").append(x.text());
            if (!x.ok()) {
                b.append(": ").append(x.detail());
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Writes a virtual time for people: {@code 250ms}, {@code 12.345s}, {@code 7m 12.345s}.
     *
     * @param ms the time in milliseconds, 0 or more
     * @return its text
     */
    public static String time(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        long minutes = ms / 60_000;
        long rest = ms % 60_000;
        String seconds = rest % 1000 == 0 ? Long.toString(rest / 1000) : String.format("%d.%03d", rest / 1000,
                rest % 1000);
        return minutes == 0 ? seconds + "s" : minutes + "m " + seconds + "s";
    }

    private static void nodes(StringBuilder b, RunReport r) {
        Map<String, RunReport.NodeReport> nodes = r.nodes();
        RunReport.NodeReport first = nodes.values().iterator().next();
        if (r.converged()) {
            row(b, "converged", "yes: " + nodes.size() + " logs of " + first.logSize() + " ops, digest "
                    + first.logDigest().substring(0, DIGEST_CHARS));
            return;
        }
        row(b, "converged", "NO");
        int width = nodes.keySet().stream().mapToInt(String::length).max().orElse(1);
        nodes.forEach((name, n) -> b.append("    ").append(pad(name, width)).append("  ")
                .append(n.logSize()).append(" ops, digest ").append(n.logDigest(), 0, DIGEST_CHARS)
                .append(n.pendingOps() == 0 ? "" : ", " + n.pendingOps() + " pending")
                .append(n.up() ? "" : ", down").append('\n'));
    }

    private static void row(StringBuilder b, String topic, String text) {
        b.append("  ").append(pad(topic, 14)).append(text).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
