package dev.chainkit.examples.seats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.check.CheckResult;
import dev.chainkit.sim.check.PropertyRunner;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The README's example of a property check on your own protocol: it holds, and it catches the forgetful office. */
class SeatCheckProperties {

    @TestFactory
    Stream<DynamicTest> aBoxOfficeThatRemembersRequestsTellsEveryPhoneTheTruth() {
        return PropertyRunner.dynamicTests(new SeatCheck(true));
    }

    @Test
    void aBoxOfficeThatForgetsRequestsIsCaught() {
        SeatCheck forgetful = new SeatCheck(false);
        String found = null;
        for (long seed = 1; seed <= 200 && found == null; seed++) {
            CheckResult<SeatCheck.Want> r = PropertyRunner.check(forgetful, seed);
            found = r.failure().map(f -> f.message()).orElse(null);
        }
        assertTrue(found != null && found.matches("\\w+ was told r\\d+ did not get seat \\d, but the office gave it"
                + " to r\\d+"), "the sweep finds a retried request told it lost its own seat: " + found);
    }
}
