package dev.chainkit.oplog.sync;

/**
 * Test-only access to the op-log sync's planted faults ({@link PlantedFaults}), for the examples' proof that the
 * property sweep catches each. Lives in the protocol's package, in test sources only, so production code cannot
 * reach it.
 */
public final class SyncFaultPlanting {

    private SyncFaultPlanting() {
    }

    /** Plants "a server that appends ops it already has" on the calling thread until the handle is closed. */
    public static AutoCloseable serverAppendsOpsItHas() {
        return plant(PlantedFaults.Fault.SERVER_APPENDS_OPS_IT_HAS);
    }

    /** Plants "a server that forwards ops back to their origin" on the calling thread until the handle is closed. */
    public static AutoCloseable serverForwardsToOrigin() {
        return plant(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN);
    }

    /**
     * Plants "a client that adopts the base of SyncFailed without rebasing its ops" on the calling thread until the
     * handle is closed.
     */
    public static AutoCloseable clientAdoptsWithoutRebase() {
        return plant(PlantedFaults.Fault.CLIENT_ADOPTS_WITHOUT_REBASE);
    }

    /**
     * Plants "a restarted client that does not sync what it holds pending" on the calling thread until the handle is
     * closed.
     */
    public static AutoCloseable clientForgetsPendingAfterRestart() {
        return plant(PlantedFaults.Fault.CLIENT_FORGETS_PENDING_AFTER_RESTART);
    }

    private static AutoCloseable plant(PlantedFaults.Fault fault) {
        PlantedFaults.plant(fault);
        return () -> PlantedFaults.plant(null);
    }
}
