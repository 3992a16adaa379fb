package dev.chainkit.examples.run;

import dev.chainkit.examples.cluster.ClusterView;
import dev.chainkit.examples.scenario.Expectation;
import dev.chainkit.examples.scenario.MessageKind;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.sync.OpFate;
import dev.chainkit.oplog.sync.OpRecord;
import dev.chainkit.sim.NetworkCounters;
import dev.chainkit.sim.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks the expectations of a scenario once its run has stopped, each with a detail that says what was observed
 * (and, when it failed, what differs from what was expected).
 *
 * <p>Thread safety: not thread-safe; use on one thread after the run.
 */
final class ExpectationCheck {

    private final ClusterView cluster;
    private final RunResult result;
    private final NetworkCounters counters;
    private final List<RunReport.RejectedOp> rejected;
    private final Map<String, String> authors;

    /**
     * @param cluster the cluster after the run
     * @param result how the run stopped
     * @param counters the network's counters over the whole run
     * @param rejected the ops refused on the spot
     * @param authors the node that made each labelled op
     */
    ExpectationCheck(ClusterView cluster, RunResult result, NetworkCounters counters,
            List<RunReport.RejectedOp> rejected, Map<String, String> authors) {
        this.cluster = cluster;
        this.result = result;
        this.counters = counters;
        this.rejected = rejected;
        this.authors = authors;
    }

    /** Checks one expectation. */
    RunReport.ExpectationResult check(Expectation x) {
        Verdict v;
        if (x instanceof Expectation.Converged) {
            v = converged();
        } else if (x instanceof Expectation.Quiet) {
            v = quiet();
        } else if (x instanceof Expectation.Log l) {
            v = log(l);
        } else if (x instanceof Expectation.Once o) {
            v = once(o.label());
        } else if (x instanceof Expectation.Absent a) {
            v = absent(a.label());
        } else if (x instanceof Expectation.Messages m) {
            v = messages(m);
        } else if (x instanceof Expectation.Outcome o) {
            v = outcome(o);
        } else {
            throw new IllegalStateException("unknown expectation type " + x.getClass().getName());
        }
        return new RunReport.ExpectationResult(x.line(), x.text(), v.ok, v.detail);
    }

    private Verdict converged() {
        Optional<String> divergence = cluster.divergence();
        if (divergence.isPresent()) {
            return Verdict.fail(divergence.get());
        }
        return Verdict.ok("all " + cluster.nodeNames().size() + " logs identical, "
                + cluster.storeLog().size() + " ops each");
    }

    private Verdict quiet() {
        String at = RunSummary.time(TimeUnit.NANOSECONDS.toMillis(result.timeNs()));
        return result.quiet() ? Verdict.ok("drained at " + at)
                : Verdict.fail("not quiet when the run stopped at " + at + ": " + result.pending());
    }

    private Verdict log(Expectation.Log l) {
        List<String> nodes = l.node().map(List::of).orElseGet(cluster::nodeNames);
        for (String node : nodes) {
            List<String> actual = cluster.labels(node);
            if (!actual.equals(l.labels())) {
                StringBuilder why = new StringBuilder();
                for (String label : l.labels()) {
                    refusal(label).ifPresent(r -> why.append("; ").append(label).append(" was refused on the spot, ")
                            .append(r));
                }
                return Verdict.fail(node + " has " + String.join(" ", actual) + ", expected "
                        + String.join(" ", l.labels()) + why);
            }
        }
        return Verdict.ok((l.node().isPresent() ? l.node().get() + " has " : "every log is ")
                + String.join(" ", l.labels()));
    }

    private Verdict once(String label) {
        Optional<String> refused = refusal(label);
        if (refused.isPresent()) {
            return Verdict.fail(label + " never entered any log: " + refused.get());
        }
        OpId id = cluster.idOf(label).orElse(null);
        if (id == null) {
            return Verdict.fail(label + " was never made");
        }
        List<String> missing = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (String node : cluster.nodeNames()) {
            long n = cluster.log(node).ops().count(op -> op.id().equals(id));
            if (n == 0) {
                missing.add(node);
            } else if (n > 1) {
                twice.add(node + " (" + n + " times)");
            }
        }
        if (!twice.isEmpty()) {
            return Verdict.fail(label + " is more than once in the log of " + String.join(", ", twice));
        }
        if (!missing.isEmpty()) {
            return Verdict.fail(label + " is missing from the log of " + String.join(", ", missing) + fate(id));
        }
        return Verdict.ok(label + " is once in each of the " + cluster.nodeNames().size() + " logs");
    }

    private Verdict absent(String label) {
        Optional<String> refused = refusal(label);
        if (refused.isPresent()) {
            return Verdict.ok(label + " was refused at once: " + refused.get());
        }
        OpId id = cluster.idOf(label).orElse(null);
        if (id == null) {
            return Verdict.ok(label + " was never made");
        }
        List<String> holders = cluster.nodeNames().stream().filter(n -> cluster.log(n).contains(id)).toList();
        if (!holders.isEmpty()) {
            return Verdict.fail(label + " is in the log of " + String.join(", ", holders));
        }
        return Verdict.ok(label + " is in no log" + fate(id));
    }

    private Verdict messages(Expectation.Messages m) {
        long sent = m.kind() == MessageKind.ANY ? counters.sent() : counters.of(m.kind().text()).sent();
        String what = "sent " + sent + " " + (m.kind() == MessageKind.ANY ? "messages" : m.kind().text());
        String bound = m.comparison().text() + " " + m.count();
        return m.comparison().holds(sent, m.count()) ? Verdict.ok(what + " (" + bound + ")")
                : Verdict.fail(what + ", expected " + bound);
    }

    private Verdict outcome(Expectation.Outcome o) {
        String label = o.label();
        Optional<String> refused = refusal(label);
        if (refused.isPresent()) {
            return Verdict.fail(label + " was refused at once, so no chain carried it: " + refused.get());
        }
        if (authors.get(label) != null && cluster.isServer(authors.get(label))) {
            return Verdict.fail(label + " was made on the server " + authors.get(label)
                    + ", whose own ops are final at once and travel in no sync chain of their author");
        }
        OpId id = cluster.idOf(label).orElse(null);
        OpRecord record = id == null ? null : cluster.record(id).orElse(null);
        if (record == null || record.firstChain() == null) {
            return Verdict.fail("no chain carried " + label);
        }
        if (record.firstOutcome() == null) {
            return Verdict.fail("the chain " + record.firstChain() + " that first carried " + label
                    + " never ended for its author (its author crashed while it was in flight, or it is still"
                    + " in flight)");
        }
        String what = "the chain " + record.firstChain() + " that first carried " + label + " ended "
                + record.firstOutcome();
        return record.firstOutcome().equals(o.outcome().text()) ? Verdict.ok(what)
                : Verdict.fail(what + ", expected " + o.outcome().text());
    }

    /** Why the op labelled {@code label} was refused on the spot, if it was. */
    private Optional<String> refusal(String label) {
        return rejected.stream().filter(r -> label.equals(r.label()))
                .map(r -> "line " + r.line() + ": " + r.reason()).findFirst();
    }

    /** What its author knows of an op that is not everywhere, as a clause, or empty. */
    private String fate(OpId id) {
        String droppedOnServer = cluster.droppedServerOps().get(id);
        if (droppedOnServer != null) {
            return " (its server dropped it: " + droppedOnServer + ")";
        }
        OpRecord r = cluster.record(id).orElse(null);
        if (r == null) {
            return "";
        }
        if (r.fate() == OpFate.DROPPED) {
            return " (its author dropped it: " + r.reason() + ")";
        }
        return " (its author has it as " + r.fate().name().toLowerCase() + ")";
    }

    /** A verdict and its detail. */
    private record Verdict(boolean ok, String detail) {
        static Verdict ok(String detail) {
            return new Verdict(true, detail);
        }

        static Verdict fail(String detail) {
            return new Verdict(false, detail);
        }
    }
}
