package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The op-log sync's planted faults are off unless planted, and only on the planting thread. */
class PlantedFaultsTest {

    @Test
    void everyFaultIsOffUnlessPlanted() {
        for (PlantedFaults.Fault f : PlantedFaults.Fault.values()) {
            assertFalse(PlantedFaults.planted(f), f.name());
        }
    }

    @Test
    void aPlantedFaultIsSeenOnlyOnThePlantingThreadAndUntilRemoved() throws InterruptedException {
        PlantedFaults.plant(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN);
        try {
            assertTrue(PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN));
            assertFalse(PlantedFaults.planted(PlantedFaults.Fault.SERVER_APPENDS_OPS_IT_HAS));
            boolean[] elsewhere = new boolean[1];
            Thread other = new Thread(() -> elsewhere[0] =
                    PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN));
            other.start();
            other.join();
            assertFalse(elsewhere[0]);
        } finally {
            PlantedFaults.plant(null);
        }
        assertFalse(PlantedFaults.planted(PlantedFaults.Fault.SERVER_FORWARDS_TO_ORIGIN));
    }
}
