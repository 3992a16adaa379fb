package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Timers due at the same instant run in every order: which runs first is decided by the order they were set in,
 * which no state description holds, so the explorer makes it a choice. Before it did, a node that set two timers
 * for the same instant was only ever explored running them in the order it set them.
 */
class TimerTiesExploreTest {

    /** Sets two timers due together; each writes down that it ran. */
    static final class TwoTimers implements StateDigestible {
        private final Scheduler scheduler;
        private final List<String> ran = new ArrayList<>();

        TwoTimers(NodeContext ctx) {
            this.scheduler = ctx.scheduler();
        }

        void start() {
            scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> ran.add("first"));
            scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> ran.add("second"));
        }

        @Override
        public void digest(StateSink sink) {
            sink.putInt(ran.size());
            ran.forEach(sink::putString);
        }
    }

    /** One node {@code n} that sets its two timers; its invariant holds while they ran in the order they were set. */
    static final class SetInOrder implements ExploreModel<TwoTimers, String> {
        @Override
        public List<NodeSpec<TwoTimers>> nodes() {
            return List.of(NodeSpec.of("n", TwoTimers::new));
        }

        @Override
        public List<String> workload() {
            return List.of("n");
        }

        @Override
        public String actor(String work) {
            return work;
        }

        @Override
        public String describe(String work) {
            return "start";
        }

        @Override
        public void apply(Cluster<TwoTimers> cluster, String work) {
            cluster.node(work).app().start();
        }

        @Override
        public Optional<String> invariant(Cluster<TwoTimers> cluster) {
            List<String> ran = cluster.node("n").app().ran;
            return ran.equals(List.of("second")) ? Optional.of("the timer set second ran first") : Optional.empty();
        }
    }

    @Test
    void timersDueTogetherRunInEitherOrder() {
        ExploreResult r = Explorer.explore(new SetInOrder(), ExploreBounds.defaults(), Explorer.Progress.NONE);
        System.out.println("two timers due together: " + r);
        assertEquals(1, r.violations().size(), r.toString());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.INVARIANT, v.kind(), v.toString());
        assertEquals(List.of("n: start", "timer n #2"), v.path(), "the second timer chosen first, one step");
        assertEquals(Optional.of(Violation.Kind.INVARIANT), Explorer.replay(new SetInOrder(),
                ExploreBounds.defaults(), v.path(), -1).map(Violation::kind), "the path replays");
        assertTrue(Explorer.replay(new SetInOrder(), ExploreBounds.defaults(), List.of("n: start", "timer n",
                "timer n"), -1).isEmpty(), "in the order they were set, nothing is wrong");
    }
}
