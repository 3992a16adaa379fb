package dev.chainkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropertyRunnerTest {

    private final Bank.Check broken = new Bank.Check(false);
    private CheckResult<Bank.Submit> found;
    private CheckResult<Bank.Submit> shrunk;

    @BeforeAll
    void findAndShrinkTheBug() {
        Optional<CheckResult<Bank.Submit>> failure = PropertyRunner.sweep(broken, 1, 500);
        assertTrue(failure.isPresent(), "a sweep of 500 seeds catches the non-idempotent bank");
        found = failure.get();
        shrunk = PropertyRunner.shrink(broken, found);
    }

    @Test
    void catchesTheNonIdempotentBankAsAnInvariantFailure() {
        Failure f = found.failure().orElseThrow();
        assertEquals(Failure.Kind.INVARIANT, f.kind());
        assertTrue(f.message().matches("request r\\d+ applied 2 times on hq"), f.message());
    }

    @Test
    void shrinksTheFailingScheduleToAHandfulOfActions() {
        assertEquals(Failure.Kind.INVARIANT, shrunk.failure().orElseThrow().kind());
        assertTrue(shrunk.schedule().actions().size() <= 4,
                "shrunk to a handful of actions:\n" + shrunk.schedule().render());
        assertTrue(shrunk.schedule().actions().size() <= found.schedule().actions().size());
        assertTrue(shrunk.schedule().actions().stream().anyMatch(a -> a.action() instanceof Action.Workload),
                "a deposit is needed to apply one twice");
        assertTrue(shrunk.trace().size() > 0, "the shrunk run is replayed with a trace");
    }

    @Test
    void reportsTheSeedTheMinimalScheduleAndHowToReplay() {
        String report = shrunk.report();
        assertTrue(report.startsWith("Property failed for seed " + found.seed() + ": INVARIANT at "), report);
        assertTrue(report.contains("-Dchainkit.seed=" + found.seed()), report);
        assertTrue(report.contains(shrunk.schedule().render().lines().findFirst().orElseThrow()), report);
        assertTrue(report.contains("DELIVERED"), report);
        AssertionError e = assertThrows(AssertionError.class, () -> PropertyRunner.assertHolds(broken, found.seed()));
        assertEquals(report, e.getMessage(), "the failing seed shrinks to the same report every time");
    }

    @Test
    void replaysASeedExactly() {
        CheckResult<Bank.Submit> once = PropertyRunner.check(broken, found.seed());
        CheckResult<Bank.Submit> again = PropertyRunner.check(broken, found.seed());
        assertEquals(found.schedule(), once.schedule());
        assertEquals(found.failure(), once.failure());
        assertEquals(once.trace().render(), again.trace().render());
        CheckResult<Bank.Submit> minimal = PropertyRunner.run(broken, found.seed(), shrunk.schedule());
        assertEquals(shrunk.trace().render(), minimal.trace().render());
    }

    @Test
    void theIdempotentBankPassesTheSeedsTheBrokenOneFails() {
        Bank.Check fixed = new Bank.Check(true);
        CheckResult<Bank.Submit> r = PropertyRunner.check(fixed, found.seed());
        assertTrue(r.ok(), r.report());
        assertTrue(PropertyRunner.sweep(fixed, found.seed(), 50).isEmpty());
    }

    @Test
    void shrinkingAPassingRunIsRefused() {
        CheckResult<Bank.Submit> ok = PropertyRunner.check(new Bank.Check(true), 1);
        assertThrows(IllegalArgumentException.class, () -> PropertyRunner.shrink(broken, ok));
    }
}
