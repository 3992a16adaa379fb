package dev.chainkit.examples.run;

import dev.chainkit.core.ChainEventType;
import dev.chainkit.examples.cluster.ChainAudit;
import dev.chainkit.examples.cluster.ClusterView;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.NetworkCounters;
import dev.chainkit.sim.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Everything a play of a scenario found once it stopped, wherever it ran: the cluster's logs and records, which
 * nodes were up, the chain audit, the message counters, how the run ended, the ops refused on the spot and the
 * first broken invariant. {@link #report} checks the scenario's expectations on it and assembles the
 * {@link RunReport}: the one place that turns findings into a report, for {@code chainsim run} (the simulator) and
 * {@code chainsim live} (real processes) alike.
 *
 * <p>Thread safety: a value over the parts it is given; read it on one thread once the run has stopped.
 *
 * @param cluster the cluster after the run
 * @param isUp whether a node (by name) was running when the run stopped
 * @param audit the chain events of the whole run
 * @param counters the messages of the whole run
 * @param result how the run stopped: quiet or not, when, and what was pending
 * @param rejectedOps the ops refused on the spot, in the order they were made
 * @param authors the node that made each labelled op (from the scenario's lines)
 * @param invariantViolation the first broken safety invariant with its time, or null
 */
public record Findings(ClusterView cluster, Predicate<String> isUp, ChainAudit audit, NetworkCounters counters,
        RunResult result, List<RunReport.RejectedOp> rejectedOps, Map<String, String> authors,
        String invariantViolation) {

    /**
     * Copies the list and the map.
     *
     * @throws NullPointerException if an argument other than {@code invariantViolation} is null
     */
    public Findings {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(isUp, "isUp");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(result, "result");
        rejectedOps = List.copyOf(rejectedOps);
        authors = Map.copyOf(authors);
    }

    /**
     * Checks every expectation of {@code scenario} on these findings and assembles the report.
     *
     * @param scenario the scenario that was played
     * @param seed the seed the run used
     * @return the report
     */
    public RunReport report(Scenario scenario, long seed) {
        ExpectationCheck check = new ExpectationCheck(cluster, result, counters, rejectedOps, authors);
        List<RunReport.ExpectationResult> verdicts = scenario.expectations().stream().map(check::check).toList();
        boolean ok = invariantViolation == null && verdicts.stream().allMatch(RunReport.ExpectationResult::ok);
        return new RunReport(scenario.name(), seed, ok, cluster.divergence().isEmpty(), result.quiet(),
                TimeUnit.NANOSECONDS.toMillis(result.timeNs()), nodes(), chains(), messages(), verdicts,
                rejectedOps, invariantViolation, result.pending());
    }

    private Map<String, RunReport.NodeReport> nodes() {
        Map<String, RunReport.NodeReport> nodes = new LinkedHashMap<>();
        for (String name : cluster.nodeNames()) {
            OpLog<TournamentOp> log = cluster.log(name);
            nodes.put(name, new RunReport.NodeReport(cluster.labels(name), log.size(), log.digest(),
                    cluster.pendingOps(name), isUp.test(name)));
        }
        return nodes;
    }

    private RunReport.Chains chains() {
        return new RunReport.Chains(audit.started(), audit.count(ChainEventType.COMPLETED),
                audit.count(ChainEventType.SUPERSEDED), audit.count(ChainEventType.FAILED),
                audit.count(ChainEventType.TIMED_OUT), audit.cutShortByCrash(), audit.stillOpen(),
                audit.conflictRounds());
    }

    private RunReport.Messages messages() {
        Map<String, RunReport.KindCounts> byKind = new LinkedHashMap<>();
        counters.byKind().forEach((kind, c) -> byKind.put(kind, new RunReport.KindCounts(c.sent(), c.delivered(),
                c.dropped(), c.duplicated(), c.retransmitted())));
        return new RunReport.Messages(counters.sent(), counters.delivered(), counters.dropped(),
                counters.duplicated(), counters.retransmitted(), byKind);
    }
}
