package dev.chainkit.oplog.store.crash;

/** The seed of a crash loop: {@code -Dchainkit.seed=N} to replay one, else a fresh one per run. */
final class CrashSeeds {

    private CrashSeeds() {
    }

    static long seed() {
        String given = System.getProperty("chainkit.seed");
        return given != null ? Long.parseLong(given) : System.nanoTime() ^ ProcessHandle.current().pid();
    }
}
