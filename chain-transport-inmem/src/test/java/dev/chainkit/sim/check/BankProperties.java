package dev.chainkit.sim.check;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The idempotent bank holds under random faults for every seed of {@code chainkit.seeds}. */
class BankProperties {

    @TestFactory
    Stream<DynamicTest> idempotentBankAppliesEveryRequestAtMostOnce() {
        return PropertyRunner.dynamicTests(new Bank.Check(true));
    }
}
