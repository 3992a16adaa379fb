package dev.chainkit.examples.explore;

import dev.chainkit.examples.scenario.ClientSpec;
import dev.chainkit.examples.scenario.ExploredPath;
import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.Violation;
import java.util.List;

/**
 * A violation of {@code chainsim explore} as a scenario file ({@code .scn}): the explored cluster and its ops, the
 * explored path ({@link ExploredPath}: an {@code explored} line with the bounds, then one {@code step} line per
 * choice) and the expectations {@code expect converged} and {@code expect quiet}. {@code chainsim run FILE} replays
 * the path exactly on the explorer's network, then lets the run end without faults and checks the expectations and
 * the explorer's checks; {@code chainsim explore --replay FILE} replays the path alone and says what it shows.
 *
 * <p>Thread safety: stateless.
 */
public final class ViolationFile {

    private ViolationFile() {
    }

    /**
     * The text of the file for {@code v}, found on {@code model} within {@code bounds}.
     *
     * @param name the scenario's name, one word
     * @param v the violation
     * @param model the model explored
     * @param bounds the bounds explored
     * @return the file's text
     */
    public static String write(String name, Violation v, OplogExploreModel model, ExploreBounds bounds) {
        StringBuilder b = new StringBuilder();
        b.append("# chainsim explore found: ").append(v.kind()).append(": ")
                .append(v.message().replace('\n', ' ')).append('\n');
        b.append("# chainsim run THIS_FILE replays the explored path exactly (chainsim explore --replay THIS_FILE"
                + " too)\n");
        b.append("scenario ").append(name).append('\n');
        b.append(model.server().text()).append('\n');
        for (ClientSpec c : model.clients()) {
            b.append(c.text()).append('\n');
        }
        for (OplogExploreModel.Op op : model.workload()) {
            b.append("at 0ms ").append(op.node()).append(": ").append(model.describe(op)).append('\n');
        }
        List<ExploredPath.Step> steps = v.path().stream().map(s -> new ExploredPath.Step(0, s)).toList();
        b.append("# the explored path (").append(steps.size()).append(" choices):\n");
        b.append(new ExploredPath(0, bounds, v.cycleStart(), steps).text());
        b.append("expect converged\nexpect quiet\n");
        return b.toString();
    }
}
