package dev.chainkit.bench.p3;

import dev.chainkit.core.NodeId;
import dev.chainkit.bench.Counter;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.OplogClient;
import dev.chainkit.oplog.sync.OplogServer;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import io.vavr.collection.Vector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * P3: the cost of one fast-forward sync of 10 ops, end to end on the simulator (a client's 10 local ops, its
 * {@code OpSync}, the server's rebase-free apply, commit and {@code SyncSuccess}, the client marking them synced),
 * onto a log of {@code logSize} ops that client and server already share. The domain is a counter that accepts
 * every op, so the figure is the sync's and the log's, not a domain's. The ratio of the two sizes is the figure;
 * each invocation adds 10 more ops, which is nothing beside either size.
 *
 * <p>Thread safety: JMH state, one benchmark thread, which is the simulation's thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SyncCost {

    /** Ops in the shared log before the benchmark starts. */
    @Param({"1000", "1000000"})
    public int logSize;

    private static final String LOG = "bench";
    private static final Author AUTHOR = new Author("c", Role.organizer());

    private Simulation sim;
    private SimNode<OplogClient<Long, Integer>> client;
    private long nextOp;

    @Setup(Level.Trial)
    public void start() {
        Vector<Operation<Integer>> ops = Vector.range(1, logSize)
                .map(i -> new Operation<>(OpId.of("h" + i), AUTHOR, 0, i));
        OpLog<Integer> log = OpLog.genesis(new Operation<>(OpId.of("h0"), AUTHOR, 0, 0)).appendAll(ops);
        NodeId clientId = NodeId.of("c");
        ServerStore<Integer> serverStore = ServerStore.inMemory();
        serverStore.commit(List.of(new LogAppend<>(LOG, 0, log.ops(),
                io.vavr.collection.HashMap.of(clientId, log.size() - 1), // the client has it all: nothing to forward
                io.vavr.collection.HashMap.of(clientId, io.vavr.control.Option.some(AUTHOR.role())))));
        sim = Simulation.builder().seed(3).tracing(false).build();
        sim.addNode("hq", ctx -> OplogServer.builder(ctx.node(), new Counter(), serverStore)
                .scheduler(ctx.scheduler()).clock(ctx.clock()).build().host(serverStore.load(LOG).orElseThrow()));
        client = sim.addNode("c", ctx -> new OplogClient<>(ctx.node(), ctx.scheduler(), ctx.clock(), new Counter(),
                LOG, AUTHOR, NodeId.of("hq"), ClientStore.inMemory(log), DecisionPolicy.skip()));
        if (!sim.runUntil(() -> client.app().isIdle(), Duration.ofMinutes(1))) {
            throw new IllegalStateException("the client did not settle: " + sim.pending());
        }
    }

    /** 10 local ops, then one sync chain that fast-forwards them onto the server's log. */
    @Benchmark
    public long fastForward() {
        OplogClient<Long, Integer> c = client.app();
        for (int i = 0; i < 10; i++) {
            c.submit(OpId.of("n" + (++nextOp)), i);
        }
        if (!sim.runUntil(c::isIdle, Duration.ofMinutes(1))) {
            throw new IllegalStateException("the sync did not finish: " + sim.pending());
        }
        if (!c.syncedTip().value().equals("n" + nextOp)) {
            throw new IllegalStateException("not a fast-forward: synced tip " + c.syncedTip());
        }
        return c.log().size();
    }
}
