package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A path replays through choice codes ({@link World#code}, {@link World#decode}) without building the choices of
 * the states it passes: in every state of small spaces that offer every kind of choice, each choice the search
 * makes decodes from its code to the same choice (type, node, message, position, link, budget), in the world the
 * codes replayed.
 */
class ChoiceCodeTest {

    @Test
    void everyChoiceDecodesFromItsCode() {
        Handshake model = new Handshake(2, false, 2);
        Set<Choice.Type> seen = EnumSet.noneOf(Choice.Type.class);
        ExploreBounds datagram = ExploreBounds.defaults().withLosses(1).withDuplicates(1).withCrashes(1);
        walk(model, datagram, seen);
        walk(model, datagram.withLateFaults(true), seen);
        walk(model, datagram.withDuplicates(0).withNetwork(NetworkModel.FIFO), seen);
        assertEquals(EnumSet.allOf(Choice.Type.class), seen, "every kind of choice was checked");
    }

    /** Breadth first over the first states of {@code model}, each reached by replaying codes. */
    private static void walk(Handshake model, ExploreBounds bounds, Set<Choice.Type> seen) {
        Expansion<Handshake.App, String> expansion = new Expansion<>(model, bounds);
        Deque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[0]);
        Set<World.Fingerprint> visited = new HashSet<>();
        for (int states = 0; !queue.isEmpty() && states < 1000; states++) {
            int[] path = queue.poll();
            World<Handshake.App, String> w = expansion.replay(path);
            for (Choice c : w.searchChoices()) {
                Choice d = w.decode(w.code(c));
                String where = c.text() + " after " + expansion.texts(path);
                assertEquals(c.type(), d.type(), where);
                assertEquals(c.node(), d.node(), where);
                assertEquals(c.message(), d.message(), where);
                assertEquals(c.index(), d.index(), where);
                assertArrayEquals(c.link(), d.link(), where);
                assertEquals(c.budget(), d.budget(), where);
                seen.add(c.type());
                World<Handshake.App, String> next = expansion.replay(path);
                next.apply(c);
                if (visited.add(next.describe(next.searchChoices()).fingerprint())) {
                    int[] longer = Arrays.copyOf(path, path.length + 1);
                    longer[path.length] = w.code(c);
                    queue.add(longer);
                }
            }
        }
    }
}
