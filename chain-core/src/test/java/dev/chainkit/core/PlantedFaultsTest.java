package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainkit.core.Haggle.Ask;
import org.junit.jupiter.api.Test;

/** The engine's planted fault (a responder that re-runs its handler on a duplicate) is off unless planted. */
class PlantedFaultsTest {

    @Test
    void isOffUnlessPlanted() {
        assertFalse(PlantedFaults.rerunHandlerOnDuplicate());
        HaggleFixture f = new HaggleFixture();
        f.net.duplicate(payload(Ask.class)).times(1);
        ChainHandle<String> h = f.buy("pen", 2);
        f.net.runMillis(1000);

        completed(h);
        assertEquals(1, f.seller.calls.count(h.id(), 0));
    }

    @Test
    void plantedItRerunsTheHandlerOnADuplicateOnThePlantingThreadOnly() throws InterruptedException {
        PlantedFaults.rerunHandlerOnDuplicate(true);
        try {
            boolean[] elsewhere = new boolean[1];
            Thread other = new Thread(() -> elsewhere[0] = PlantedFaults.rerunHandlerOnDuplicate());
            other.start();
            other.join();
            assertFalse(elsewhere[0], "another thread does not see the planted fault");

            HaggleFixture f = new HaggleFixture();
            f.net.duplicate(payload(Ask.class)).times(1);
            ChainHandle<String> h = f.buy("pen", 2);
            f.net.runMillis(1000);

            assertEquals(2, f.seller.calls.count(h.id(), 0), "the duplicate Ask reached the handler again");
        } finally {
            PlantedFaults.rerunHandlerOnDuplicate(false);
        }
    }
}
