package dev.chainkit.examples.check;

/**
 * What one run of {@link TournamentSyncCheck} did, reported when the run reached its liveness checks: for sweep
 * figures (how close the message count came to its bound, how long the system took to go quiet).
 *
 * <p>Thread safety: immutable.
 *
 * @param seed the run's seed
 * @param clients how many clients the cluster had
 * @param ops how many ops users tried to make
 * @param rejectedOps how many of them their node rejected at once (or could not make: it was down)
 * @param droppedOps how many of them their authors dropped in a conflict
 * @param syncChains how many sync chains the clients opened
 * @param supersededSyncs how many sync chains ended with "sync failed, new operations available"
 * @param forwardChains how many forward chains the server opened
 * @param conflictRounds how many conflicts the clients were asked to decide
 * @param retransmissions how many times initiators resent a step
 * @param messages how many messages nodes sent (retransmissions and answers to duplicates included)
 * @param messageBound the bound {@link MessageBound} computed for the run; {@code messages} is at most this
 * @param quietAfterMs how long after the schedule's horizon (every fault over) the system was quiet, in ms
 * @param quietBoundMs the quiet bound {@link MessageBound} computed for the run, in ms; {@code quietAfterMs} is at
 *     most this
 */
public record RunStats(long seed, int clients, int ops, int rejectedOps, int droppedOps, int syncChains,
        int supersededSyncs, int forwardChains, long conflictRounds, long retransmissions, long messages,
        long messageBound, long quietAfterMs, long quietBoundMs) {
}
