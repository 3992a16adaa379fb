package dev.chainkit.oplog.store.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server (with its clients) on SQLite files, killed with SIGKILL before, during and after its commits and between
 * a commit and its replies, restarted on the same files: see {@link CrashLoop} for what is checked after every kill.
 * {@code chainkit.crash.kills} kills (25 by default, 1500 with {@code -Pcrash-soak}); the seed is printed and replays
 * with {@code -Dchainkit.seed=N}.
 */
class ServerCrashTest {

    @TempDir
    Path folder;

    @Test
    void everyAnsweredOpSurvivesKillsAroundTheServersCommits() {
        long seed = CrashSeeds.seed();
        int kills = Integer.getInteger("chainkit.crash.kills", 25);
        System.out.println("ServerCrashTest: seed " + seed + ", " + kills + " kills (replay: -Dchainkit.seed=" + seed
                + ")");
        CrashLoop loop = new CrashLoop(seed, kills, 2, List.of(KillPoint.RANDOM, KillPoint.BEFORE_COMMIT,
                KillPoint.DURING_COMMIT, KillPoint.BETWEEN_COMMIT_AND_REPLY, KillPoint.AFTER_REPLY),
                CrashLoop.oneProcess(2));
        loop.run(folder);
        System.out.println("ServerCrashTest: " + kills + " kills survived, " + loop.answeredOps()
                + " answered ops kept; where they landed: " + loop.landed());
        assertTrue(loop.answeredOps() > 0, "the workload had ops answered");
    }
}
