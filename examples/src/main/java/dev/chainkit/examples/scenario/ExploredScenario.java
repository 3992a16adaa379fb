package dev.chainkit.examples.scenario;

import java.util.Objects;
import java.util.Optional;

/**
 * A scenario file as {@code chainsim run} reads it: the scenario, and the explored path its {@code explored} and
 * {@code step} lines give, if any ({@link ScenarioParser#parseExplored}).
 *
 * <p>Thread safety: immutable value, thread-safe.
 *
 * @param scenario the scenario
 * @param explored the path to replay exactly, or empty for a play on the scenario's random network
 */
public record ExploredScenario(Scenario scenario, Optional<ExploredPath> explored) {

    /** @throws NullPointerException if an argument is null */
    public ExploredScenario {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(explored, "explored");
    }
}
