package dev.chainkit.examples;

import static dev.chainkit.examples.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.explore.OplogExploreModel;
import dev.chainkit.sim.explore.ExploreBounds;
import dev.chainkit.sim.explore.ExploreResult;
import dev.chainkit.sim.explore.Explorer;
import dev.chainkit.sim.explore.Violation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What {@code chainsim explore} found and is not fixed yet, in docs/findings: each file replays its counterexample
 * exactly with {@code chainsim run} and still shows it. When a fix lands this fails: then the file becomes a shipped
 * scenario that must pass. With {@code -Dchainkit.explore.full=true} (the {@code explore} profile) the explorer also
 * finds it again, shortest first, in the smallest configuration that shows it (about a minute and a half).
 */
class FindingsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final boolean FULL = Boolean.getBoolean("chainkit.explore.full");

    @Test
    void aCopyOfAFirstOpSyncAfterTheServerRestartedStillLeavesAClientWithoutAnOp() {
        Cli.Result r = chainsim("run", ROOT.resolve("docs/findings/stale-opsync-after-server-restart.scn").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL  line") && r.out().contains("expect converged: c1 has [o0, c1o1] but hq has"
                + " o0 c1o1 c2o1"), r.out());
        if (FULL) {
            ExploreResult found = Explorer.explore(new OplogExploreModel(2, 1), ExploreBounds.defaults()
                    .withDuplicates(1).withCrashes(1).withMessageLifetime(Duration.ofMillis(100)).withThreads(2),
                    Explorer.Progress.NONE);
            System.out.println("the two-judge configuration with a copy and a crash: " + found);
            assertEquals(1, found.violations().size(), found.toString());
            Violation v = found.violations().get(0);
            assertEquals(Violation.Kind.TERMINAL, v.kind(), v.toString());
            assertTrue(v.message().startsWith("not converged: c1 has [o0, c1o1] but hq has o0 c1o1 c2o1"), v.message());
            assertEquals(21, v.path().size(), v.path().toString());
        }
    }
}
