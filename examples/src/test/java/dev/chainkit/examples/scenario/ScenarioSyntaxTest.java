package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioSyntaxTest {

    @Test
    void durationsReadInEveryUnit() {
        assertEquals(Optional.of(Duration.ofMillis(250)), ScenarioSyntax.parseDuration("250ms"));
        assertEquals(Optional.of(Duration.ofSeconds(2)), ScenarioSyntax.parseDuration("2s"));
        assertEquals(Optional.of(Duration.ofMillis(1500)), ScenarioSyntax.parseDuration("1.5s"));
        assertEquals(Optional.of(Duration.ofMinutes(10)), ScenarioSyntax.parseDuration("10m"));
        assertEquals(Optional.of(Duration.ofNanos(1)), ScenarioSyntax.parseDuration("0.000001ms"));
        assertEquals(Optional.of(Duration.ZERO), ScenarioSyntax.parseDuration("0ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "ms", "-5ms", "5 ms", "1.5x", ".5s", "5.s", "0.0000001ms", "1e3ms", "5h",
        "99999999999999999999m"})
    void nonDurationsAreNotRead(String word) {
        assertEquals(Optional.empty(), ScenarioSyntax.parseDuration(word));
    }

    @Test
    void durationsAreWrittenInTheLargestExactUnit() {
        assertEquals("0ms", ScenarioSyntax.formatDuration(Duration.ZERO));
        assertEquals("250ms", ScenarioSyntax.formatDuration(Duration.ofMillis(250)));
        assertEquals("0.5ms", ScenarioSyntax.formatDuration(Duration.ofNanos(500_000)));
        assertEquals("2s", ScenarioSyntax.formatDuration(Duration.ofSeconds(2)));
        assertEquals("1.5s", ScenarioSyntax.formatDuration(Duration.ofMillis(1500)));
        assertEquals("90s", ScenarioSyntax.formatDuration(Duration.ofSeconds(90)));
        assertEquals("10m", ScenarioSyntax.formatDuration(Duration.ofMinutes(10)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1_000_000, 1_234_567, 999_999_999, 1_000_000_000, 59_999_999_999L,
        60_000_000_000L, 3_600_000_000_001L})
    void writtenDurationsReadBackEqual(long nanos) {
        Duration d = Duration.ofNanos(nanos);

        assertEquals(Optional.of(d), ScenarioSyntax.parseDuration(ScenarioSyntax.formatDuration(d)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 0.1, 0.05, 0.3333333333333333, 2.5, 1e-7})
    void writtenDecimalsReadBackEqual(double value) {
        assertEquals(Optional.of(value), ScenarioSyntax.parseDecimal(ScenarioSyntax.formatDecimal(value)));
    }
}
