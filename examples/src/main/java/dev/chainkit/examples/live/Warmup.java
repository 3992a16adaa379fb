package dev.chainkit.examples.live;

import dev.chainkit.core.NodeId;
import dev.chainkit.sim.fault.NetworkConfig;
import dev.chainkit.sim.fault.NetworkFaults;
import dev.chainkit.transport.netty.NodeSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a JVM's code paths once before a live run's time 0, on a scratch cluster of its own: a server and two
 * clients on loopback, each client through a fault proxy, with SQLite stores in a scratch folder. The clients
 * register the same player at once, so the paths of a plain sync, a rebase, a conflict and its decision, and
 * forwards all run, through the codecs, the proxy's fault logic and the stores.
 *
 * <p>Why: in a fresh JVM the first sync pays for loading and interpreting every class on its way (the codecs, the
 * engine, the protocol, the store, the proxy's frame parsing), and took over half a second on the machine this was
 * written on: five times the first retransmission delay, so a scenario that counts its messages exactly saw
 * resends that no network caused. After the warm-up the scratch cluster is gone (nodes closed, folder removed); it
 * changes nothing of the run but how fast its first messages go. Every node process warms up before it starts
 * its node (also after a restart), and the runner before it starts the proxies (or, with {@code --in-process},
 * every node).
 *
 * <p>Thread safety: run it on one thread; it uses its own nodes and files only.
 */
final class Warmup {

    private static final String SCENARIO = "scenario warm-up\nserver ws\nclient wa\nclient wb\n";
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    private Warmup() {
    }

    /**
     * Runs the scratch cluster in {@code scratch} (a folder that must not exist yet), then removes it.
     *
     * @param throughProxies whether the clients dial the server through fault proxies (the runner's JVM runs the
     *     proxies of a run; a node process does not)
     * @return null when it ran to the end, else what went wrong (the run goes on: a warm-up only saves time)
     */
    static String run(Path scratch, boolean throughProxies) {
        LiveNode server = null;
        LiveNode a = null;
        LiveNode b = null;
        LiveLinks links = null;
        try {
            Files.createDirectories(scratch);
            Path file = scratch.resolve("warm-up.scn");
            Files.writeString(file, SCENARIO, StandardCharsets.UTF_8);
            NodeSecrets secrets = NodeSecrets.generate(List.of(NodeId.of("ws"), NodeId.of("wa"), NodeId.of("wb")));
            secrets.writeTo(scratch.resolve("ws.secrets"));
            secrets.only(NodeId.of("wa")).writeTo(scratch.resolve("wa.secrets"));
            secrets.only(NodeId.of("wb")).writeTo(scratch.resolve("wb.secrets"));
            server = LiveNode.start(new NodeSpec(file, "ws", 1, scratch, 0, Map.of(), null), NodeObserver.NONE);
            Map<String, Integer> direct = Map.of("ws", server.port());
            if (throughProxies) {
                links = LiveLinks.start(direct, Map.of("wa", List.of("ws"), "wb", List.of("ws")),
                        new NetworkFaults(NetworkConfig.reliable()), 1, new NetworkTally());
            }
            a = LiveNode.start(new NodeSpec(file, "wa", 1, scratch, 0,
                    links != null ? links.portsOf("wa") : direct, null), NodeObserver.NONE);
            b = LiveNode.start(new NodeSpec(file, "wb", 1, scratch, 0,
                    links != null ? links.portsOf("wb") : direct, null), NodeObserver.NONE);
            List<LiveNode> nodes = List.of(server, a, b);
            if (!await(nodes, LiveNode.Status::linked)) {
                return "the scratch cluster did not link up within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s";
            }
            a.submit(List.of(new LiveNode.OpRequest(null, "register w1")));
            b.submit(List.of(new LiveNode.OpRequest(null, "register w1"), new LiveNode.OpRequest(null,
                    "register w2")));
            return await(nodes, LiveNode.Status::idle) ? null : "the scratch cluster did not go idle within "
                    + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s";
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {a, b, links, server}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    // the warm-up is over either way
                }
            }
            LiveRun.deleteTree(scratch);
        }
    }

    private static boolean await(List<LiveNode> nodes, java.util.function.Predicate<LiveNode.Status> done) {
        long deadline = System.nanoTime() + WAIT_NS;
        while (!nodes.stream().allMatch(n -> done.test(n.status()))) {
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
