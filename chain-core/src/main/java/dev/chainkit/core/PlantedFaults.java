package dev.chainkit.core;

/**
 * Bugs the engine can be made to have on purpose, so that the property checks prove they catch them (the idea of
 * FoundationDB's BUGGIFY: the simulator's checks are only trusted once they have been seen to fail). Each fault
 * stands for a bug that real messaging systems shipped.
 *
 * <p>Not API, and no loaded gun: the class and its members are package-private, so only code declared in
 * {@code dev.chainkit.core} can plant a fault (the examples' tests do, from their test sources); a fault is
 * planted for the calling thread only, so it cannot leak into other threads; and every fault is off unless planted.
 * Production code never plants one.
 *
 * <p>Thread safety: each thread sees only the faults it planted.
 */
final class PlantedFaults {

    private static final ThreadLocal<Boolean> RERUN_HANDLER_ON_DUPLICATE = ThreadLocal.withInitial(() -> false);

    private PlantedFaults() {
    }

    /**
     * Whether a responder re-runs its handler for a duplicate of a step it already handled (of an in-flight chain,
     * or of a chain that ended, whose opening it then handles again) instead of answering from its reply cache or
     * tombstone. Breaks the promise "every step is handled at most once".
     */
    static boolean rerunHandlerOnDuplicate() {
        return RERUN_HANDLER_ON_DUPLICATE.get();
    }

    /** Plants ({@code true}) or removes the fault {@link #rerunHandlerOnDuplicate()} on the calling thread. */
    static void rerunHandlerOnDuplicate(boolean planted) {
        RERUN_HANDLER_ON_DUPLICATE.set(planted);
    }
}
