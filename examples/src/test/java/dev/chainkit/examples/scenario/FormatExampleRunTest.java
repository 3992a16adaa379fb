package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.run.RunReport;
import dev.chainkit.examples.run.RunSummary;
import dev.chainkit.examples.run.ScenarioRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every line of the format page, exactly as written there, plays on the simulator and is checked. */
class FormatExampleRunTest {

    @Test
    void everyLineOfTheFormatPagePlaysAndEveryExpectationIsChecked() throws ScenarioException {
        Scenario s = ScenarioParser.parse("format.scn", FormatExample.ALL);

        RunReport r = new ScenarioRun(s).play();

        String summary = RunSummary.render(r);
        assertEquals("friday-night", r.scenario());
        assertEquals(42, r.seed());
        assertEquals(s.expectations().stream().map(Expectation::text).toList(),
                r.expectations().stream().map(RunReport.ExpectationResult::text).toList());
        assertEquals(List.of(21, 22, 23, 24, 25, 26, 28),
                r.expectations().stream().map(RunReport.ExpectationResult::line).toList());
        assertTrue(r.expectations().stream().allMatch(x -> !x.detail().isEmpty()), summary);
        assertNull(r.invariantViolation(), summary);
        assertTrue(r.quiet() && r.converged(), summary);
        // 'start' needs two players but only alice is registered: refused on the spot, and listed.
        assertEquals(List.of("b1"), r.rejectedOps().stream().map(RunReport.RejectedOp::label).toList(), summary);
    }
}
