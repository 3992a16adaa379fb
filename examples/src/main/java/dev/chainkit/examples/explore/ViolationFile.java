package dev.chainkit.examples.explore;

import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.NetworkModel;
import dev.chainkit.sim.explore.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A violation of {@code chainsim explore} as a file: a scenario ({@code .scn}) with the explored cluster, its ops and
 * the expectations, whose comments carry the model's bounds ({@code #! key=value ...}) and the explored path, one
 * choice per line ({@code #> deliver OpSync c1 -> hq}); {@code chainsim explore --replay FILE} plays that path
 * exactly. {@code chainsim run FILE} parses it too, and plays the same cluster and ops on its own random network.
 *
 * <p>Thread safety: stateless.
 */
public final class ViolationFile {

    private ViolationFile() {
    }

    /**
     * What a violation file holds.
     *
     * @param clients the judges
     * @param ops the ops per judge
     * @param bounds the bounds explored
     * @param path the choices from the start
     * @param cycleStart where the path's cycle starts (a livelock), or -1
     */
    public record Replay(int clients, int ops, ExploreBounds bounds, List<String> path, int cycleStart) {
    }

    /** The text of the file for {@code v}, found with {@code clients}, {@code ops} and {@code bounds}. */
    public static String write(String name, Violation v, int clients, int ops, ExploreBounds bounds) {
        StringBuilder b = new StringBuilder();
        b.append("# chainsim explore found: ").append(v.kind()).append(": ")
                .append(v.message().replace('\n', ' ')).append('\n');
        b.append("# replay the explored path exactly: chainsim explore --replay THIS_FILE\n");
        b.append("#! clients=").append(clients).append(" ops=").append(ops).append(" losses=").append(bounds.losses())
                .append(" duplicates=").append(bounds.duplicates()).append(" crashes=").append(bounds.crashes())
                .append(" network=").append(bounds.network().label()).append(" lifetime-ms=")
                .append(bounds.messageLifetime().map(Duration::toMillis).orElse(-1L)).append(" cycle=")
                .append(v.cycleStart()).append('\n');
        b.append("scenario ").append(name).append('\n');
        b.append("server ").append(OplogExploreModel.SERVER).append('\n');
        OplogExploreModel model = new OplogExploreModel(clients, ops);
        model.clientSpecs().forEach(c -> b.append("client ").append(c.name()).append(" role=judge\n"));
        for (OplogExploreModel.Op op : model.workload()) {
            b.append("at 0ms ").append(op.node()).append(": ").append(op.label()).append(" = ")
                    .append(op.op().text()).append('\n');
        }
        b.append("expect converged\nexpect quiet\n");
        b.append("# the explored path (").append(v.path().size()).append(" choices):\n");
        for (String step : v.path()) {
            b.append("#> ").append(step).append('\n');
        }
        return b.toString();
    }

    /**
     * Reads a violation file's bounds and path.
     *
     * @throws IllegalArgumentException if the file has no {@code #!} line, or a value is invalid
     */
    public static Replay read(String text) {
        Map<String, String> header = null;
        List<String> path = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#! ")) {
                header = new LinkedHashMap<>();
                for (String kv : line.substring(3).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("the #! line has '" + kv + "', expected key=value");
                    }
                    header.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            } else if (line.startsWith("#> ")) {
                path.add(line.substring(3));
            }
        }
        if (header == null) {
            throw new IllegalArgumentException("not a violation file of chainsim explore: no '#! clients=...' line");
        }
        ExploreBounds bounds = ExploreBounds.defaults().withLosses(number(header, "losses"))
                .withDuplicates(number(header, "duplicates")).withCrashes(number(header, "crashes"))
                .withNetwork(NetworkModel.of(header.getOrDefault("network", "datagram")));
        int lifetime = number(header, "lifetime-ms");
        if (lifetime >= 0) {
            bounds = bounds.withMessageLifetime(Duration.ofMillis(lifetime));
        }
        return new Replay(number(header, "clients"), number(header, "ops"), bounds, path, number(header, "cycle"));
    }

    private static int number(Map<String, String> header, String key) {
        String v = header.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the #! line has no " + key + "=");
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the #! line's " + key + "=" + v + " is not a number", e);
        }
    }
}
