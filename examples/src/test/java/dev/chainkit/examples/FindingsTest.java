package dev.chainkit.examples;

import static dev.chainkit.examples.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@code chainsim explore} found and is not fixed yet, in docs/findings: each file replays its counterexample
 * exactly with {@code chainsim run} and still shows it. When a fix lands this fails: then the file becomes a shipped
 * scenario that must pass.
 */
class FindingsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aCopyOfAFirstOpSyncAfterTheServerRestartedStillLeavesAClientWithoutAnOp() {
        Cli.Result r = chainsim("run", ROOT.resolve("docs/findings/stale-opsync-after-server-restart.scn").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL  line") && r.out().contains("expect converged: c1 has [o0, c1o1] but hq has"
                + " o0 c1o1 c2o1"), r.out());
    }
}
