package dev.chainkit.examples.live;

import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.oplog.sync.OplogCodecs;
import dev.chainkit.sim.fault.NetworkFaults;
import dev.chainkit.transport.netty.proxy.Direction;
import dev.chainkit.transport.netty.proxy.FaultProxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The links of a live run: one frame-aware {@link FaultProxy} per link between a client and a server it may use,
 * on loopback. The client dials its proxy, the proxy relays to the server, and applies the run's faults to every
 * envelope frame both ways ({@link FaultsPolicy}).
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>A partition cuts and blackholes</b> every link between its two groups: the proxy closes the link's
 *   connections (both nodes see it drop) and discards everything that travels on it from then on, handshakes and
 *   heartbeats included, so the client's reconnects go nowhere, as on a dead path. Messages sent meanwhile are lost
 *   (a node without a link drops what it sends), as in the simulator. Partitions add up.</li>
 *   <li><b>A heal</b> stops the blackholes and cuts those links once more: a connection opened into the blackhole
 *   would otherwise wait for its handshake timeout. The client then reconnects at once, and the engine resends what
 *   waits for the server the moment the link is up.</li>
 *   <li><b>A crash</b> cuts the crashed node's links first ({@link #cut}), so that its peers see the connection
 *   drop without a goodbye, as after a SIGKILL, also when the node runs in the runner's JVM.</li>
 *   <li>Links between two clients do not exist (clients talk to servers only), so a partition between clients
 *   changes nothing, as in the simulator. With several servers, each client has a link to each server it may
 *   use.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe.
 */
final class LiveLinks implements AutoCloseable {

    /** A link between a client and a server. */
    private record Link(String client, String server) { }

    private final Map<Link, FaultProxy> proxies = new LinkedHashMap<>();
    private final Set<Link> cut = new LinkedHashSet<>();

    private LiveLinks() {
    }

    /**
     * Starts a proxy for every link.
     *
     * @param serverPorts each server's listening port on loopback
     * @param clientServers each client's servers, in order of preference
     * @param faults the run's faults, shared by every proxy
     * @param seed the scenario's seed, from which each proxy's random source is split
     * @param tally where the proxies count what they did
     * @throws IllegalStateException if a proxy cannot listen
     */
    static LiveLinks start(Map<String, Integer> serverPorts, Map<String, List<String>> clientServers,
            NetworkFaults faults, long seed, NetworkTally tally) {
        LiveLinks links = new LiveLinks();
        SplittableRandom seeds = new SplittableRandom(seed);
        try {
            clientServers.forEach((client, servers) -> {
                for (String server : servers) {
                    links.proxies.put(new Link(client, server), FaultProxy.start(NodeSpec.at(0),
                            NodeSpec.at(serverPorts.get(server)), new FaultsPolicy(faults, seeds.split(), tally),
                            OplogCodecs.registry(TournamentCluster.domain())));
                }
            });
            return links;
        } catch (RuntimeException e) {
            links.close();
            throw e;
        }
    }

    /** The port on loopback {@code client} dials for each of its servers. */
    synchronized Map<String, Integer> portsOf(String client) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        proxies.forEach((link, proxy) -> {
            if (link.client().equals(client)) {
                ports.put(link.server(), proxy.address().getPort());
            }
        });
        return ports;
    }

    /** Cuts and blackholes every link between a node of {@code left} and a node of {@code right}. */
    synchronized void partition(Collection<String> left, Collection<String> right) {
        proxies.forEach((link, proxy) -> {
            boolean across = left.contains(link.client()) && right.contains(link.server())
                    || right.contains(link.client()) && left.contains(link.server());
            if (across && cut.add(link)) {
                proxy.blackhole(Direction.TO_TARGET, true);
                proxy.blackhole(Direction.FROM_TARGET, true);
                proxy.cutAll();
            }
        });
    }

    /** Undoes every partition: the blackholes stop and the links' connections are cut once more. */
    synchronized void heal() {
        for (Link link : cut) {
            FaultProxy proxy = proxies.get(link);
            proxy.blackhole(Direction.TO_TARGET, false);
            proxy.blackhole(Direction.FROM_TARGET, false);
            proxy.cutAll();
        }
        cut.clear();
    }

    /** Closes the connections of every link of {@code node} now. */
    synchronized void cut(String node) {
        proxies.forEach((link, proxy) -> {
            if (link.client().equals(node) || link.server().equals(node)) {
                proxy.cutAll();
            }
        });
    }

    /** Whether some partition is in force. */
    synchronized boolean partitioned() {
        return !cut.isEmpty();
    }

    /** Stops every proxy. */
    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (FaultProxy p : proxies.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        proxies.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
