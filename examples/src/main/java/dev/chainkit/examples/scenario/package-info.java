/**
 * Scenario files ({@code .scn}): the {@link dev.chainkit.examples.scenario.Scenario} model,
 * {@link dev.chainkit.examples.scenario.ScenarioParser} (text to model, with {@code FILE:LINE: what is wrong}
 * errors) and {@link dev.chainkit.examples.scenario.ScenarioPrinter} (model to text).
 *
 * <p>Units: every time and duration is a {@link java.time.Duration} of virtual time; probabilities are in
 * [0, 1]. All public types are immutable and thread-safe.
 */
package dev.chainkit.examples.scenario;
