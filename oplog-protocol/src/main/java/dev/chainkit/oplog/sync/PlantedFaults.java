package dev.chainkit.oplog.sync;

/**
 * Bugs the op-log sync can be made to have on purpose, so that the property checks prove they catch them (the
 * idea of FoundationDB's BUGGIFY: the simulator's checks are only trusted once they have been seen to fail). Each
 * fault stands for a bug that real sync systems shipped.
 *
 * <p>Not API, and no loaded gun: the class and its members are package-private, so only code declared in
 * {@code dev.chainkit.oplog.sync} can plant a fault (the examples' tests do, from their test sources); a fault is
 * planted for the calling thread only, so it cannot leak into other threads; and every fault is off unless planted.
 * Production code never plants one.
 *
 * <p>Thread safety: each thread sees only the faults it planted.
 */
final class PlantedFaults {

    /** The faults. */
    enum Fault {
        /**
         * The server takes the ops of a sync as they come, without first dropping those already in its log, so it
         * tries to append ops it already has (breaks "an op already in the log is never applied twice").
         */
        SERVER_APPENDS_OPS_IT_HAS,
        /**
         * The server does not move a client's forward cursor when that client's own sync commits, so it forwards
         * the client's ops back to it (breaks "a node never forwards ops back to where they came from").
         */
        SERVER_FORWARDS_TO_ORIGIN,
        /**
         * On {@code SyncFailed} a client takes the server's ops as its new base but keeps its pending ops as they
         * were, without rebasing them on that base (breaks "every state is the replay of its log").
         */
        CLIENT_ADOPTS_WITHOUT_REBASE,
        /**
         * A restarted client does not sync what its store holds pending (nor catch up) until something else makes
         * it sync (another op, a forward), so an op made before a crash and not yet acknowledged can stay on the
         * client alone (breaks "every op made reaches the server" and convergence).
         */
        CLIENT_FORGETS_PENDING_AFTER_RESTART
    }

    private static final ThreadLocal<Fault> PLANTED = new ThreadLocal<>();

    private PlantedFaults() {
    }

    /** Whether {@code fault} is planted on the calling thread. */
    static boolean planted(Fault fault) {
        return PLANTED.get() == fault;
    }

    /** Plants {@code fault} on the calling thread (at most one at a time), or removes it if {@code fault} is null. */
    static void plant(Fault fault) {
        if (fault == null) {
            PLANTED.remove();
        } else {
            PLANTED.set(fault);
        }
    }
}
