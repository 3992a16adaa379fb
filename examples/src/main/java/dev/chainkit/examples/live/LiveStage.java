package dev.chainkit.examples.live;

import dev.chainkit.core.NodeId;
import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.Event;
import dev.chainkit.examples.scenario.Scenario;
import dev.chainkit.examples.scenario.ScenarioPrinter;
import dev.chainkit.examples.scenario.ServerSpec;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkFaults;
import dev.chainkit.transport.netty.NodeSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The running system of a live run: the scenario's nodes (each a {@link NodeHandle}), the links between them
 * ({@link LiveLinks}, a fault proxy each), the faults every proxy applies, and what the nodes and proxies counted.
 * It starts everything before the scenario's time 0 ({@link #start}), carries out the scenario's events on it
 * (crash, restart, partition, heal, rules, calm, ops) and tears it all down ({@link #close}).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Setup.</b> The scenario is written into the run's folder ({@link ScenarioPrinter}: every line where the
 *   file had it), with a secret per node (the server's file holds them all, a client's only its own). The servers
 *   start first, on ports picked on loopback; then a proxy per link (a client has one per server it knows); then
 *   the clients, each dialing its proxies.
 *   Time 0 is when every client has its links up, so that no op of the scenario meets a link that is still
 *   coming up.</li>
 *   <li><b>Several servers</b> share one PostgreSQL database (the runner starts it and creates the tournament's
 *   log there, as the simulator's shared store starts); each client knows the servers of its {@code servers=}, in
 *   that order, each through a link of its own.</li>
 *   <li><b>Nothing left behind.</b> {@link #close} stops every node (SIGKILL for one that does not stop), every
 *   proxy and every lane; a shutdown hook kills the node processes should the runner's JVM be stopped first, and a
 *   node process exits by itself when the runner's end of its pipe closes.</li>
 * </ul>
 *
 * <p>Thread safety: the event methods are called from the run's thread; the parts are thread-safe.
 */
final class LiveStage implements AutoCloseable {

    /** How long the clients may take to link up once started, in nanoseconds. */
    private static final long LINK_TIMEOUT_NS = 60_000_000_000L;

    final Scenario scenario;
    final TimeScale scale;
    final NetworkFaults faults;
    final NetworkTally tally = new NetworkTally();
    final Observations observations = new Observations();
    private final Path folder;
    private final NodeSpec.Database database;
    private final BiFunction<NodeSpec, NodeObserver, NodeConnection> launcher;
    private final Map<String, NodeHandle> nodes = new LinkedHashMap<>();
    private final List<String> servers = new ArrayList<>();
    private final List<String> trouble = Collections.synchronizedList(new ArrayList<>());
    private final Thread killer = new Thread(this::killAll, "chainsim-live-shutdown");
    private LiveLinks links;

    private LiveStage(Scenario scenario, TimeScale scale, Path folder, boolean inProcess, NodeSpec.Database database) {
        this.scenario = scenario;
        this.database = database;
        this.scale = scale;
        this.folder = folder;
        this.launcher = inProcess ? InJvmNode::new : ChildNode::start;
        this.faults = new NetworkFaults(scenario.network().config().withLatency(scale.real(
                scenario.network().latencyMin()), scale.real(scenario.network().latencyMax())));
        observations.attach(name -> {
            NodeHandle h = nodes.get(name);
            return h != null && h.isUp();
        });
    }

    /**
     * Starts every node and link; returns at the scenario's time 0.
     *
     * @param scenario the scenario
     * @param scale its time scale
     * @param folder the run's folder (empty; removed by the caller)
     * @param inProcess whether the nodes run in this JVM instead of a process each
     * @param database the database the servers share, holding the tournament's log; null for one server on SQLite
     * @throws LiveRunException if a node does not start or link up in time (the stage is closed then)
     */
    static LiveStage start(Scenario scenario, TimeScale scale, Path folder, boolean inProcess,
            NodeSpec.Database database) {
        LiveStage stage = new LiveStage(scenario, scale, folder, inProcess, database);
        Runtime.getRuntime().addShutdownHook(stage.killer);
        try {
            stage.setUp();
            return stage;
        } catch (RuntimeException e) {
            stage.close();
            throw e;
        }
    }

    private void setUp() {
        String cold = Warmup.run(folder.resolve("warm-up"), true);
        if (cold != null) {
            System.err.println("chainsim live: the runner could not warm up (" + cold + "); the first messages may"
                    + " be slow");
        }
        Path file = folder.resolve("scenario.scn");
        List<NodeId> ids = new ArrayList<>();
        scenario.servers().forEach(s -> ids.add(NodeId.of(s.name())));
        scenario.clients().forEach(c -> ids.add(NodeId.of(c.name())));
        NodeSecrets secrets = NodeSecrets.generate(ids);
        try {
            Files.writeString(file, ScenarioPrinter.print(scenario), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scenario into the run's folder " + folder, e);
        }
        for (ServerSpec s : scenario.servers()) {
            servers.add(s.name());
            secrets.writeTo(folder.resolve(s.name() + ".secrets"));
            add(new NodeSpec(file, s.name(), scale.speed(), folder, 0, Map.of(), database)).start();
        }
        awaitStarted(servers);
        Map<String, Integer> serverPorts = new LinkedHashMap<>();
        servers.forEach(s -> serverPorts.put(s, nodes.get(s).spec().listenPort()));
        Map<String, List<String>> clientServers = new LinkedHashMap<>();
        scenario.clients().forEach(c -> clientServers.put(c.name(), c.serversAmong(servers)));
        links = LiveLinks.start(serverPorts, clientServers, faults, scenario.seed(), tally);
        List<String> clients = new ArrayList<>();
        for (ClientSpec c : scenario.clients()) {
            secrets.only(NodeId.of(c.name())).writeTo(folder.resolve(c.name() + ".secrets"));
            add(new NodeSpec(file, c.name(), scale.speed(), folder, 0, links.portsOf(c.name()), null)).start();
            clients.add(c.name());
        }
        awaitStarted(clients);
        awaitLinked(clients);
    }

    private NodeHandle add(NodeSpec spec) {
        NodeHandle h = new NodeHandle(spec, launcher, observations.of(spec.node()), trouble::add);
        nodes.put(spec.node(), h);
        return h;
    }

    private void awaitStarted(List<String> names) {
        for (String name : names) {
            boolean done;
            try {
                done = nodes.get(name).awaitLane(NodeHandle.START_TIMEOUT_NS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LiveRunException("interrupted while node " + name + " started", e);
            }
            if (!done) {
                throw new LiveRunException("node " + name + " did not start within "
                        + NodeHandle.START_TIMEOUT_NS / 1_000_000_000 + " s (" + nodes.get(name).where() + ")");
            }
            throwIfTrouble();
        }
    }

    private void awaitLinked(List<String> clients) {
        long deadline = System.nanoTime() + LINK_TIMEOUT_NS;
        for (String name : clients) {
            while (!nodes.get(name).status().linked()) {
                throwIfTrouble();
                if (deadline - System.nanoTime() <= 0) {
                    throw new LiveRunException("client " + name + " did not link up with " + servers + " within "
                            + LINK_TIMEOUT_NS / 1_000_000_000 + " s (" + nodes.get(name).where() + ")");
                }
                sleep(10);
            }
        }
    }

    /** @throws LiveRunException naming the first trouble a node reported, if any */
    void throwIfTrouble() {
        synchronized (trouble) {
            if (!trouble.isEmpty()) {
                throw new LiveRunException(trouble.get(0) + (trouble.size() > 1 ? " (and " + (trouble.size() - 1)
                        + " more)" : ""));
            }
        }
    }

    // ---------------------------------------------------------------- the scenario's events

    /** The nodes, the servers first, in file order. */
    Map<String, NodeHandle> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** The servers' names. */
    List<String> servers() {
        return List.copyOf(servers);
    }

    /** Crashes {@code node} now: its links are cut, then it is killed. */
    void crash(String node) {
        links.cut(node);
        nodes.get(node).crash();
    }

    /** Restarts {@code node} on its store (in its lane). */
    void restart(String node) {
        nodes.get(node).start();
    }

    /** Adds a targeted rule, its delay scaled. */
    void rule(Event.Rule rule) {
        FaultRule r = rule.faultRule();
        faults.addRule(r.action() == FaultRule.Action.DELAY ? r.withDelay(scale.real(r.delay())) : r);
    }

    /** Cuts every link between the groups. */
    void partition(List<String> left, List<String> right) {
        links.partition(left, right);
    }

    /** Undoes every partition. */
    void heal() {
        links.heal();
    }

    /** Stops the network's random faults. */
    void calm() {
        faults.calm();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveRunException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- teardown

    /** Stops every node (in parallel) and every proxy; no process, thread or port is left. Idempotent. */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (NodeHandle h : nodes.values()) {
            Thread t = new Thread(h::stop, "chainsim-live-stop-" + h.name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killAll();
            }
        }
        if (links != null) {
            links.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private void killAll() {
        nodes.values().forEach(NodeHandle::kill);
    }
}
