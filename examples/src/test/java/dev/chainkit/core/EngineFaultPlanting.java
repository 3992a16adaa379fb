package dev.chainkit.core;

/**
 * Test-only access to the engine's planted fault ({@link PlantedFaults}), for the examples' proof that the property
 * sweep catches it. Lives in the engine's package, in test sources only, so production code cannot reach it.
 */
public final class EngineFaultPlanting {

    private EngineFaultPlanting() {
    }

    /**
     * Plants "a responder re-runs its handler on a duplicate" on the calling thread until the returned handle is
     * closed.
     */
    public static AutoCloseable rerunHandlerOnDuplicate() {
        PlantedFaults.rerunHandlerOnDuplicate(true);
        return () -> PlantedFaults.rerunHandlerOnDuplicate(false);
    }
}
