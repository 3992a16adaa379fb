/**
 * Playing scenarios: {@link dev.chainkit.examples.run.ScenarioRun} turns a parsed
 * {@link dev.chainkit.examples.scenario.Scenario} into a simulation of the tournament sync, runs it until quiet or
 * its limit, checks the safety invariants after every event and the scenario's expectations at the end, and
 * returns a {@link dev.chainkit.examples.run.RunReport} (the JSON report of {@code chainsim run --json});
 * {@link dev.chainkit.examples.run.RunSummary} renders it for people.
 *
 * <p>Determinism: one seed drives every random choice and nothing reads the wall clock, so a scenario and a seed
 * give the same report and the same trace every time.
 */
package dev.chainkit.examples.run;
