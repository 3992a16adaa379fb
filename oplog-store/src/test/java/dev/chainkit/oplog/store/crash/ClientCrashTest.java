package dev.chainkit.oplog.store.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients (with their server) on SQLite files, killed with SIGKILL right after a client saved a new op (durable,
 * its sync not sent), during a client's save, after replies and at random, restarted on the same files: see
 * {@link CrashLoop}. {@code chainkit.crash.kills} kills (25 by default, 1500 with {@code -Pcrash-soak}); the seed is
 * printed and replays with {@code -Dchainkit.seed=N}.
 */
class ClientCrashTest {

    @TempDir
    Path folder;

    @Test
    void pendingOpsSurviveKillsAroundTheClientsSaves() {
        long seed = CrashSeeds.seed();
        int kills = Integer.getInteger("chainkit.crash.kills", 25);
        System.out.println("ClientCrashTest: seed " + seed + ", " + kills + " kills (replay: -Dchainkit.seed=" + seed
                + ")");
        CrashLoop loop = new CrashLoop(seed, kills, 3, List.of(KillPoint.CLIENT_AFTER_SAVE,
                KillPoint.CLIENT_DURING_SAVE, KillPoint.AFTER_REPLY, KillPoint.RANDOM), CrashLoop.oneProcess(3));
        loop.run(folder);
        System.out.println("ClientCrashTest: " + kills + " kills survived, " + loop.answeredOps()
                + " answered ops kept; where they landed: " + loop.landed());
        assertTrue(loop.answeredOps() > 0, "the workload had ops answered");
    }
}
