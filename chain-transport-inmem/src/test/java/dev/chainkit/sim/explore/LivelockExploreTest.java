package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.check.Cluster;
import dev.chainkit.sim.check.NodeSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cycle that makes no progress is reported as a livelock: a node that waits for something that never comes by
 * looking again every 100 ms (a poll that never succeeds). The run is never done (an application timer is always
 * pending), yet every look comes back to the state before it, since times are described relative to now. And a
 * loop that opens a new chain as soon as the last one ends, which never returns to a state it was in (each round
 * leaves a tombstone), is found along the paths the depth limit cuts.
 */
class LivelockExploreTest {

    /** Looks every 100 ms for a condition that never holds; its only state is its timer, which the simulator holds. */
    static final class Poller implements StateDigestible {
        private final Scheduler scheduler;

        Poller(NodeContext ctx) {
            this.scheduler = ctx.scheduler();
        }

        void poll() {
            scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), this::poll);
        }

        @Override
        public void digest(StateSink sink) {
        }
    }

    /** One node {@code p} that starts polling. */
    static final class PollForever implements ExploreModel<Poller, String> {
        @Override
        public List<NodeSpec<Poller>> nodes() {
            return List.of(NodeSpec.of("p", Poller::new));
        }

        @Override
        public List<String> workload() {
            return List.of("p");
        }

        @Override
        public String actor(String work) {
            return work;
        }

        @Override
        public String describe(String work) {
            return "poll";
        }

        @Override
        public void apply(Cluster<Poller> cluster, String work) {
            cluster.node(work).app().poll();
        }
    }

    /** The question a {@link Asker} asks, and the answer; messages describe themselves by their number. */
    record Question(int n) implements StateDigestible {
        @Override
        public void digest(StateSink sink) {
            sink.putInt(n);
        }
    }

    static final Protocol<Question> ASK = Protocol.of("ask", Question.class, 2);

    /**
     * Asks {@code b} whether anything is new (question 0), and whatever the answer asks again at once: a client that
     * never settles (as a sync that always comes back with "new operations" would make it). It counts its questions,
     * which is history: written only with the ended chains.
     */
    static final class Asker implements StateDigestible {
        private final ChainNode node;
        private int asked;

        Asker(NodeContext ctx) {
            this.node = ctx.node();
            node.register(ASK, (chain, q) -> ResponderAction.replyAndTerminate(new Question(q.n())));
        }

        /** Asks, and when {@code again} asks again as soon as the chain ends, forever. */
        void ask(boolean again) {
            asked++;
            node.start(ASK, NodeId.of("b"), new Question(0), (chain, reply) -> InitiatorAction
                    .<Question, Integer>complete(reply.n())).outcome().thenRun(() -> {
                        if (again) {
                            ask(true);
                        }
                    });
        }

        @Override
        public void digest(StateSink sink) {
            if (sink.endedChains()) {
                sink.putInt(asked);
            }
        }
    }

    /** {@code a} asks {@code b} forever, or once (the control, which ends). */
    static final class Asking implements ExploreModel<Asker, String> {
        private final boolean forever;

        Asking(boolean forever) {
            this.forever = forever;
        }

        @Override
        public List<NodeSpec<Asker>> nodes() {
            return List.of(NodeSpec.of("a", Asker::new), NodeSpec.of("b", Asker::new));
        }

        @Override
        public List<String> workload() {
            return List.of("a");
        }

        @Override
        public String actor(String work) {
            return work;
        }

        @Override
        public String describe(String work) {
            return "ask";
        }

        @Override
        public void apply(Cluster<Asker> cluster, String work) {
            cluster.node(work).app().ask(forever);
        }

        @Override
        public CodecRegistry codecs() {
            return CodecRegistry.empty();
        }
    }

    @Test
    void aLoopThatOpensChainsForeverIsALivelockThoughNoStateRepeats() {
        ExploreBounds bounds = ExploreBounds.defaults().withMessageLifetime(java.time.Duration.ofMillis(300))
                .withMaxDepth(12);
        ExploreResult r = Explorer.explore(new Asking(true), bounds, Explorer.Progress.NONE);
        System.out.println("ask forever: " + r);
        assertFalse(r.exhausted(), "each round leaves a tombstone, so the depth limit cuts the search: " + r);
        assertEquals(1, r.violations().size(), r.toString());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.LIVELOCK, v.kind(), v.toString());
        System.out.println("livelock path " + v.path() + ", cycle from step " + (v.cycleStart() + 1));
        assertTrue(v.path().subList(v.cycleStart(), v.path().size()).stream().anyMatch(s -> s.startsWith("deliver")),
                "the cycle asks and answers: " + v.path());
        assertEquals(Optional.of(Violation.Kind.LIVELOCK), Explorer.replay(new Asking(true), bounds, v.path(),
                v.cycleStart()).map(Violation::kind), "the path replays to the same cycle");

        ExploreResult once = Explorer.explore(new Asking(false), bounds, Explorer.Progress.NONE);
        assertTrue(once.ok(), "asking once is no livelock: " + once);
    }

    @Test
    void aNodeThatPollsForeverIsALivelockThatReplays() {
        ExploreBounds bounds = ExploreBounds.defaults().withMessageLifetime(java.time.Duration.ofMillis(300))
                .withMaxDepth(40).withMaxStates(20_000);
        ExploreResult r = Explorer.explore(new PollForever(), bounds, Explorer.Progress.NONE);
        System.out.println("poll forever: " + r);
        assertTrue(r.exhausted(), "the cycle closes the space: " + r);
        assertFalse(r.violations().isEmpty(), r.toString());
        Violation v = r.violations().get(0);
        assertEquals(Violation.Kind.LIVELOCK, v.kind(), v.toString());
        System.out.println("livelock path " + v.path() + ", cycle from step " + (v.cycleStart() + 1));
        assertTrue(v.cycleStart() >= 0 && v.cycleStart() < v.path().size(), v.toString());
        assertEquals("p: poll", v.path().get(0), v.path().toString());
        assertTrue(v.path().subList(v.cycleStart(), v.path().size()).stream().allMatch(s -> s.startsWith("timer")),
                "the cycle is the poll's timer going round: " + v.path());
        assertEquals(Optional.of(Violation.Kind.LIVELOCK), Explorer.replay(new PollForever(), bounds, v.path(),
                v.cycleStart()).map(Violation::kind), "the path replays to the same cycle");
        assertEquals(Optional.empty(), Explorer.replay(new PollForever(), bounds, v.path().subList(0,
                v.path().size() - 1), v.cycleStart()), "one step short of the cycle is not a livelock");
    }
}
